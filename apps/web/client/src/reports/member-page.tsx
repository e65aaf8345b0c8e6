import { listMemberCategories } from '../api/endpoints.js';
import { memberDetail, reportPaths, type MemberDetail, type MemberPlanProgress } from '../api/reports.js';
import type { MemberCategory } from '../api/types.js';
import { Alert } from '../components/alert.js';
import { Breadcrumb, type Crumb } from '../components/breadcrumb.js';
import { LineChart, type Point } from '../components/charts.js';
import { ExportButtons } from '../components/export-buttons.js';
import { Page } from '../components/page.js';
import { PlanStatusBadge } from '../components/plan-status.js';
import { ProgressBar } from '../components/progress-bar.js';
import { date } from '../format/format.js';
import { day, hoursNumber, percentText, shareText, todayIso } from '../format/numbers.js';
import { useDuration } from '../format/use-format.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { MemberCheckins } from './member-checkins.js';
import { adminPaths } from './paths.js';
import { categoryLabel } from './plan-members-page.js';
import { dailySeries } from './report-logic.js';
import { NumericCell } from './numeric-cell.js';

/** Days shown in the study-time chart. */
const CHART_DAYS = 90;

/** One member of the admin's subtree: each plan, each lecture, and study time per day. */
export function MemberReportPage({ userId }: { userId: string }) {
  const { t, lang } = useT();
  const detail = useResource(() => memberDetail(userId, lang), [userId]);
  const categories = useResource<MemberCategory[]>(() => listMemberCategories(), []);
  const planId = new URLSearchParams(location.search).get('plan');
  const data = detail.data;

  const trail: Crumb[] = [{ href: adminPaths.reports, label: t('reports.title') }];
  const fromPlan = planId ? data?.plans.find((p) => p.planId === planId) : undefined;
  if (planId && fromPlan) trail.push({ href: adminPaths.plan(planId), label: fromPlan.name });
  if (planId) trail.push({ href: adminPaths.members(planId), label: t('reports.membersTitleAll') });

  const title = data?.member.name ?? (detail.loading ? t('app.loading') : t('reports.memberFallback'));
  return (
    <>
      <Breadcrumb trail={trail} current={title} />
      <Page title={title}>
        <Alert message={detail.error && t(detail.error)} />
        {data && (
          <>
            <dl class="facts">
              <dt>{t('reports.col.login')}</dt>
              <dd>{data.member.login}</dd>
              <dt>{t('reports.col.unit')}</dt>
              <dd>{data.member.unitName}</dd>
              <dt>{t('organisation.unitPath')}</dt>
              <dd class="members__path">{data.member.unitTrail ?? data.member.unitPath}</dd>
              <dt>{t('reports.col.category')}</dt>
              <dd>{categoryLabel(data.member.category, categories.data ?? [], lang, t('organisation.noCategory'))}</dd>
              <dt>{t('organisation.active')}</dt>
              <dd>{data.member.active ? t('organisation.isActive') : t('organisation.isInactive')}</dd>
            </dl>

            <section aria-labelledby="member-plans">
              <h2 id="member-plans">{t('reports.memberPlans')}</h2>
              {data.plans.length === 0 ? (
                <p class="notice">{t('reports.memberNoPlans')}</p>
              ) : (
                <ul class="plan-cards">
                  {data.plans.map((plan) => (
                    <li key={plan.planId}>
                      <MemberPlan plan={plan} />
                    </li>
                  ))}
                </ul>
              )}
            </section>

            <section aria-labelledby="member-daily">
              <h2 id="member-daily">{t('reports.memberDaily')}</h2>
              <DailyChart daily={data.daily} />
            </section>

            <section aria-labelledby="member-lectures">
              <h2 id="member-lectures">{t('reports.memberLectures')}</h2>
              {data.items.length === 0 ? (
                <p class="notice">{t('reports.memberNoLectures')}</p>
              ) : (
                <>
                  <div class="table-scroll">
                    <table class="report-table" role="table">
                      <caption class="visually-hidden">{t('reports.memberLectures')}</caption>
                      <thead role="rowgroup">
                        <tr role="row">
                          <th role="columnheader" scope="col">
                            {t('reports.col.lecture')}
                          </th>
                          <th role="columnheader" scope="col">
                            {t('reports.col.course')}
                          </th>
                          <th role="columnheader" scope="col" class="numeric">
                            {t('reports.col.credited')}
                          </th>
                          <th role="columnheader" scope="col" class="numeric">
                            {t('reports.col.coverage')}
                          </th>
                          <th role="columnheader" scope="col">
                            {t('reports.col.completed')}
                          </th>
                          <th role="columnheader" scope="col">
                            {t('reports.col.lastStudied')}
                          </th>
                        </tr>
                      </thead>
                      <tbody role="rowgroup">
                        {data.items.map((lecture) => (
                          <LectureRow key={lecture.lectureId} lecture={lecture} />
                        ))}
                      </tbody>
                    </table>
                  </div>
                  <ExportButtons
                    path={reportPaths.member(userId)}
                    tableName={t('reports.memberLecturesTable', { name: data.member.name })}
                    fileName={`member-lectures-${data.member.login}`}
                  />
                </>
              )}
            </section>
            <MemberCheckins userId={userId} />
          </>
        )}
      </Page>
    </>
  );
}

