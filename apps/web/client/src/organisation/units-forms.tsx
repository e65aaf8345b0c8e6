import type { TargetedSubmitEvent } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { ApiError } from '../api/api.js';
import {
  createUnit,
  deleteUnit,
  moveUnit,
  UNIT_KINDS,
  UnitDeleteRefused,
  updateUnit,
  type DeleteBlocker,
  type TreeUnit,
  type UnitKind,
} from '../api/org-units.js';
import { Alert } from '../components/alert.js';
import { errorKey } from '../i18n/error-key.js';
import { useT } from '../i18n/use-t.js';
import { kindBelow, moveTargets, namesPath, type UnitIndex } from './units-logic.js';

type Translate = ReturnType<typeof useT>['t'];

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** The most options the move list shows at once; the filter narrows a larger tree. */
const MAX_OPTIONS = 300;

/** A failure in the reader's words; the server's sentence is added for refusals the page did not foresee. */
function failureText(failure: unknown, t: Translate): string {
  if (failure instanceof ApiError && failure.status === 404) return t('orgUnits.notFound');
  const base = t(errorKey(failure));
  if (failure instanceof ApiError && [400, 409].includes(failure.status) && failure.message) {
    return `${base} ${t('errors.details', { message: failure.message })}`;
  }
  return base;
}

function nameProblem(name: string, t: Translate): string | null {
  if (!name.trim()) return t('orgUnits.nameRequired');
  if (name.trim().length > 200) return t('orgUnits.nameTooLong');
  return null;
}

const slugProblem = (slug: string, t: Translate) => (SLUG.test(slug.trim().toLowerCase()) ? null : t('orgUnits.slugInvalid'));

function FieldError({ id, message }: { id: string; message: string | null | undefined }) {
  return message ? (
    <p id={id} class="field__error">
      {message}
    </p>
  ) : null;
}

interface Done {
  (message: string, focusUnitId: string | null, expand?: string[]): void;
}

/** Name, short name and kind of a new unit under `parent`. */
/** A form's submit button (none when `label` is null: nothing to submit) and its cancel button. */
function FormActions({ busy, label, onCancel }: { busy: boolean; label: string | null; onCancel(): void }) {
  const { t } = useT();
  return (
    <p class="actions">
      {label !== null && (
        <button type="submit" class="button button--primary" aria-disabled={busy}>
          {label}
        </button>
      )}
      <button type="button" class="button button--quiet" onClick={onCancel}>
        {t('orgUnits.cancel')}
      </button>
    </p>
  );
}

export function AddUnitForm({ parent, onDone, onCancel }: { parent: TreeUnit; onDone: Done; onCancel(): void }) {
  const { t } = useT();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [kind, setKind] = useState<UnitKind>(kindBelow(parent.kind));
  const [invalid, setInvalid] = useState<{ name?: string | null; slug?: string | null }>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `add-${parent.id}`;

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const found = { name: nameProblem(name, t), slug: slugProblem(slug, t) };
    setInvalid(found);
    if (found.name || found.slug) {
      document.getElementById(`${base}-${found.name ? 'name' : 'slug'}`)?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const made = await createUnit({ parentId: parent.id, name: name.trim(), slug: slug.trim().toLowerCase(), kind });
      onDone(t('orgUnits.created', { name: made.name }), made.id, [parent.id]);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 409) {
        setInvalid({ slug: t('orgUnits.slugTaken', { parent: parent.name, slug: slug.trim().toLowerCase() }) });
        document.getElementById(`${base}-slug`)?.focus();
      } else {
        setProblem(failureText(failure, t));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form unit-form" noValidate aria-busy={busy} aria-labelledby={`${base}-heading`} onSubmit={submit}>
      <h3 id={`${base}-heading`} class="unit-form__heading">
        {t('orgUnits.addHeading', { name: parent.name })}
      </h3>
      <Alert message={problem} />
      <NameAndSlugFields base={base} name={name} onName={setName} slug={slug} onSlug={setSlug} invalid={invalid} />
      <div class="field">
        <label for={`${base}-kind`}>{t('orgUnits.kindLabel')}</label>
        <select id={`${base}-kind`} value={kind} onChange={(e) => setKind(e.currentTarget.value as UnitKind)}>
          {UNIT_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`orgUnits.kind.${k}`)}
            </option>
          ))}
        </select>
      </div>
      <FormActions busy={busy} label={busy ? t('orgUnits.creating') : t('orgUnits.create')} onCancel={onCancel} />
    </form>
  );
}

