import { examReportList, type ExamReportListItem } from '../../api/exam-admin.js';
import { Alert } from '../../components/alert.js';
import { Breadcrumb } from '../../components/breadcrumb.js';
import { Page } from '../../components/page.js';
import { count, shareText } from '../../format/numbers.js';
import { useResource } from '../../hooks/use-resource.js';
import { useT } from '../../i18n/use-t.js';
import { NumericCell } from '../../reports/numeric-cell.js';
import { adminPaths } from '../../reports/paths.js';
import { Link } from '../../router/link.js';
import { dateTime, examAdminPaths } from './shared.js';
import './exam-admin.css';

/** Every exam in the caller's scope, with how many of their members took and passed it. */
export function ExamReportsPage() {
  const { t } = useT();
  const list = useResource(examReportList, []);
  const items = list.data ?? [];
  return (
    <>
      <Breadcrumb trail={[{ href: adminPaths.reports, label: t('reports.title') }]} current={t('examAdmin.reports.title')} />
      <Page title={t('examAdmin.reports.title')}>
        <p class="lead">{t('examAdmin.reports.lead')}</p>
        <Alert message={list.error && t(list.error)} />
        {list.loading && !list.data && (
          <p class="status" role="status">
            {t('app.loading')}
          </p>
        )}
        {list.data && items.length === 0 && <p class="notice">{t('examAdmin.reports.empty')}</p>}
        {items.length > 0 && <ExamTable items={items} />}
      </Page>
    </>
  );
}

function ExamTable({ items }: { items: ExamReportListItem[] }) {
  const { t, lang } = useT();
  const label = {
    title: t('examAdmin.reports.colTitle'),
    period: t('examAdmin.reports.colPeriod'),
    status: t('examAdmin.reports.colStatus'),
    audience: t('examAdmin.reports.colAudience'),
    taken: t('examAdmin.reports.colTaken'),
    passed: t('examAdmin.reports.colPassed'),
    rate: t('examAdmin.reports.colPassRate'),
  };
  return (
    <div class="table-scroll">
      <table class="report-table exam-list-table" role="table">
        <caption class="visually-hidden">{t('examAdmin.reports.caption')}</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th role="columnheader" scope="col">
              {label.title}
            </th>
            <th role="columnheader" scope="col">
              {label.period}
            </th>
            <th role="columnheader" scope="col">
              {label.status}
            </th>
            <th role="columnheader" scope="col" class="numeric">
              {label.audience}
            </th>
            <th role="columnheader" scope="col" class="numeric">
              {label.taken}
            </th>
            <th role="columnheader" scope="col" class="numeric">
              {label.passed}
            </th>
            <th role="columnheader" scope="col" class="numeric">
              {label.rate}
            </th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {items.map((exam) => (
            <tr key={exam.examId} role="row">
              <th role="rowheader" scope="row" data-label={label.title}>
                <Link href={examAdminPaths.report(exam.examId)}>{exam.title}</Link>
              </th>
              <td role="cell" data-label={label.period}>
                {t('examAdmin.reports.period', { from: dateTime(exam.opensAt, lang), to: dateTime(exam.closesAt, lang) })}
              </td>
              <td role="cell" data-label={label.status}>
                <span class={`badge badge--${exam.status}`}>{t(`examAdmin.reports.status.${exam.status}`)}</span>
              </td>
              <NumericCell label={label.audience}>{count(exam.audienceCount, lang)}</NumericCell>
              <NumericCell label={label.taken}>{count(exam.taken, lang)}</NumericCell>
              <NumericCell label={label.passed}>{count(exam.passed, lang)}</NumericCell>
              <NumericCell label={label.rate}>{exam.taken > 0 ? shareText(exam.passed / exam.taken, lang) : '—'}</NumericCell>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
