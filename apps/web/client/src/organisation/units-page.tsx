import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { listUnitTree, searchUnits, unitMembersPath, type TreeUnit, type UnitSearchHit } from '../api/org-units.js';
import { Alert } from '../components/alert.js';
import { LiveStatus } from '../components/live-status.js';
import { Page } from '../components/page.js';
import { useResource } from '../hooks/use-resource.js';
import { errorKey } from '../i18n/error-key.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { OrgNav } from './org-nav.js';
import { AddUnitForm, DeleteUnitConfirm, MoveUnitForm, RenameUnitForm } from './units-forms.js';
import { ancestorsOf, indexUnits, unitRowId, type UnitIndex } from './units-logic.js';
import { UnitTree } from './units-tree.js';
import './units.css';

type Mode = 'menu' | 'add' | 'rename' | 'move' | 'delete';

/** The admin's subtree as a tree: who leads each unit, how many members it has, and its changes. */
export function UnitsPage() {
  const { t } = useT();
  const tree = useResource(listUnitTree, []);
  const index = useMemo(() => indexUnits(tree.data ?? []), [tree.data]);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [open, setOpen] = useState<{ id: string; mode: Mode } | null>(null);
  const [highlighted, setHighlighted] = useState<string | null>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  // The top unit starts open, so the first level below it shows.
  useEffect(() => {
    if (index.tops.length && expanded.size === 0) setExpanded(new Set(index.tops.map((u) => u.id)));
  }, [index]);

  // Focus (and bring into view) a unit once the tree shows it.
  useEffect(() => {
    if (!focusId) return;
    const row = document.getElementById(unitRowId(focusId));
    if (!row) return;
    row.focus();
    row.scrollIntoView({ block: 'center' });
    setFocusId(null);
  }, [focusId, tree.data, expanded]);

  const reveal = (unitId: string, also: string[] = []) => {
    setExpanded((current) => new Set([...current, ...ancestorsOf(index, unitId).map((u) => u.id), ...also]));
    setHighlighted(unitId);
    setFocusId(unitId);
  };

  const toggle = (unitId: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(unitId)) next.delete(unitId);
      else next.add(unitId);
      return next;
    });

  const done = (message: string, focusUnitId: string | null, expand: string[] = []) => {
    setOpen(null);
    setStatus(message);
    tree.reload();
    if (expand.length) setExpanded((current) => new Set([...current, ...expand]));
    if (focusUnitId) {
      setHighlighted(focusUnitId);
      setFocusId(focusUnitId);
    }
  };

  const renderActions = (unit: TreeUnit) => (
    <UnitActions
      unit={unit}
      index={index}
      mode={open?.id === unit.id ? open.mode : null}
      onMode={(mode) => setOpen(mode ? { id: unit.id, mode } : null)}
      onDone={done}
    />
  );

  return (
    <Page title={t('orgUnits.title')}>
      <OrgNav />
      <div class="org-units">
        <p>{t('orgUnits.intro')}</p>
        <UnitSearch tree={tree.data} onShow={(hit) => reveal(hit.id)} />
        <LiveStatus message={status} />
        <Alert message={tree.error && t(tree.error)} />
        {tree.loading && !tree.data && (
          <p class="status" role="status">
            {t('orgUnits.loading')}
          </p>
        )}
        {tree.data && (
          <div aria-busy={tree.loading}>
            <UnitTree index={index} expanded={expanded} highlighted={highlighted} onToggle={toggle} renderActions={renderActions} />
          </div>
        )}
      </div>
    </Page>
  );
}

interface ActionsProps {
  unit: TreeUnit;
  index: UnitIndex;
  mode: Mode | null;
  onMode(mode: Mode | null): void;
  onDone(message: string, focusUnitId: string | null, expand?: string[]): void;
}