/** A unit's name and short name, as adding and renaming ask for them. */
function NameAndSlugFields({
  base,
  name,
  onName,
  slug,
  onSlug,
  invalid,
  slugLocked = false,
}: {
  /** The form's id prefix: the fields are `${base}-name` and `${base}-slug`. */
  base: string;
  name: string;
  onName(value: string): void;
  slug: string;
  onSlug(value: string): void;
  invalid: { name?: string | null; slug?: string | null };
  /** The admin's own top unit keeps its short name: shown, not editable. */
  slugLocked?: boolean;
}) {
  const { t } = useT();
  return (
    <>
      <div class="field">
        <label for={`${base}-name`}>{t('orgUnits.name')}</label>
        <input
          id={`${base}-name`}
          type="text"
          maxLength={200}
          required
          value={name}
          aria-invalid={!!invalid.name}
          aria-describedby={invalid.name ? `${base}-name-error` : undefined}
          onInput={(e) => onName(e.currentTarget.value)}
        />
        <FieldError id={`${base}-name-error`} message={invalid.name} />
      </div>
      <div class="field">
        <label for={`${base}-slug`}>{t('orgUnits.slug')}</label>
        <input
          id={`${base}-slug`}
          type="text"
          maxLength={63}
          required={!slugLocked}
          autoCapitalize="none"
          autoComplete="off"
          spellcheck={false}
          readOnly={slugLocked}
          value={slug}
          aria-invalid={!!invalid.slug}
          aria-describedby={`${base}-slug-hint${invalid.slug ? ` ${base}-slug-error` : ''}`}
          onInput={(e) => onSlug(e.currentTarget.value)}
        />
        <p id={`${base}-slug-hint`} class="hint">
          {slugLocked ? t('orgUnits.slugLocked') : t('orgUnits.slugHint')}
        </p>
        <FieldError id={`${base}-slug-error`} message={invalid.slug} />
      </div>
    </>
  );
}

/** New name and, except for the admin's own top unit, a new short name. */
export function RenameUnitForm({
  unit,
  parentName,
  onDone,
  onCancel,
}: {
  unit: TreeUnit;
  /** Null for the admin's own top unit, whose short name stays. */
  parentName: string | null;
  onDone: Done;
  onCancel(): void;
}) {
  const isTop = parentName === null;
  const { t } = useT();
  const [name, setName] = useState(unit.name);
  const [slug, setSlug] = useState(unit.slug);
  const [invalid, setInvalid] = useState<{ name?: string | null; slug?: string | null }>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `rename-${unit.id}`;

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const newSlug = slug.trim().toLowerCase();
    const found = { name: nameProblem(name, t), slug: isTop ? null : slugProblem(slug, t) };
    setInvalid(found);
    if (found.name || found.slug) {
      document.getElementById(`${base}-${found.name ? 'name' : 'slug'}`)?.focus();
      return;
    }
    const changes: { name?: string; slug?: string } = {};
    if (name.trim() !== unit.name) changes.name = name.trim();
    if (!isTop && newSlug !== unit.slug) changes.slug = newSlug;
    if (!changes.name && !changes.slug) {
      onCancel();
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const saved = await updateUnit(unit.id, changes);
      onDone(t('orgUnits.renamed', { name: saved.name }), unit.id);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 409 && changes.slug) {
        setInvalid({ slug: t('orgUnits.slugTaken', { parent: parentName, slug: newSlug }) });
        document.getElementById(`${base}-slug`)?.focus();
      } else {
        setProblem(failureText(failure, t));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form unit-form" noValidate aria-busy={busy} aria-labelledby={`${base}-heading`} onSubmit={submit}>
      <h3 id={`${base}-heading`} class="unit-form__heading">
        {t('orgUnits.renameHeading', { name: unit.name })}
      </h3>
      <Alert message={problem} />
      <NameAndSlugFields base={base} name={name} onName={setName} slug={slug} onSlug={setSlug} invalid={invalid} slugLocked={isTop} />
      <FormActions busy={busy} label={busy ? t('orgUnits.saving') : t('orgUnits.save')} onCancel={onCancel} />
    </form>
  );
}

