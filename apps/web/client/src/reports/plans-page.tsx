import { useState } from 'preact/hooks';
import { ApiError } from '../api/api.js';
import { closePlan, listPlans, openMakeup } from '../api/study.js';
import { planMemberCounts } from '../api/reports.js';
import { Alert } from '../components/alert.js';
import { Breadcrumb } from '../components/breadcrumb.js';
import { LiveStatus } from '../components/live-status.js';
import { Page } from '../components/page.js';
import { useSession } from '../auth/session.js';
import { formatHours } from '../format/duration.js';
import { addDays, day } from '../format/numbers.js';
import { useResource } from '../hooks/use-resource.js';
import { errorKey } from '../i18n/error-key.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { adminPaths } from './paths.js';
import { PlanStateBadge } from './reports-page.js';
import { planState } from './report-logic.js';
import { PlanTargetFacts, useMayChangePlans, type TargetedPlan } from './plan-targets.js';
import { listMemberCategories } from '../api/endpoints.js';
import type { MemberCategory } from '../api/types.js';

const within = (path: string, root: string) => path === root || path.startsWith(`${root}/`);

/** Failure text with the server's own explanation when it refused the request. */
export function failureText(failure: unknown, t: ReturnType<typeof useT>['t']): string {
  const base = t(errorKey(failure));
  if (failure instanceof ApiError && [400, 409].includes(failure.status) && failure.message) {
    return `${base} ${t('errors.details', { message: failure.message })}`;
  }
  return base;
}

/**
 * Study plans the admin may read; those their unit owns can get a make-up window or be closed here. An
 * inspector sees the same list, without anything that changes a plan.
 */
export function PlansPage() {
  const { t } = useT();
  const mayChange = useMayChangePlans();
  const plans = useResource(listPlans, []);
  const categories = useResource<MemberCategory[]>(listMemberCategories, []);
  // Each plan's members inside the admin's own subtree (a plan may reach well beyond it).
  const counts = useResource(planMemberCounts, []);
  const [status, setStatus] = useState<string | null>(null);
  return (
    <>
      <Breadcrumb trail={[{ href: adminPaths.reports, label: t('reports.title') }]} current={t('plans.title')} />
      <Page title={t('plans.title')}>
        {mayChange ? (
          <p class="actions">
            <Link href={adminPaths.newPlan} class="button button--primary button--big">
              {t('plans.new')}
            </Link>
          </p>
        ) : (
          <p class="notice read-only-note">{t('planTargets.readOnly')}</p>
        )}
        <Alert message={plans.error && t(plans.error)} />
        <LiveStatus message={status} />
        {plans.loading && !plans.data && (
          <p class="status" role="status">
            {t('app.loading')}
          </p>
        )}
        {plans.data?.length === 0 && <p class="notice">{t('reports.noPlans')}</p>}
        {plans.data && plans.data.length > 0 && (
          <ul class="plan-list">
            {plans.data.map((plan) => (
              <li key={plan.id}>
                <PlanAdmin
                  plan={plan}
                  categories={categories.data}
                  mayChange={mayChange}
                  memberCount={counts.data?.counts[plan.id]}
                  onChanged={(message) => {
                    setStatus(message);
                    plans.reload();
                    counts.reload();
                  }}
                />
              </li>
            ))}
          </ul>
        )}
      </Page>
    </>
  );
}

interface PlanAdminProps {
  plan: TargetedPlan;
  categories: MemberCategory[] | null;
  /** False for an inspector: no make-up window, no closing. */
  mayChange: boolean;
  memberCount?: number;
  onChanged(message: string): void;
}

