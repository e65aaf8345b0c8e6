import { getCourse } from '../api/catalog.js';
import { courseReport, lectureReport, reportPaths, type CourseReportRow } from '../api/reports.js';
import type { CourseDetail } from '../api/types.js';
import { Alert } from '../components/alert.js';
import { Breadcrumb, type Crumb } from '../components/breadcrumb.js';
import { LineChart, type Point } from '../components/charts.js';
import { ExportButtons } from '../components/export-buttons.js';
import { Page } from '../components/page.js';
import { clock } from '../format/format.js';
import { count, shareText } from '../format/numbers.js';
import { useDuration } from '../format/use-format.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { adminPaths } from './paths.js';
import { NumericCell } from './numeric-cell.js';
import { Stat } from '../components/stat.js';

/** Per course: who watched, completions, coverage and hours, counting only the admin's own subtree. */
export function CourseReportPage() {
  const { t, lang } = useT();
  const report = useResource(() => courseReport(lang), []);
  const items = report.data?.items ?? [];
  return (
    <>
      <Breadcrumb trail={[{ href: adminPaths.reports, label: t('reports.title') }]} current={t('reports.courseReport')} />
      <Page title={t('reports.courseReport')}>
        <p class="lead">{t('reports.courseReportIntro')}</p>
        <Alert message={report.error && t(report.error)} />
        {report.loading && !report.data && (
          <p class="status" role="status">
            {t('app.loading')}
          </p>
        )}
        {report.data && items.length === 0 && <p class="notice">{t('reports.noCourses')}</p>}
        {items.length > 0 && <CourseTable items={items} />}
        <ExportButtons path={reportPaths.courses()} tableName={t('reports.courseReport')} fileName="courses" />
      </Page>
    </>
  );
}