/** The new parent, chosen from the units it may go under (a filter narrows a long list). */
export function MoveUnitForm({ unit, index, onDone, onCancel }: { unit: TreeUnit; index: UnitIndex; onDone: Done; onCancel(): void }) {
  const { t } = useT();
  const targets = useMemo(() => moveTargets(index, unit).map((target) => ({ target, label: namesPath(index, target) })), [index, unit]);
  const [filter, setFilter] = useState('');
  const [parentId, setParentId] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `move-${unit.id}`;
  const needle = filter.trim().toLowerCase();
  const shown = useMemo(() => {
    const matching = needle
      ? targets.filter(({ target, label }) => label.toLowerCase().includes(needle) || target.path.includes(needle))
      : targets;
    // Keep the chosen unit listed even when the filter no longer matches it.
    const chosen = targets.find(({ target }) => target.id === parentId);
    const list = matching.slice(0, MAX_OPTIONS);
    return chosen && !list.includes(chosen) ? [chosen, ...list] : list;
  }, [targets, needle, parentId]);

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    if (!parentId) {
      setInvalid(t('orgUnits.parentRequired'));
      document.getElementById(`${base}-parent`)?.focus();
      return;
    }
    setInvalid(null);
    setBusy(true);
    setProblem(null);
    const parent = index.byId.get(parentId)!;
    try {
      await moveUnit(unit.id, parentId);
      onDone(t('orgUnits.moved', { name: unit.name, parent: parent.name }), unit.id, [parentId]);
    } catch (failure) {
      setProblem(
        failure instanceof ApiError && failure.status === 409 ? t('orgUnits.moveClash', { parent: parent.name }) : failureText(failure, t),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form unit-form" noValidate aria-busy={busy} aria-labelledby={`${base}-heading`} onSubmit={submit}>
      <h3 id={`${base}-heading`} class="unit-form__heading">
        {t('orgUnits.moveHeading', { name: unit.name })}
      </h3>
      <p class="hint">{t('orgUnits.moveHint', { name: unit.name })}</p>
      <Alert message={problem} />
      {targets.length === 0 ? (
        <p class="notice">{t('orgUnits.noTargets')}</p>
      ) : (
        <>
          {targets.length > 10 && (
            <div class="field">
              <label for={`${base}-filter`}>{t('orgUnits.filterParents')}</label>
              <input
                id={`${base}-filter`}
                type="search"
                autoComplete="off"
                value={filter}
                aria-describedby={`${base}-filter-hint`}
                onInput={(e) => setFilter(e.currentTarget.value)}
              />
              <p id={`${base}-filter-hint`} class="hint">
                {t('orgUnits.filterHint')}
              </p>
            </div>
          )}
          <div class="field">
            <label for={`${base}-parent`}>{t('orgUnits.newParent')}</label>
            <select
              id={`${base}-parent`}
              value={parentId}
              aria-invalid={!!invalid}
              aria-describedby={invalid ? `${base}-parent-error` : undefined}
              onChange={(e) => setParentId(e.currentTarget.value)}
            >
              <option value="">{t('orgUnits.chooseParent')}</option>
              {shown.map(({ target, label }) => (
                <option key={target.id} value={target.id}>
                  {label}
                </option>
              ))}
            </select>
            <FieldError id={`${base}-parent-error`} message={invalid} />
          </div>
        </>
      )}
      <FormActions
        busy={busy}
        label={targets.length > 0 ? (busy ? t('orgUnits.moving') : t('orgUnits.moveButton')) : null}
        onCancel={onCancel}
      />
    </form>
  );
}

/** One refusal reason in the reader's words. */
function blockerText(blocker: DeleteBlocker, t: Translate): string {
  return t(`orgUnits.blocker.${blocker.code}`, { count: blocker.count, names: (blocker.names ?? []).map((n) => `“${n}”`).join('、') });
}

/** Asks before deleting; a refusal lists every reason the server gave. */
export function DeleteUnitConfirm({
  unit,
  parentId,
  onDone,
  onCancel,
}: {
  unit: TreeUnit;
  parentId: string;
  onDone: Done;
  onCancel(): void;
}) {
  const { t } = useT();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [blockers, setBlockers] = useState<DeleteBlocker[] | null>(null);
  const base = `delete-${unit.id}`;

  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    setBlockers(null);
    try {
      await deleteUnit(unit.id);
      onDone(t('orgUnits.deleted', { name: unit.name }), parentId);
    } catch (failure) {
      if (failure instanceof UnitDeleteRefused && failure.status === 409 && failure.blockers.length) setBlockers(failure.blockers);
      else setProblem(failureText(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="unit-form" aria-labelledby={`${base}-heading`} aria-busy={busy}>
      <h3 id={`${base}-heading`} class="unit-form__heading">
        {t('orgUnits.deleteHeading', { name: unit.name })}
      </h3>
      <Alert message={problem} />
      <div role="alert" class={blockers ? 'alert alert--shown unit-refusal' : 'alert'}>
        {blockers && (
          <>
            <p>{t('orgUnits.cannotDelete', { name: unit.name })}</p>
            <ul>
              {blockers.map((b) => (
                <li key={b.code}>{blockerText(b, t)}</li>
              ))}
            </ul>
            <p>{t('orgUnits.deleteAdvice')}</p>
          </>
        )}
      </div>
      {!blockers && <p>{t('orgUnits.confirmDelete', { name: unit.name })}</p>}
      <p class="actions">
        {!blockers && (
          <button type="button" class="button button--danger" aria-disabled={busy} onClick={confirm}>
            {busy ? t('orgUnits.deleting') : t('orgUnits.deleteButton')}
          </button>
        )}
        <button type="button" class="button button--quiet" onClick={onCancel}>
          {blockers ? t('orgUnits.close') : t('orgUnits.cancel')}
        </button>
      </p>
    </section>
  );
}
