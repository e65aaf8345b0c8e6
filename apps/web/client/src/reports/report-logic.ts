import type { MemberDetail, UnitRollup } from '../api/reports.js';
import type { StudyPlan } from '../api/study.js';
import { addDays, todayIso } from '../format/numbers.js';

/** Units in tree order, parents before children, with the expanded ones' children shown. */
export function visibleUnits(rows: readonly UnitRollup[], expanded: ReadonlySet<string>): UnitRollup[] {
  const ids = new Set(rows.map((r) => r.unitId));
  const children = new Map<string | null, UnitRollup[]>();
  for (const row of rows) {
    // A unit whose parent is not listed (outside the caller's subtree, or without members) is a root here.
    const parent = row.parentId && ids.has(row.parentId) ? row.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), row]);
  }
  const out: UnitRollup[] = [];
  const walk = (parent: string | null) => {
    for (const row of children.get(parent) ?? []) {
      out.push(row);
      if (expanded.has(row.unitId)) walk(row.unitId);
    }
  };
  walk(null);
  return out;
}

/** Every day of the `days` up to `until`, with the member's hours (0 where nothing was studied). */
export function dailySeries(daily: MemberDetail['daily'], days: number, until = todayIso()): Array<{ day: string; hours: number }> {
  const byDay = new Map(daily.map((d) => [d.day, d.hours]));
  return Array.from({ length: days }, (_, i) => {
    const d = addDays(until, i - days + 1);
    return { day: d, hours: byDay.get(d) ?? 0 };
  });
}

export type PlanState = 'closed' | 'makeup' | 'ended' | 'upcoming' | 'running';

/** Where a plan stands in its life: running, ended (make-up possible), in make-up, closed. */
export function planState(plan: Pick<StudyPlan, 'closedAt' | 'makeupUntil' | 'periodStart' | 'periodEnd'>, today = todayIso()): PlanState {
  if (plan.closedAt) return 'closed';
  if (plan.makeupUntil && today > plan.periodEnd) return 'makeup';
  if (today > plan.periodEnd) return 'ended';
  if (today < plan.periodStart) return 'upcoming';
  return 'running';
}