function LectureRow({ lecture }: { lecture: MemberDetail['items'][number] }) {
  const { t, lang } = useT();
  const { duration } = useDuration();
  return (
    <tr role="row">
      <th role="rowheader" scope="row" data-label={t('reports.col.lecture')}>
        {lecture.title}
      </th>
      <td role="cell" data-label={t('reports.col.course')}>
        {lecture.courseTitle}
      </td>
      <NumericCell label={t('reports.col.credited')}>{duration(lecture.creditedSec)}</NumericCell>
      <NumericCell label={t('reports.col.coverage')}>{shareText(lecture.coverageRatio, lang)}</NumericCell>
      <td role="cell" data-label={t('reports.col.completed')}>
        {lecture.completed ? <span class="badge badge--done">{t('lecture.completed')}</span> : t('reports.notYet')}
      </td>
      <td role="cell" data-label={t('reports.col.lastStudied')}>
        {date(lecture.lastStudiedAt, lang)}
      </td>
    </tr>
  );
}

function MemberPlan({ plan }: { plan: MemberPlanProgress }) {
  const { t, lang } = useT();
  const { hours } = useDuration();
  const earned = hours(plan.earnedHours ?? 0);
  const required = hours(plan.requiredHours ?? 0);
  return (
    <article class="plan-card">
      <h3 class="plan-card__name">{plan.name}</h3>
      <p class="plan-card__period">{t('study.period', { from: day(plan.periodStart, lang), to: day(plan.periodEnd, lang) })}</p>
      <p class="plan-card__hours">
        <span class="plan-card__earned">{t('reports.hoursOf', { earned, required })}</span>
      </p>
      <ProgressBar
        label={t('study.progressLabel', { name: plan.name })}
        percent={plan.percent ?? 0}
        valueText={t('reports.progressValue', { percent: percentText(plan.percent ?? 0, lang), earned, required })}
        tone={plan.status === 'met' ? 'done' : 'upload'}
      />
      <p class="plan-card__facts">
        <span class="plan-card__percent">{percentText(plan.percent ?? 0, lang)}</span>
        {plan.status && <PlanStatusBadge status={plan.status} />}
        {(plan.compulsoryMissing?.length ?? 0) > 0 && <span>{t('reports.compulsoryLeft', { count: plan.compulsoryMissing!.length })}</span>}
      </p>
    </article>
  );
}

function DailyChart({ daily }: { daily: MemberDetail['daily'] }) {
  const { t, lang } = useT();
  const { hours } = useDuration();
  // The server's calendar may already be a day ahead of ours.
  const last = daily.reduce((max, d) => (d.day > max ? d.day : max), todayIso());
  const series = dailySeries(daily, CHART_DAYS, last);
  const total = series.reduce((s, d) => s + d.hours, 0);
  const studied = series.filter((d) => d.hours > 0).length;
  const points: Point[] = series.map((d) => ({
    key: d.day,
    label: day(d.day, lang, 'short'),
    value: d.hours,
    valueText: t('reports.hoursValue', { hours: hours(d.hours) }),
  }));
  return (
    <LineChart
      title={t('reports.memberDailyChart', { days: CHART_DAYS })}
      summary={t('reports.memberDailySummary', { days: CHART_DAYS, studied, total: hours(total) })}
      points={points}
      max={0.5}
      formatTick={(v) => hoursNumber(v, lang)}
      labelHeading={t('reports.col.day')}
      valueHeading={t('reports.col.hours')}
    />
  );
}
