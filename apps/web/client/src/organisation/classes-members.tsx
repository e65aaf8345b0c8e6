import { useState } from 'preact/hooks';
import { listEnrolments, withdraw, type Enrolment } from '../api/classes.js';
import { Alert } from '../components/alert.js';
import { LiveStatus } from '../components/live-status.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { dayOf, failureText } from './classes-shared.js';

const PAGE = 50;

/** Who is and was in a class, enrolled first; each enrolled member can be withdrawn (the row stays). */
export function ClassMembers({
  classId,
  archived,
  generation,
  onChanged,
}: {
  classId: string;
  archived: boolean;
  generation: number;
  onChanged(): void;
}) {
  const { t, lang } = useT();
  const [offset, setOffset] = useState(0);
  const page = useResource(() => listEnrolments(classId, PAGE, offset), [classId, offset, generation]);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  const doWithdraw = async (member: Enrolment) => {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    try {
      await withdraw(classId, member.userId);
      setConfirming(null);
      setStatus(t('orgClasses.withdrawn', { name: member.name }));
      onChanged();
    } catch (failure) {
      setProblem(failureText(failure, t));
    } finally {
      setBusy(false);
    }
  };

  const total = page.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE));
  const columns = {
    name: t('orgClasses.colName'),
    login: t('orgClasses.colLogin'),
    unit: t('orgClasses.colUnit'),
    enrolled: t('orgClasses.colEnrolled'),
    status: t('orgClasses.colStatus'),
    action: t('orgClasses.colAction'),
  };
  return (
    <section class="panel" aria-labelledby="members-heading">
      <h2 id="members-heading">{t('orgClasses.membersHeading')}</h2>
      <Alert message={problem ?? (page.error && t(page.error))} />
      <LiveStatus message={status} />
      {page.loading && !page.data && (
        <p class="status" role="status">
          {t('app.loading')}
        </p>
      )}
      {page.data?.total === 0 && <p class="notice">{t('orgClasses.noMembers')}</p>}
      {page.data && page.data.total > 0 && (
        <>
          <table class="members" role="table" aria-label={t('orgClasses.membersCaption')} aria-busy={page.loading}>
            <thead role="rowgroup">
              <tr role="row">
                {Object.values(archived ? { ...columns, action: undefined } : columns)
                  .filter((label): label is string => label !== undefined)
                  .map((label) => (
                    <th key={label} role="columnheader" scope="col">
                      {label}
                    </th>
                  ))}
              </tr>
            </thead>
            <tbody role="rowgroup">
              {page.data.items.map((member) => (
                <tr key={member.userId} role="row">
                  <td role="cell" data-label={columns.name} class="members__name">
                    {member.name}
                  </td>
                  <td role="cell" data-label={columns.login}>
                    {member.login}
                  </td>
                  <td role="cell" data-label={columns.unit} class="members__path">
                    {member.orgUnit.name}
                  </td>
                  <td role="cell" data-label={columns.enrolled}>
                    {dayOf(member.enrolledAt, lang)}
                  </td>
                  <td role="cell" data-label={columns.status}>
                    {member.withdrawnAt
                      ? t('orgClasses.statusWithdrawn', { date: dayOf(member.withdrawnAt, lang) })
                      : t('orgClasses.statusEnrolled')}
                  </td>
                  {!archived && (
                    <td role="cell" data-label={columns.action}>
                      {!member.withdrawnAt && confirming !== member.userId && (
                        <button
                          type="button"
                          class="button button--danger"
                          aria-label={t('orgClasses.withdrawLabel', { name: member.name })}
                          onClick={() => setConfirming(member.userId)}
                        >
                          {t('orgClasses.withdraw')}
                        </button>
                      )}
                      {confirming === member.userId && (
                        <div class="confirm">
                          <p>{t('orgClasses.withdrawQuestion', { name: member.name })}</p>
                          <p class="actions actions--compact">
                            <button
                              type="button"
                              class="button button--danger-strong"
                              disabled={busy}
                              aria-busy={busy}
                              onClick={() => doWithdraw(member)}
                            >
                              {t('orgClasses.withdrawYes')}
                            </button>
                            <button type="button" class="button" onClick={() => setConfirming(null)}>
                              {t('orgClasses.cancel')}
                            </button>
                          </p>
                        </div>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          {pages > 1 && (
            <nav class="pager" aria-label={t('orgClasses.membersHeading')}>
              <button type="button" class="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                {t('orgClasses.previous')}
              </button>
              <span class="status">{t('orgClasses.pageOf', { page: offset / PAGE + 1, pages, total })}</span>
              <button type="button" class="button" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
                {t('orgClasses.next')}
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}
