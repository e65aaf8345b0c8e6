import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { archiveClass, getClass, updateClass, type TrainingClass } from '../api/classes.js';
import { Alert } from '../components/alert.js';
import { Breadcrumb } from '../components/breadcrumb.js';
import { LiveStatus } from '../components/live-status.js';
import { Page } from '../components/page.js';
import { day } from '../format/numbers.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { ClassMembers } from './classes-members.js';
import { AddByFile, AddByFilter, AddOne } from './classes-enrol.js';
import { failureText } from './classes-shared.js';
import { OrgNav } from './org-nav.js';
import './classes.css';

/** One training class: its details, its members, and the ways of enrolling more. */
export function ClassPage({ classId }: { classId: string }) {
  const { t } = useT();
  const found = useResource(() => getClass(classId), [classId]);
  // Bumped after every enrolment so the member table reloads.
  const [roster, setRoster] = useState(0);
  const changed = () => {
    setRoster((n) => n + 1);
    found.reload();
  };
  const item = found.data;
  return (
    <>
      <Breadcrumb trail={[{ href: '/organisation/classes', label: t('orgClasses.back') }]} current={item?.name ?? t('orgClasses.title')} />
      <Page title={item?.name ?? t('orgClasses.title')}>
        <OrgNav />
        <div class="org-classes">
          <Alert message={found.error && t(found.error)} />
          {found.loading && !item && (
            <p class="status" role="status">
              {t('app.loading')}
            </p>
          )}
          {item && (
            <>
              <ClassDetails item={item} onChanged={(next) => found.set(next)} />
              <ClassMembers classId={item.id} archived={item.archivedAt !== null} generation={roster} onChanged={changed} />
              {!item.archivedAt && (
                <section aria-labelledby="add-heading">
                  <h2 id="add-heading">{t('orgClasses.addHeading')}</h2>
                  <AddOne classId={item.id} onChanged={changed} />
                  <AddByFilter item={item} onChanged={changed} />
                  <AddByFile classId={item.id} onChanged={changed} />
                </section>
              )}
            </>
          )}
        </div>
      </Page>
    </>
  );
}

function ClassDetails({ item, onChanged }: { item: TrainingClass; onChanged(next: TrainingClass): void }) {
  const { t, lang } = useT();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  const archive = async () => {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    try {
      onChanged(await archiveClass(item.id));
      setConfirming(false);
      setStatus(t('orgClasses.archivedDone'));
    } catch (failure) {
      setProblem(failureText(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="details-heading">
      <h2 id="details-heading">{t('orgClasses.details')}</h2>
      {item.archivedAt && <p class="notice">{t('orgClasses.archivedNote')}</p>}
      <Alert message={problem} />
      <LiveStatus message={status} />
      {editing ? (
        <EditClassForm
          item={item}
          onDone={(next) => {
            setEditing(false);
            if (next) {
              onChanged(next);
              setStatus(t('orgClasses.saved'));
            }
          }}
        />
      ) : (
        <>
          <dl class="facts">
            <dt>{t('orgClasses.startsOn')}</dt>
            <dd>{day(item.startsOn, lang)}</dd>
            <dt>{t('orgClasses.endsOn')}</dt>
            <dd>{day(item.endsOn, lang)}</dd>
            <dt>{t('orgClasses.ownerUnit')}</dt>
            <dd>{item.ownerUnit.name}</dd>
            <dt>{t('orgClasses.enrolledFact')}</dt>
            <dd>{item.enrolledCount}</dd>
            {item.description && (
              <>
                <dt>{t('orgClasses.descriptionFact')}</dt>
                <dd class="description">{item.description}</dd>
              </>
            )}
          </dl>
          {!item.archivedAt && (
            <p class="actions">
              <button type="button" class="button" onClick={() => setEditing(true)}>
                {t('orgClasses.edit')}
              </button>
              {!confirming && (
                <button type="button" class="button button--danger" onClick={() => setConfirming(true)}>
                  {t('orgClasses.archive')}
                </button>
              )}
            </p>
          )}
          {confirming && (
            <div class="confirm">
              <p>{t('orgClasses.archiveQuestion')}</p>
              <p class="actions">
                <button type="button" class="button button--danger-strong" disabled={busy} aria-busy={busy} onClick={archive}>
                  {t('orgClasses.archiveYes')}
                </button>
                <button type="button" class="button" onClick={() => setConfirming(false)}>
                  {t('orgClasses.cancel')}
                </button>
              </p>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function EditClassForm({ item, onDone }: { item: TrainingClass; onDone(next: TrainingClass | null): void }) {
  const { t } = useT();
  const [name, setName] = useState(item.name);
  const [description, setDescription] = useState(item.description);
  const [startsOn, setStartsOn] = useState(item.startsOn);
  const [endsOn, setEndsOn] = useState(item.endsOn);
  const [invalid, setInvalid] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    if (!name.trim()) return setInvalid(t('orgClasses.nameRequired'));
    if (!startsOn || !endsOn) return setInvalid(t('orgClasses.dateRequired'));
    if (endsOn < startsOn) return setInvalid(t('orgClasses.endBeforeStart'));
    setInvalid(null);
    setBusy(true);
    setProblem(null);
    try {
      onDone(await updateClass(item.id, { name: name.trim(), description: description.trim(), startsOn, endsOn }));
    } catch (failure) {
      setProblem(failureText(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form form--compact" noValidate aria-busy={busy} onSubmit={submit}>
      <Alert message={problem ?? invalid} />
      <div class="field">
        <label for="edit-class-name">{t('orgClasses.name')}</label>
        <input id="edit-class-name" type="text" maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="edit-class-description">{t('orgClasses.description')}</label>
        <textarea
          id="edit-class-description"
          rows={3}
          maxLength={2000}
          value={description}
          onInput={(e) => setDescription(e.currentTarget.value)}
        />
      </div>
      <div class="field-row">
        <div class="field">
          <label for="edit-class-startsOn">{t('orgClasses.startsOn')}</label>
          <input id="edit-class-startsOn" type="date" value={startsOn} onInput={(e) => setStartsOn(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="edit-class-endsOn">{t('orgClasses.endsOn')}</label>
          <input id="edit-class-endsOn" type="date" min={startsOn} value={endsOn} onInput={(e) => setEndsOn(e.currentTarget.value)} />
        </div>
      </div>
      <p class="actions">
        <button type="submit" class="button button--primary" disabled={busy}>
          {busy ? t('orgClasses.saving') : t('orgClasses.save')}
        </button>
        <button type="button" class="button" onClick={() => onDone(null)}>
          {t('orgClasses.cancel')}
        </button>
      </p>
    </form>
  );
}
