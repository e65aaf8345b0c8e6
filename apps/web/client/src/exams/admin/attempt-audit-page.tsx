import { attemptAudit, examReportList, type AttemptAudit, type AttemptEvent } from '../../api/exam-admin.js';
import { Alert } from '../../components/alert.js';
import { Breadcrumb } from '../../components/breadcrumb.js';
import { Page } from '../../components/page.js';
import { useResource } from '../../hooks/use-resource.js';
import type { Language } from '../../i18n/index.js';
import { useT } from '../../i18n/use-t.js';
import { adminPaths } from '../../reports/paths.js';
import { Link } from '../../router/link.js';
import { dateTime, examAdminPaths, pointsText } from './shared.js';
import './exam-admin.css';

/** One attempt's trail: every event with its time and who caused it, and any extra attempts granted. */
export function AttemptAuditPage({ attemptId }: { attemptId: string }) {
  const { t } = useT();
  const audit = useResource(() => attemptAudit(attemptId), [attemptId]);
  const examId = audit.data?.attempt.examId;
  // The exam's title, from the exam reports the admin reads anyway.
  const exam = useResource(
    async () => (examId ? ((await examReportList().catch(() => [])).find((e) => e.examId === examId) ?? null) : null),
    [examId],
  );
  const title = t('examAdmin.audit.title');
  const examTitle = exam.data?.title ?? t('examAdmin.report.fallbackTitle');
  return (
    <>
      <Breadcrumb
        trail={[
          { href: adminPaths.reports, label: t('reports.title') },
          { href: examAdminPaths.reports, label: t('examAdmin.reports.title') },
          ...(examId ? [{ href: examAdminPaths.report(examId), label: examTitle }] : []),
        ]}
        current={title}
      />
      <Page title={title}>
        <Alert message={audit.error && t(audit.error)} />
        {audit.loading && !audit.data && (
          <p class="status" role="status">
            {t('app.loading')}
          </p>
        )}
        {audit.data && <AuditBody audit={audit.data} examTitle={examTitle} />}
        {examId && (
          <p class="actions">
            <Link href={examAdminPaths.report(examId)} class="button">
              {t('examAdmin.audit.back')}
            </Link>
          </p>
        )}
      </Page>
    </>
  );
}

const STATUSES = ['in_progress', 'grading', 'graded', 'voided'] as const;
const ACTIONS = ['start', 'save', 'submit'] as const;
const SIMPLE = ['reason', 'revision', 'number', 'questions', 'pending', 'answered', 'comment'] as const;

/** The event's particulars in words: which question, points, a reason, what was refused. */
export function detailText(event: AttemptEvent, t: ReturnType<typeof useT>['t'], lang: Language): string {
  const parts: string[] = [];
  const points = (value: unknown) => (typeof value === 'number' ? pointsText(value, lang) : String(value));
  const status = (value: string) =>
    (STATUSES as readonly string[]).includes(value) ? t(`examAdmin.attempts.status.${value as (typeof STATUSES)[number]}`) : value;
  for (const [key, value] of Object.entries(event.detail ?? {})) {
    if (value === null || value === undefined || value === '') continue;
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    if (key === 'item' && typeof value === 'number') parts.push(t('examAdmin.audit.detail.item', { n: value + 1 }));
    else if (key === 'points' || key === 'previous' || key === 'autoScore')
      parts.push(t(`examAdmin.audit.detail.${key}`, { value: points(value) }));
    else if (key === 'previousStatus') parts.push(t('examAdmin.audit.detail.previousStatus', { value: status(text) }));
    else if (key === 'action' && (ACTIONS as readonly string[]).includes(text))
      parts.push(t(`examAdmin.audit.detail.action.${text as (typeof ACTIONS)[number]}`));
    else if (key === 'reason' && event.kind === 'refused')
      parts.push(
        text === 'other_device' ? t('examAdmin.audit.detail.otherDevice') : t('examAdmin.audit.detail.reason', { value: status(text) }),
      );
    else if ((SIMPLE as readonly string[]).includes(key))
      parts.push(t(`examAdmin.audit.detail.${key as (typeof SIMPLE)[number]}`, { value: text }));
    else parts.push(t('examAdmin.audit.detail.other', { key, value: text }));
  }
  return parts.join(lang === 'en' ? '; ' : '；');
}