/** A unit's actions behind one button, so a long tree stays readable on a phone. */
function UnitActions({ unit, index, mode, onMode, onDone }: ActionsProps) {
  const { t } = useT();
  const panelId = `unit-actions-${unit.id}`;
  const parent = unit.parentId ? index.byId.get(unit.parentId) : undefined;
  const isTop = !parent;
  const cancel = () => {
    onMode('menu');
    setTimeout(() => document.getElementById(`${panelId}-${mode}`)?.focus());
  };
  const choose = (next: Exclude<Mode, 'menu'>) => (
    <button
      type="button"
      id={`${panelId}-${next}`}
      class={next === 'delete' ? 'button button--danger' : 'button'}
      aria-pressed={mode === next}
      onClick={() => onMode(mode === next ? 'menu' : next)}
    >
      {t(`orgUnits.${next}`)}
    </button>
  );
  return (
    <div class="unit-actions">
      <button
        type="button"
        class="button button--quiet unit-actions__toggle"
        aria-expanded={mode !== null}
        aria-controls={mode !== null ? panelId : undefined}
        onClick={() => onMode(mode === null ? 'menu' : null)}
      >
        {t('orgUnits.actions')}
        <span class="visually-hidden">{` ${unit.name}`}</span>
      </button>
      {mode !== null && (
        <div id={panelId} class="unit-actions__panel" role="group" aria-label={t('orgUnits.actionsFor', { name: unit.name })}>
          <p class="actions actions--compact">
            <Link href={unitMembersPath(unit.id)} class="button">
              {t('orgUnits.viewMembers')}
            </Link>
            {choose('add')}
            {choose('rename')}
            {!isTop && choose('move')}
            {!isTop && choose('delete')}
          </p>
          {mode === 'add' && <AddUnitForm parent={unit} onDone={onDone} onCancel={cancel} />}
          {mode === 'rename' && <RenameUnitForm unit={unit} parentName={parent?.name ?? null} onDone={onDone} onCancel={cancel} />}
          {mode === 'move' && !isTop && <MoveUnitForm unit={unit} index={index} onDone={onDone} onCancel={cancel} />}
          {mode === 'delete' && parent && <DeleteUnitConfirm unit={unit} parentId={parent.id} onDone={onDone} onCancel={cancel} />}
        </div>
      )}
    </div>
  );
}

/** Search by name, pinyin initials, short name or path; each result opens the tree at the unit. */
function UnitSearch({ tree, onShow }: { tree: TreeUnit[] | null; onShow(hit: UnitSearchHit): void }) {
  const { t } = useT();
  const [q, setQ] = useState('');
  const [asked, setAsked] = useState<string | null>(null);
  const [hits, setHits] = useState<UnitSearchHit[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  // A unit added, renamed, moved or deleted: the last search is asked again, so no result is stale.
  useEffect(() => {
    if (asked !== null) void run(asked);
  }, [tree]);

  const submit = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const query = q.trim();
    if (query && !busy) void run(query);
  };

  const run = async (query: string) => {
    setBusy(true);
    setProblem(null);
    try {
      const found = await searchUnits(query);
      setHits(found);
      setAsked(query);
    } catch (failure) {
      setHits(null);
      setProblem(t(errorKey(failure)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel unit-search" aria-labelledby="unit-search-heading">
      <h2 id="unit-search-heading">{t('orgUnits.searchHeading')}</h2>
      <form role="search" class="unit-search__form" aria-labelledby="unit-search-heading" onSubmit={submit}>
        <div class="field">
          <label for="unit-search-q">{t('orgUnits.searchLabel')}</label>
          <div class="unit-search__row">
            <input
              id="unit-search-q"
              type="search"
              maxLength={100}
              autoComplete="off"
              value={q}
              aria-describedby="unit-search-hint"
              onInput={(e) => setQ(e.currentTarget.value)}
            />
            <button type="submit" class="button button--primary" aria-disabled={busy}>
              {t('orgUnits.searchButton')}
            </button>
          </div>
          <p id="unit-search-hint" class="hint">
            {t('orgUnits.searchHint')}
          </p>
        </div>
      </form>
      <Alert message={problem} />
      <p class={busy || hits ? 'status' : 'visually-hidden'} role="status">
        {busy
          ? t('orgUnits.searching')
          : hits && asked !== null
            ? hits.length
              ? t('orgUnits.resultCount', { count: hits.length })
              : t('orgUnits.noResults', { q: asked })
            : ''}
      </p>
      {hits && hits.length > 0 && (
        <>
          <ul class="unit-search__results">
            {hits.map((hit) => (
              <li key={hit.id}>
                <a
                  href={`#${unitRowId(hit.id)}`}
                  onClick={(event) => {
                    event.preventDefault();
                    onShow(hit);
                  }}
                >
                  {hit.names.join(' / ')}
                </a>
                <span class="badge">{t(`orgUnits.kind.${hit.kind}`)}</span>
              </li>
            ))}
          </ul>
          {hits.length >= 50 && <p class="hint">{t('orgUnits.resultsLimited')}</p>}
        </>
      )}
    </section>
  );
}