function PlanAdmin({ plan, categories, mayChange, memberCount, onChanged }: PlanAdminProps) {
  const { t, lang } = useT();
  const { user } = useSession();
  const state = planState(plan);
  const owned = mayChange && user.orgUnit !== null && within(plan.ownerUnit.path, user.orgUnit.path);
  const [confirming, setConfirming] = useState(false);
  const [until, setUntil] = useState(plan.makeupUntil ?? addDays(plan.periodEnd, 30));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingId = `plan-${plan.id}`;

  const run = async (action: () => Promise<unknown>, done: string) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await action();
      setConfirming(false);
      onChanged(done);
    } catch (failure) {
      setError(failureText(failure, t));
    } finally {
      setBusy(false);
    }
  };

  const scope = plan.units.length ? plan.units.map((u) => u.name).join('、') : plan.ownerUnit.name;
  return (
    <article class="plan-item" aria-labelledby={headingId}>
      <h2 id={headingId} class="plan-item__name">
        <Link href={adminPaths.plan(plan.id)}>{plan.name}</Link>
      </h2>
      <p class="plan-item__facts">
        <PlanStateBadge plan={plan} />
        <span>{t('study.period', { from: day(plan.periodStart, lang), to: day(plan.periodEnd, lang) })}</span>
        <span>{t('plans.requiredHours', { hours: formatHours(plan.requiredHours, lang) })}</span>
        {memberCount !== undefined && <span>{t('plans.memberCount', { count: memberCount })}</span>}
      </p>
      <dl class="facts facts--compact">
        <dt>{t('plans.units')}</dt>
        <dd>{scope}</dd>
        <PlanTargetFacts plan={plan} categories={categories} />
        <dt>{t('plans.mode')}</dt>
        <dd>
          {plan.mode === 'per_lecture' ? t('plans.perLectureShort', { hours: plan.creditHoursPerLecture ?? 0 }) : t('plans.watchTimeShort')}
        </dd>
        <dt>{t('plans.courses')}</dt>
        <dd>{plan.courseIds === null ? t('plans.allCourses') : t('plans.someCourses', { count: plan.courseIds.length })}</dd>
        {plan.compulsoryLectureIds.length > 0 && (
          <>
            <dt>{t('plans.compulsory')}</dt>
            <dd>{t('plans.compulsoryCount', { count: plan.compulsoryLectureIds.length })}</dd>
          </>
        )}
        {plan.makeupUntil && (
          <>
            <dt>{t('plans.makeupUntil')}</dt>
            <dd>{day(plan.makeupUntil, lang)}</dd>
          </>
        )}
        {plan.closedAt && (
          <>
            <dt>{t('plans.closedAt')}</dt>
            <dd>{new Intl.DateTimeFormat(lang, { dateStyle: 'long' }).format(new Date(plan.closedAt))}</dd>
          </>
        )}
      </dl>
      <p class="actions">
        <Link href={adminPaths.plan(plan.id)} class="button">
          {t('plans.openReport')}
        </Link>
      </p>
      {owned && (state === 'ended' || state === 'makeup') && (
        <form
          class="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void run(() => openMakeup(plan.id, until), t('plans.makeupOpened', { name: plan.name, date: day(until, lang) }));
          }}
        >
          <div class="field">
            <label for={`makeup-${plan.id}`}>{t('plans.makeupLabel')}</label>
            <input
              id={`makeup-${plan.id}`}
              type="date"
              min={addDays(plan.periodEnd, 1)}
              value={until}
              onInput={(e) => setUntil(e.currentTarget.value)}
            />
          </div>
          <button type="submit" class="button" aria-disabled={busy}>
            {plan.makeupUntil ? t('plans.changeMakeup') : t('plans.openMakeup')}
          </button>
          <p class="hint">{t('plans.makeupHint')}</p>
        </form>
      )}
      {owned && state !== 'closed' && !confirming && (
        <p class="actions">
          <button type="button" class="button button--danger" onClick={() => setConfirming(true)}>
            {t('plans.close')}
          </button>
        </p>
      )}
      {confirming && (
        <div class="confirm" role="group" aria-label={t('plans.close')}>
          <p>{t('plans.closeConfirm', { name: plan.name })}</p>
          <p class="actions">
            <button
              type="button"
              class="button button--danger-strong"
              aria-disabled={busy}
              onClick={() => void run(() => closePlan(plan.id), t('plans.closed', { name: plan.name }))}
            >
              {t('plans.confirmClose')}
            </button>
            <button type="button" class="button" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </p>
        </div>
      )}
      <Alert message={error} />
    </article>
  );
}