function AuditBody({ audit, examTitle }: { audit: AttemptAudit; examTitle: string }) {
  const { t, lang } = useT();
  const a = audit.attempt;
  const label = {
    time: t('examAdmin.audit.colTime'),
    event: t('examAdmin.audit.colEvent'),
    actor: t('examAdmin.audit.colActor'),
    detail: t('examAdmin.audit.colDetail'),
  };
  const events = [...audit.events].sort((x, y) => x.at.localeCompare(y.at));
  return (
    <>
      <p class="lead">{t('examAdmin.audit.lead', { name: a.member.name, unit: a.member.unitName, exam: examTitle, n: a.number })}</p>
      <section aria-labelledby="audit-facts">
        <h2 id="audit-facts">{t('examAdmin.audit.facts')}</h2>
        <dl class="facts facts--compact">
          <div>
            <dt>{t('examAdmin.audit.status')}</dt>
            <dd>
              <span class={`badge attempt-status attempt-status--${a.status}`}>{t(`examAdmin.attempts.status.${a.status}`)}</span>
              {a.voidReason && <span> {t('examAdmin.attempts.voidedBecause', { reason: a.voidReason })}</span>}
            </dd>
          </div>
          <div>
            <dt>{t('examAdmin.audit.started')}</dt>
            <dd>{dateTime(a.startedAt, lang)}</dd>
          </div>
          <div>
            <dt>{t('examAdmin.audit.submitted')}</dt>
            <dd>
              {a.submittedAt ? dateTime(a.submittedAt, lang) : '—'}
              {a.submitReason === 'time_out' && ` (${t('examAdmin.attempts.timedOut')})`}
            </dd>
          </div>
          <div>
            <dt>{t('examAdmin.audit.score')}</dt>
            <dd>
              {a.score === null
                ? '—'
                : t('examAdmin.report.score', { score: pointsText(a.score, lang), max: pointsText(a.maxScore, lang) })}
              {a.passed !== null && ` · ${a.passed ? t('examAdmin.attempts.passed') : t('examAdmin.attempts.failed')}`}
            </dd>
          </div>
        </dl>
      </section>
      <section aria-labelledby="audit-events">
        <h2 id="audit-events">{t('examAdmin.audit.events')}</h2>
        {events.length === 0 ? (
          <p class="notice">{t('examAdmin.audit.noEvents')}</p>
        ) : (
          <div class="table-scroll">
            <table class="report-table audit-table" role="table">
              <caption class="visually-hidden">{t('examAdmin.audit.eventsCaption')}</caption>
              <thead role="rowgroup">
                <tr role="row">
                  <th role="columnheader" scope="col">
                    {label.time}
                  </th>
                  <th role="columnheader" scope="col">
                    {label.event}
                  </th>
                  <th role="columnheader" scope="col">
                    {label.actor}
                  </th>
                  <th role="columnheader" scope="col">
                    {label.detail}
                  </th>
                </tr>
              </thead>
              <tbody role="rowgroup">
                {events.map((event, i) => (
                  <tr key={i} role="row" data-kind={event.kind}>
                    <th role="rowheader" scope="row" data-label={label.time}>
                      <time dateTime={event.at}>{dateTime(event.at, lang, true)}</time>
                    </th>
                    <td role="cell" data-label={label.event}>
                      {t(`examAdmin.audit.kind.${event.kind}`)}
                    </td>
                    <td role="cell" data-label={label.actor}>
                      {event.actor?.name ?? t('examAdmin.audit.system')}
                    </td>
                    <td role="cell" data-label={label.detail} class="audit-table__detail">
                      {detailText(event, t, lang)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {audit.extraAttempts.length > 0 && (
        <section aria-labelledby="audit-extra">
          <h2 id="audit-extra">{t('examAdmin.audit.extra')}</h2>
          <ul class="audit-extra">
            {audit.extraAttempts.map((x) => (
              <li key={x.id}>
                {t('examAdmin.audit.extraItem', { at: dateTime(x.grantedAt, lang), by: x.grantedBy.name, reason: x.reason })}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