function CourseTable({ items }: { items: CourseReportRow[] }) {
  const { t, lang } = useT();
  const { duration } = useDuration();
  const label = {
    course: t('reports.col.course'),
    viewers: t('reports.col.viewers'),
    completions: t('reports.col.completions'),
    completionRate: t('reports.col.completionRate'),
    averageCoverage: t('reports.col.averageCoverage'),
    totalHours: t('reports.col.totalHours'),
  };
  return (
    <div class="table-scroll">
      <table class="report-table" role="table">
        <caption class="visually-hidden">{t('reports.courseReport')}</caption>
        <thead role="rowgroup">
          <tr role="row">
            {Object.entries(label).map(([key, text]) => (
              <th key={key} role="columnheader" scope="col" class={key === 'course' ? undefined : 'numeric'}>
                {text}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup">
          {items.map((row) => (
            <tr key={row.courseId} role="row">
              <th role="rowheader" scope="row" data-label={label.course}>
                <Link href={adminPaths.course(row.courseId)}>{row.title}</Link>
              </th>
              <NumericCell label={label.viewers}>{count(row.viewers, lang)}</NumericCell>
              <NumericCell label={label.completions}>{count(row.completions, lang)}</NumericCell>
              <NumericCell label={label.completionRate}>{shareText(row.completionRate, lang)}</NumericCell>
              <NumericCell label={label.averageCoverage}>{shareText(row.averageCoverage, lang)}</NumericCell>
              <NumericCell label={label.totalHours}>{duration(row.totalSec)}</NumericCell>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One course's figures and its lectures, each leading to its lecture report. */
export function CourseReportDetailPage({ courseId }: { courseId: string }) {
  const { t, lang } = useT();
  const { duration } = useDuration();
  const report = useResource(() => courseReport(lang), []);
  const course = useResource<CourseDetail>(() => getCourse(courseId), [courseId]);
  const row = report.data?.items.find((c) => c.courseId === courseId);
  const title = row?.title ?? course.data?.title ?? (report.loading ? t('app.loading') : t('reports.courseReport'));
  const lectures = [...(course.data?.lectures ?? [])].sort((a, b) => a.position - b.position);
  return (
    <>
      <Breadcrumb
        trail={[
          { href: adminPaths.reports, label: t('reports.title') },
          { href: adminPaths.courses, label: t('reports.courseReport') },
        ]}
        current={title}
      />
      <Page title={title}>
        <Alert message={report.error && t(report.error)} />
        {row && (
          <dl class="stat-grid">
            <Stat label={t('reports.col.viewers')} value={count(row.viewers, lang)} />
            <Stat label={t('reports.col.completions')} value={count(row.completions, lang)} />
            <Stat label={t('reports.col.completionRate')} value={shareText(row.completionRate, lang)} />
            <Stat label={t('reports.col.averageCoverage')} value={shareText(row.averageCoverage, lang)} />
            <Stat label={t('reports.col.totalHours')} value={duration(row.totalSec)} />
          </dl>
        )}
        <h2>{t('reports.lectureReports')}</h2>
        {course.error && <p class="notice">{t('reports.courseLecturesUnavailable')}</p>}
        {lectures.length > 0 && (
          <ol class="lecture-list">
            {lectures.map((lecture, index) => (
              <li key={lecture.id} class="lecture-list__item">
                <span class="lecture-list__number" aria-hidden="true">
                  {index + 1}
                </span>
                <div>
                  <Link href={adminPaths.lecture(lecture.id, courseId)} class="lecture-list__link">
                    <span class="visually-hidden">{t('course.lectureNumber', { n: index + 1 })}: </span>
                    {lecture.title}
                  </Link>
                </div>
              </li>
            ))}
          </ol>
        )}
      </Page>
    </>
  );
}

/** One lecture: the course figures plus audience retention, the share of its viewers who watched each part. */
export function LectureReportPage({ lectureId }: { lectureId: string }) {
  const { t, lang } = useT();
  const { duration } = useDuration();
  const report = useResource(() => lectureReport(lectureId, lang), [lectureId]);
  const courseId = new URLSearchParams(location.search).get('course');
  const data = report.data;
  const trail: Crumb[] = [
    { href: adminPaths.reports, label: t('reports.title') },
    { href: adminPaths.courses, label: t('reports.courseReport') },
  ];
  if (courseId && data) trail.push({ href: adminPaths.course(courseId), label: data.courseTitle });
  const title = data?.title ?? (report.loading ? t('app.loading') : t('reports.lectureFallback'));

  const points: Point[] = (data?.items ?? []).map((r) => ({
    key: String(r.position),
    label: clock(r.position),
    value: r.share * 100,
    valueText: shareText(r.share, lang),
  }));
  const lowest = points.reduce<Point | null>((low, p) => (!low || p.value < low.value ? p : low), null);
  return (
    <>
      <Breadcrumb trail={trail} current={title} />
      <Page title={title}>
        <Alert message={report.error && t(report.error)} />
        {data && (
          <>
            <p class="lead">{t('reports.lectureOf', { course: data.courseTitle, duration: duration(data.durationSec) })}</p>
            <dl class="stat-grid">
              <Stat label={t('reports.col.viewers')} value={count(data.viewers, lang)} />
              <Stat label={t('reports.col.completions')} value={count(data.completions, lang)} />
              <Stat label={t('reports.col.completionRate')} value={shareText(data.completionRate, lang)} />
              <Stat label={t('reports.col.averageCoverage')} value={shareText(data.averageCoverage, lang)} />
              <Stat label={t('reports.col.totalHours')} value={duration(data.totalSec)} />
            </dl>
            <h2>{t('reports.retention')}</h2>
            {data.viewers === 0 ? (
              <p class="notice">{t('reports.retentionNone')}</p>
            ) : (
              <>
                <LineChart
                  title={t('reports.retentionChart')}
                  summary={t('reports.retentionSummary', {
                    viewers: data.viewers,
                    start: points[0]?.valueText ?? '',
                    end: points[points.length - 1]?.valueText ?? '',
                    lowest: lowest?.label ?? '',
                    lowestValue: lowest?.valueText ?? '',
                  })}
                  points={points}
                  max={100}
                  formatTick={(v) => shareText(v / 100, lang)}
                  labelHeading={t('reports.col.position')}
                  valueHeading={t('reports.col.share')}
                />
                <ExportButtons
                  path={reportPaths.lecture(lectureId)}
                  tableName={t('reports.retentionTable', { lecture: data.title })}
                  fileName="lecture-retention"
                />
              </>
            )}
            <p class="hint">{t('reports.retentionHint')}</p>
          </>
        )}
      </Page>
    </>
  );
}
