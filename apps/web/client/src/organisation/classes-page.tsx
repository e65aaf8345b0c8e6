import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { createClass, listClasses } from '../api/classes.js';
import { listOrgUnits } from '../api/study.js';
import { Alert } from '../components/alert.js';
import { LiveStatus } from '../components/live-status.js';
import { Page } from '../components/page.js';
import { useSession } from '../auth/session.js';
import { day } from '../format/numbers.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { navigate } from '../router/router.js';
import { failureText, UnitOptions } from './classes-shared.js';
import { OrgNav } from './org-nav.js';
import './classes.css';

export const classPath = (id: string) => `/organisation/classes/${encodeURIComponent(id)}`;

/** The training classes of the admin's subtree, with how many are enrolled, and a form for a new one. */
export function ClassesPage() {
  const { t, lang } = useT();
  const [includeArchived, setIncludeArchived] = useState(false);
  const classes = useResource(() => listClasses(includeArchived), [includeArchived]);
  return (
    <Page title={t('orgClasses.title')}>
      <OrgNav />
      <div class="org-classes">
        <h2>{t('orgClasses.listHeading')}</h2>
        <label class="checkbox">
          <input type="checkbox" checked={includeArchived} onChange={(e) => setIncludeArchived(e.currentTarget.checked)} />
          {t('orgClasses.showArchived')}
        </label>
        <Alert message={classes.error && t(classes.error)} />
        {classes.loading && !classes.data && (
          <p class="status" role="status">
            {t('app.loading')}
          </p>
        )}
        {classes.data?.items.length === 0 && <p class="notice">{includeArchived ? t('orgClasses.noneArchived') : t('orgClasses.none')}</p>}
        {classes.data && classes.data.items.length > 0 && (
          <ul class="plan-list" aria-busy={classes.loading}>
            {classes.data.items.map((item) => (
              <li key={item.id}>
                <article class="plan-item" aria-labelledby={`class-${item.id}`}>
                  <h3 id={`class-${item.id}`} class="plan-item__name">
                    <Link href={classPath(item.id)}>{item.name}</Link>
                  </h3>
                  <p class="class-facts">
                    {item.archivedAt && <span class="badge badge--archived">{t('orgClasses.archived')}</span>}
                    <span>{t('orgClasses.period', { from: day(item.startsOn, lang), to: day(item.endsOn, lang) })}</span>
                    <span>{t('orgClasses.enrolledCount', { count: item.enrolledCount })}</span>
                    <span>{t('orgClasses.owner', { name: item.ownerUnit.name })}</span>
                  </p>
                </article>
              </li>
            ))}
          </ul>
        )}
        <NewClassForm />
      </div>
    </Page>
  );
}

type Field = 'name' | 'startsOn' | 'endsOn';

function NewClassForm() {
  const { t } = useT();
  const { user } = useSession();
  const units = useResource(listOrgUnits, []);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [ownerUnitId, setOwnerUnitId] = useState('');
  const [startsOn, setStartsOn] = useState('');
  const [endsOn, setEndsOn] = useState('');
  const [invalid, setInvalid] = useState<Partial<Record<Field, string>>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const found: Partial<Record<Field, string>> = {};
    if (!name.trim()) found.name = t('orgClasses.nameRequired');
    if (!startsOn) found.startsOn = t('orgClasses.dateRequired');
    if (!endsOn) found.endsOn = t('orgClasses.dateRequired');
    else if (startsOn && endsOn < startsOn) found.endsOn = t('orgClasses.endBeforeStart');
    setInvalid(found);
    const first = (['name', 'startsOn', 'endsOn'] as const).find((f) => found[f]);
    if (first) {
      document.getElementById(`new-class-${first}`)?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    setStatus(t('orgClasses.creating'));
    try {
      const made = await createClass({
        name: name.trim(),
        description: description.trim(),
        ownerUnitId: ownerUnitId || user.orgUnit?.id || '',
        startsOn,
        endsOn,
      });
      setStatus(t('orgClasses.created', { name: made.name }));
      navigate(classPath(made.id));
    } catch (failure) {
      setStatus(null);
      setProblem(failureText(failure, t));
    } finally {
      setBusy(false);
    }
  };

  const error = (field: Field) =>
    invalid[field] ? (
      <p id={`new-class-${field}-error`} class="field__error">
        {invalid[field]}
      </p>
    ) : null;
  const described = (field: Field) => (invalid[field] ? `new-class-${field}-error` : undefined);

  return (
    <section class="panel" aria-labelledby="new-class-heading">
      <h2 id="new-class-heading">{t('orgClasses.createHeading')}</h2>
      <form class="form" noValidate aria-busy={busy} onSubmit={submit}>
        <Alert message={problem} />
        <div class="field">
          <label for="new-class-name">{t('orgClasses.name')}</label>
          <input
            id="new-class-name"
            type="text"
            maxLength={200}
            required
            aria-invalid={!!invalid.name}
            aria-describedby={described('name')}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
          {error('name')}
        </div>
        <div class="field">
          <label for="new-class-description">{t('orgClasses.description')}</label>
          <textarea
            id="new-class-description"
            rows={3}
            maxLength={2000}
            value={description}
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="new-class-owner">{t('orgClasses.ownerUnit')}</label>
          <select
            id="new-class-owner"
            aria-describedby="new-class-owner-hint"
            value={ownerUnitId || user.orgUnit?.id}
            onChange={(e) => setOwnerUnitId(e.currentTarget.value)}
          >
            {units.data ? <UnitOptions units={units.data} /> : user.orgUnit && <option value={user.orgUnit.id}>{user.orgUnit.name}</option>}
          </select>
          <p id="new-class-owner-hint" class="hint">
            {t('orgClasses.ownerHint')}
          </p>
        </div>
        <div class="field-row">
          <div class="field">
            <label for="new-class-startsOn">{t('orgClasses.startsOn')}</label>
            <input
              id="new-class-startsOn"
              type="date"
              required
              aria-invalid={!!invalid.startsOn}
              aria-describedby={described('startsOn')}
              value={startsOn}
              onInput={(e) => setStartsOn(e.currentTarget.value)}
            />
            {error('startsOn')}
          </div>
          <div class="field">
            <label for="new-class-endsOn">{t('orgClasses.endsOn')}</label>
            <input
              id="new-class-endsOn"
              type="date"
              required
              min={startsOn || undefined}
              aria-invalid={!!invalid.endsOn}
              aria-describedby={described('endsOn')}
              value={endsOn}
              onInput={(e) => setEndsOn(e.currentTarget.value)}
            />
            {error('endsOn')}
          </div>
        </div>
        <p class="actions">
          <button type="submit" class="button button--primary button--big" disabled={busy}>
            {busy ? t('orgClasses.creating') : t('orgClasses.create')}
          </button>
        </p>
        <LiveStatus message={status} />
      </form>
    </section>
  );
}
