import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import {
  enrol,
  enrolByFilter,
  importRoster,
  type ClassMemberFilter,
  type FilterEnrolResult,
  type RosterResult,
  type TrainingClass,
} from '../api/classes.js';
import { listMemberCategories, listMembers } from '../api/endpoints.js';
import { listPositionKinds } from '../api/positions.js';
import { listOrgUnits } from '../api/study.js';
import type { Member } from '../api/types.js';
import { Alert } from '../components/alert.js';
import { FileButton } from '../components/file-button.js';
import { LiveStatus } from '../components/live-status.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { failureText, isWithin, UnitOptions } from './classes-shared.js';
import { DataTable, NamedSelect } from './fields.js';

/** Finds members by name or login and enrols them one at a time. */
export function AddOne({ classId, onChanged }: { classId: string; onChanged(): void }) {
  const { t } = useT();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Member[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  const search = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy || !q.trim()) return;
    setBusy(true);
    setProblem(null);
    setStatus(t('orgClasses.searching'));
    try {
      const page = await listMembers({ q: q.trim(), limit: 10, offset: 0 });
      setFound(page.items);
      setStatus(page.items.length === 0 ? t('orgClasses.noMatches') : null);
    } catch (failure) {
      setStatus(null);
      setProblem(failureText(failure, t));
    } finally {
      setBusy(false);
    }
  };

  const add = async (member: Member) => {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    try {
      const result = await enrol(classId, [member.id]);
      setStatus(t(result.enrolled > 0 ? 'orgClasses.enrolledOne' : 'orgClasses.alreadyInOne', { name: member.name }));
      onChanged();
    } catch (failure) {
      setProblem(failureText(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="add-one-heading">
      <h3 id="add-one-heading">{t('orgClasses.addOneHeading')}</h3>
      <form class="inline-form" role="search" onSubmit={search}>
        <div class="field">
          <label for="add-one-q">{t('orgClasses.searchLabel')}</label>
          <input id="add-one-q" type="search" maxLength={100} value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        </div>
        <button type="submit" class="button" disabled={busy}>
          {t('orgClasses.search')}
        </button>
      </form>
      <Alert message={problem} />
      <LiveStatus message={status} />
      {found && found.length > 0 && (
        <ul class="search-results" aria-busy={busy}>
          {found.map((member) => (
            <li key={member.id}>
              <span class="search-results__who">
                <strong>{member.name}</strong> {member.login} · {member.orgUnit.name}
              </span>
              <button
                type="button"
                class="button button--primary"
                disabled={busy}
                aria-label={t('orgClasses.enrolOneLabel', { name: member.name })}
                onClick={() => add(member)}
              >
                {t('orgClasses.enrolOne')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The member list's filter: count who matches, then enrol them all once the admin confirms. */
export function AddByFilter({ item, onChanged }: { item: TrainingClass; onChanged(): void }) {
  const { t } = useT();
  const units = useResource(listOrgUnits, []);
  const categories = useResource(listMemberCategories, []);
  const kinds = useResource(listPositionKinds, []);
  const [filter, setFilter] = useState<ClassMemberFilter>({ unitId: '', category: '', position: '', activeOnly: true, q: '' });
  const [preview, setPreview] = useState<FilterEnrolResult | null>(null);
  const [busy, setBusy] = useState<'count' | 'add' | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const change = (patch: Partial<ClassMemberFilter>) => {
    setFilter({ ...filter, ...patch });
    setPreview(null);
  };

  const run = async (mode: 'count' | 'add') => {
    if (busy) return;
    setBusy(mode);
    setProblem(null);
    setStatus(t(mode === 'count' ? 'orgClasses.counting' : 'orgClasses.adding'));
    try {
      const result = await enrolByFilter(item.id, filter, mode === 'count');
      if (mode === 'count') {
        setPreview(result);
        setStatus(null);
      } else {
        setPreview(null);
        setStatus(t('orgClasses.filterDone', { enrolled: result.enrolled, alreadyIn: result.alreadyIn }));
        onChanged();
      }
    } catch (failure) {
      setStatus(null);
      setProblem(failureText(failure, t));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="panel" aria-labelledby="add-filter-heading">
      <h3 id="add-filter-heading">{t('orgClasses.filterHeading')}</h3>
      <p class="hint">{t('orgClasses.filterHint')}</p>
      <form
        class="form form--compact"
        aria-busy={busy !== null}
        onSubmit={(event) => {
          event.preventDefault();
          void run('count');
        }}
      >
        <div class="field-row">
          <div class="field">
            <label for="filter-unit">{t('orgClasses.filterUnit')}</label>
            <select id="filter-unit" value={filter.unitId} onChange={(e) => change({ unitId: e.currentTarget.value })}>
              <option value="">{t('orgClasses.allUnits')}</option>
              {units.data && <UnitOptions units={units.data.filter((u) => isWithin(u.path, item.ownerUnit.path))} />}
            </select>
          </div>
          <NamedSelect
            id="filter-category"
            label={t('orgClasses.filterCategory')}
            value={filter.category}
            emptyLabel={t('orgClasses.any')}
            options={categories.data ?? []}
            onChange={(category) => change({ category })}
          />
          <NamedSelect
            id="filter-position"
            label={t('orgClasses.filterPosition')}
            value={filter.position}
            emptyLabel={t('orgClasses.any')}
            options={kinds.data ?? []}
            onChange={(position) => change({ position })}
          />
          <div class="field">
            <label for="filter-q">{t('orgClasses.filterQ')}</label>
            <input id="filter-q" type="text" maxLength={100} value={filter.q} onInput={(e) => change({ q: e.currentTarget.value })} />
          </div>
        </div>
        <label class="checkbox">
          <input type="checkbox" checked={filter.activeOnly} onChange={(e) => change({ activeOnly: e.currentTarget.checked })} />
          {t('orgClasses.filterActive')}
        </label>
        <p class="actions">
          <button type="submit" class="button" disabled={busy !== null}>
            {busy === 'count' ? t('orgClasses.counting') : t('orgClasses.count')}
          </button>
        </p>
      </form>
      <Alert message={problem} />
      <LiveStatus message={status} />
      {preview && (
        <div class="notice" role="status">
          <p>
            {preview.enrolled > 0
              ? t('orgClasses.preview', { matched: preview.matched, enrolled: preview.enrolled, alreadyIn: preview.alreadyIn })
              : t('orgClasses.previewNone', { matched: preview.matched })}
          </p>
          {preview.enrolled > 0 && (
            <p class="actions">
              <button type="button" class="button button--primary" disabled={busy !== null} onClick={() => run('add')}>
                {busy === 'add' ? t('orgClasses.adding') : t('orgClasses.confirmAdd', { count: preview.enrolled })}
              </button>
              <button type="button" class="button" onClick={() => setPreview(null)}>
                {t('orgClasses.cancel')}
              </button>
            </p>
          )}
        </div>
      )}
    </section>
  );
}

/** Enrols the logins of a CSV file and shows each row that could not be enrolled. */
export function AddByFile({ classId, onChanged }: { classId: string; onChanged(): void }) {
  const { t } = useT();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [result, setResult] = useState<RosterResult | null>(null);

  const upload = async (file: File) => {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    setResult(null);
    setStatus(t('orgClasses.uploading', { name: file.name }));
    try {
      const answer = await importRoster(classId, file);
      setResult(answer);
      setStatus(t('orgClasses.csvDone', { enrolled: answer.enrolled, alreadyIn: answer.alreadyIn, rejected: answer.rejected.length }));
      if (answer.enrolled > 0) onChanged();
    } catch (failure) {
      setStatus(null);
      setProblem(failureText(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="add-file-heading" aria-busy={busy}>
      <h3 id="add-file-heading">{t('orgClasses.csvHeading')}</h3>
      <p id="add-file-hint" class="hint">
        {t('orgClasses.csvHint')}
      </p>
      <FileButton label={t('orgClasses.chooseFile')} accept=".csv,text/csv" describedBy="add-file-hint" onFile={upload} />
      <Alert message={problem} />
      <LiveStatus message={status} />
      {result && result.rejected.length > 0 && (
        <DataTable
          caption={{ id: 'add-file-rejected', text: t('orgClasses.rejectedCaption') }}
          rows={result.rejected}
          rowKey={(row) => row.row}
          columns={[
            { label: t('orgClasses.colRow'), cell: (row) => row.row },
            { label: t('orgClasses.colLogin'), cell: (row) => row.login },
            { label: t('orgClasses.colReason'), cell: (row) => t(`orgClasses.reasons.${row.code}`) },
          ]}
        />
      )}
    </section>
  );
}
