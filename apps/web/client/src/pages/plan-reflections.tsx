import type { MyPlan } from '../api/study.js';
import { count } from '../format/numbers.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import './study-record.css';

/** The accepted learning reflections a plan requires of the member, and how many of theirs count toward it. */
export interface MyPlanReflections {
  required: number;
  accepted: number;
}

/** Where a member writes a reflection for a plan. */
export const writeReflectionHref = (planId: string) => `/reflections/new?planId=${encodeURIComponent(planId)}`;

/**
 * Under a plan in My study: "reflections: 1 of 2 accepted", what is still missing, and a link to write one
 * for the plan while it is open. Nothing for a plan that requires none. A closed plan shows the count frozen
 * when it closed.
 */
export function PlanReflections({ plan }: { plan: Pick<MyPlan, 'id' | 'closedAt'> & { reflections?: MyPlanReflections } }) {
  const { t, lang } = useT();
  const figures = plan.reflections;
  if (!figures || figures.required <= 0) return null;
  const headingId = `plan-reflections-${plan.id}`;
  const missing = Math.max(0, figures.required - figures.accepted);
  const numbers = { accepted: count(figures.accepted, lang), required: count(figures.required, lang), missing: count(missing, lang) };
  const closed = plan.closedAt !== null;
  return (
    <div class="hours-rules plan-card__reflections">
      <h4 id={headingId} class="hours-rules__title">
        {t('memberProgress.reflections.title')}
      </h4>
      <p class="hours-rules__figure" data-reflections={`${figures.accepted}/${figures.required}`}>
        <span aria-hidden="true">{missing === 0 ? '✓ ' : '○ '}</span>
        {t(closed ? 'memberProgress.reflections.closed' : 'memberProgress.reflections.count', numbers)}
      </p>
      {!closed && (
        <>
          <p class="hours-rules__hint">
            {missing === 0 ? t('memberProgress.reflections.met') : t('memberProgress.reflections.missing', numbers)}
          </p>
          <p>
            <Link href={writeReflectionHref(plan.id)} class={missing > 0 ? 'button button--primary' : 'button'}>
              {t('memberProgress.reflections.write')}
            </Link>
          </p>
        </>
      )}
    </div>
  );
}
