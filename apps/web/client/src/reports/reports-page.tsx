import { listPlans, type StudyPlan } from '../api/study.js';
import { Alert } from '../components/alert.js';
import { Page } from '../components/page.js';
import { planMemberCounts } from '../api/reports.js';
import { formatHours } from '../format/duration.js';
import { day } from '../format/numbers.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { adminPaths } from './paths.js';
import { planState } from './report-logic.js';
import { useMayChangePlans } from './plan-targets.js';

export function PlanStateBadge({ plan }: { plan: StudyPlan }) {
  const { t } = useT();
  const state = planState(plan);
  return <span class={`badge plan-state plan-state--${state}`}>{t(`plans.state.${state}`)}</span>;
}

/** The reports start page: every study plan the admin (or inspector) may read, and the course and period reports. */
export function ReportsPage() {
  const { t } = useT();
  const mayChange = useMayChangePlans();
  const plans = useResource(listPlans, []);
  // Each plan's members inside the admin's own subtree (a plan may reach well beyond it).
  const counts = useResource(planMemberCounts, []);
  return (
    <Page title={t('reports.title')}>
      {!mayChange && <p class="notice read-only-note">{t('planTargets.readOnly')}</p>}
      <p class="actions">
        <Link href={adminPaths.plans} class="button">
          {mayChange ? t('reports.managePlans') : t('planTargets.viewPlans')}
        </Link>
        <Link href={adminPaths.courses} class="button">
          {t('reports.courseReport')}
        </Link>
        <Link href="/reports/units" class="button">
          {t('planTargets.unitStudy')}
        </Link>
        <Link href="/reports/exams" class="button">
          {t('examAdmin.reports.cardTitle')}
        </Link>
        <Link href="/reports/requests" class="button">
          {t('notices.voice.requestsReportTitle')}
        </Link>
        <Link href="/reports/reflections" class="button">
          {t('notices.voice.reflectionsReportTitle')}
        </Link>
        <Link href="/reports/group" class="button">
          {t('groupAttendance.title')}
        </Link>
      </p>
      <section aria-labelledby="plan-reports">
        <h2 id="plan-reports">{t('reports.planReports')}</h2>
        <Alert message={plans.error && t(plans.error)} />
        {plans.loading && !plans.data && (
          <p class="status" role="status">
            {t('app.loading')}
          </p>
        )}
        {plans.data && plans.data.length === 0 && (
          <div class="notice">
            <p>{t('reports.noPlans')}</p>
            {mayChange && (
              <Link href={adminPaths.newPlan} class="button button--primary">
                {t('plans.new')}
              </Link>
            )}
          </div>
        )}
        {plans.data && plans.data.length > 0 && (
          <ul class="plan-list">
            {plans.data.map((plan) => (
              <li key={plan.id}>
                <PlanSummary plan={plan} memberCount={counts.data?.counts[plan.id]} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </Page>
  );
}

function PlanSummary({ plan, memberCount }: { plan: StudyPlan; memberCount?: number }) {
  const { t, lang } = useT();
  return (
    <article class="plan-item">
      <h3 class="plan-item__name">
        <Link href={adminPaths.plan(plan.id)}>{plan.name}</Link>
      </h3>
      <p class="plan-item__facts">
        <PlanStateBadge plan={plan} />
        <span>{t('study.period', { from: day(plan.periodStart, lang), to: day(plan.periodEnd, lang) })}</span>
        <span>{t('plans.requiredHours', { hours: formatHours(plan.requiredHours, lang) })}</span>
        {memberCount !== undefined && <span>{t('plans.memberCount', { count: memberCount })}</span>}
        <span>{t('plans.owner', { unit: plan.ownerUnit.name })}</span>
      </p>
    </article>
  );
}
