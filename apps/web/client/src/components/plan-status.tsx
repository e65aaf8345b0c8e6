import type { PlanStatus } from '../api/study.js';
import { useT } from '../i18n/use-t.js';

const marks: Record<PlanStatus, string> = { met: '✓', on_track: '→', behind: '!', not_started: '○' };

/** A plan status in words, with a mark so that it does not rest on colour alone. */
export function PlanStatusBadge({ status }: { status: PlanStatus }) {
  const { t } = useT();
  return (
    <span class={`badge plan-status plan-status--${status}`}>
      <span aria-hidden="true">{marks[status]} </span>
      {t(`planStatus.${status}`)}
    </span>
  );
}
