import { useMemo, useState } from 'preact/hooks';
import { planOverview, planTrend, reportPaths, type TrendDay, type UnitRollup } from '../api/reports.js';
import { getPlan } from '../api/study.js';
import { Alert } from '../components/alert.js';
import { Breadcrumb } from '../components/breadcrumb.js';
import { BarChart, LineChart, type Point } from '../components/charts.js';
import { ExportButtons } from '../components/export-buttons.js';
import { Page } from '../components/page.js';
import { count, day, hoursNumber, percentText, todayIso } from '../format/numbers.js';
import { useDuration } from '../format/use-format.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { adminPaths } from './paths.js';
import { PlanStateBadge } from './reports-page.js';
import { visibleUnits } from './report-logic.js';
import { NumericCell } from './numeric-cell.js';
import { PlanTargetFacts, type TargetedPlan } from './plan-targets.js';
import { PlanRulesSummary } from './plan-rules-fields.js';
import { listMemberCategories } from '../api/endpoints.js';
import { Stat } from '../components/stat.js';
import { ReportTable } from '../components/report-table.js';

export function PlanOverviewPage({ planId }: { planId: string }) {
  const { t, lang } = useT();
  const { duration } = useDuration();
  const plan = useResource(() => getPlan(planId), [planId]);
  const overview = useResource(() => planOverview(planId, lang), [planId]);
  const trend = useResource(() => planTrend(planId, lang), [planId]);
  const [expanded, setExpanded] = useState<Set<string> | null>(null);

  const rows = overview.data?.items ?? [];
  const minDepth = rows.length ? Math.min(...rows.map((r) => r.depth)) : 0;
  // At first the top unit is open, so its direct sub-units show.
  const open = expanded ?? new Set(rows.filter((r) => r.depth === minDepth).map((r) => r.unitId));
  const shown = useMemo(() => visibleUnits(rows, open), [rows, open]);
  const hasChildren = useMemo(() => new Set(rows.map((r) => r.parentId).filter((id): id is string => id !== null)), [rows]);
  const toggle = (unitId: string) => {
    const next = new Set(open);
    if (next.has(unitId)) next.delete(unitId);
    else next.add(unitId);
    setExpanded(next);
  };

  const name = plan.data?.name ?? t('reports.planFallback');
  const error = plan.error ?? overview.error;
  const top = rows[0];
  return (
    <>
      <Breadcrumb trail={[{ href: adminPaths.reports, label: t('reports.title') }]} current={name} />
      <Page title={name}>
        <Alert message={error && t(error)} />
        {(plan.loading || overview.loading) && !overview.data && (
          <p class="status" role="status">
            {t('app.loading')}
          </p>
        )}
        {plan.data && (
          <PlanFacts
            plan={plan.data}
            asOf={overview.data?.asOf}
            memberCount={overview.data ? (top?.members ?? 0) : undefined}
            unit={top?.name}
          />
        )}

        {overview.data && rows.length === 0 && <p class="notice">{t('reports.noMembers')}</p>}
        {top && (
          <section aria-labelledby="plan-summary">
            <h2 id="plan-summary">{t('reports.summaryOf', { unit: top.name })}</h2>
            <dl class="stat-grid">
              <Stat label={t('reports.col.members')} value={count(top.members, lang)} />
              <Stat label={t('reports.col.met')} value={count(top.met, lang)} />
              <Stat label={t('reports.col.percentMet')} value={percentText(top.percentMet, lang)} />
              <Stat label={t('reports.col.behind')} value={count(top.behind, lang)} />
              <Stat label={t('reports.col.notStarted')} value={count(top.notStarted, lang)} />
              <Stat label={t('reports.col.averageHours')} value={duration(top.averageSec)} />
            </dl>
            <p class="actions">
              <Link href={adminPaths.members(planId, { unitId: top.unitId })} class="button button--primary">
                {t('reports.allMembers')}
              </Link>
            </p>
          </section>
        )}

        {rows.length > 0 && (
          <section aria-labelledby="units">
            <h2 id="units">{t('reports.units')}</h2>
            <p class="hint">{t('reports.unitsHint')}</p>
            <UnitTable planId={planId} rows={shown} minDepth={minDepth} open={open} hasChildren={hasChildren} onToggle={toggle} />
            <ExportButtons path={reportPaths.overview(planId)} tableName={t('reports.units')} fileName="plan-overview" />
            <BarChart
              title={t('reports.chartMet')}
              summary={barSummary(shown, t, lang)}
              bars={shown.map((row) => ({
                key: row.unitId,
                label: row.name,
                value: row.percentMet,
                valueText: percentText(row.percentMet, lang),
                level: row.depth - minDepth,
              }))}
              max={100}
              labelHeading={t('reports.col.unit')}
              valueHeading={t('reports.col.percentMet')}
            />
          </section>
        )}

        <section aria-labelledby="trend">
          <h2 id="trend">{t('reports.trend')}</h2>
          <Alert message={trend.error && t(trend.error)} />
          {trend.data && <Trend days={trend.data.items} />}
          {trend.data && <ExportButtons path={reportPaths.trend(planId)} tableName={t('reports.trend')} fileName="study-trend" />}
        </section>
      </Page>
    </>
  );
}

function barSummary(rows: UnitRollup[], t: ReturnType<typeof useT>['t'], lang: ReturnType<typeof useT>['lang']): string {
  if (rows.length === 0) return '';
  const sorted = [...rows].sort((a, b) => b.percentMet - a.percentMet);
  const best = sorted[0]!;
  const worst = sorted[sorted.length - 1]!;
  return t('reports.chartMetSummary', {
    count: rows.length,
    best: best.name,
    bestValue: percentText(best.percentMet, lang),
    worst: worst.name,
    worstValue: percentText(worst.percentMet, lang),
  });
}

/**
 * A plan's facts. `memberCount` is the plan's members inside the admin's own subtree (the overview's top
 * row), never the plan's whole count, which may reach beyond it.
 */
export function PlanFacts({ plan, asOf, memberCount, unit }: { plan: TargetedPlan; asOf?: string; memberCount?: number; unit?: string }) {
  const { t, lang } = useT();
  const { hours } = useDuration();
  const categories = useResource(listMemberCategories, []);
  const reflections = (plan as { requiredReflections?: number }).requiredReflections ?? 0;
  return (
    <div class="plan-facts">
      <p class="plan-item__facts">
        <PlanStateBadge plan={plan} />
        <span>{t('study.period', { from: day(plan.periodStart, lang), to: day(plan.periodEnd, lang) })}</span>
        <span>{t('plans.requiredHours', { hours: hours(plan.requiredHours) })}</span>
        <span>
          {plan.mode === 'per_lecture' ? t('plans.perLectureShort', { hours: plan.creditHoursPerLecture ?? 0 }) : t('plans.watchTimeShort')}
        </span>
        {reflections > 0 && <span>{t('plans.requiredReflections', { required: count(reflections, lang) })}</span>}
        {memberCount !== undefined && (
          <span class="plan-facts__members">
            {unit ? t('plans.memberCountIn', { count: memberCount, unit }) : t('plans.memberCount', { count: memberCount })}
          </span>
        )}
      </p>
      {/* Who it is for, but not its units: the page names no unit outside the reader's own subtree. */}
      <dl class="facts facts--compact">
        <PlanTargetFacts plan={plan} categories={categories.data} />
      </dl>
      <PlanRulesSummary rules={plan.studyRules} />
      {asOf && (
        <p class="hint">
          {t('reports.asOf', { time: new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(asOf)) })}
        </p>
      )}
    </div>
  );
}

interface UnitTableProps {
  planId: string;
  rows: UnitRollup[];
  minDepth: number;
  open: ReadonlySet<string>;
  hasChildren: ReadonlySet<string>;
  onToggle(unitId: string): void;
}

/** The org tree with each unit's figures over its own subtree; a unit opens to show the units below it. */
function UnitTable({ planId, rows, minDepth, open, hasChildren, onToggle }: UnitTableProps) {
  const { t, lang } = useT();
  const { duration } = useDuration();
  const columns = {
    unit: t('reports.col.unit'),
    members: t('reports.col.members'),
    met: t('reports.col.met'),
    percentMet: t('reports.col.percentMet'),
    onTrack: t('reports.col.onTrack'),
    behind: t('reports.col.behind'),
    notStarted: t('reports.col.notStarted'),
    averageHours: t('reports.col.averageHours'),
    totalHours: t('reports.col.totalHours'),
    compulsoryCompleted: t('reports.col.compulsoryCompleted'),
    actions: t('reports.col.actions'),
  };
  const numeric = (key: keyof typeof columns, value: string) => <NumericCell label={columns[key]}>{value}</NumericCell>;
  return (
    <ReportTable caption={t('reports.units')} columns={columns} textColumns={['unit', 'actions']} tableClass="unit-table">
      {rows.map((row) => {
        const level = row.depth - minDepth;
        const expandable = hasChildren.has(row.unitId);
        const isOpen = open.has(row.unitId);
        return (
          <tr key={row.unitId} role="row" class={`unit-row unit-row--level-${Math.min(level, 3)}`} data-unit-path={row.path}>
            <th role="rowheader" scope="row" data-label={columns.unit} class="unit-cell">
              <span class="unit-cell__inner" style={{ paddingInlineStart: `${level * 1.25}rem` }}>
                {expandable ? (
                  <button
                    type="button"
                    class="tree-toggle"
                    aria-expanded={isOpen}
                    aria-label={t(isOpen ? 'reports.collapse' : 'reports.expand', { unit: row.name })}
                    onClick={() => onToggle(row.unitId)}
                  >
                    <span aria-hidden="true">{isOpen ? '▾' : '▸'}</span>
                  </button>
                ) : (
                  <span class="tree-spacer" aria-hidden="true" />
                )}
                <span class="unit-cell__name">{row.name}</span>
              </span>
            </th>
            {numeric('members', count(row.members, lang))}
            {numeric('met', count(row.met, lang))}
            {numeric('percentMet', percentText(row.percentMet, lang))}
            {numeric('onTrack', count(row.onTrack, lang))}
            {numeric('behind', count(row.behind, lang))}
            {numeric('notStarted', count(row.notStarted, lang))}
            {numeric('averageHours', duration(row.averageSec))}
            {numeric('totalHours', duration(row.totalSec))}
            {numeric('compulsoryCompleted', count(row.compulsoryCompleted, lang))}
            <td role="cell" data-label={columns.actions}>
              <Link href={adminPaths.members(planId, { unitId: row.unitId })} class="table-link">
                {t('reports.viewMembers')}
                <span class="visually-hidden">{t('reports.ofUnit', { unit: row.name })}</span>
              </Link>
            </td>
          </tr>
        );
      })}
    </ReportTable>
  );
}

type TrendRange = 30 | 90 | 'all';

/** Hours studied per day up to today, as a line with the same figures in a table. */
function Trend({ days }: { days: TrendDay[] }) {
  const { t, lang } = useT();
  const { duration } = useDuration();
  // Up to today; or to the last day with study, should the server's calendar already be a day ahead of ours.
  const lastStudied = days.reduce((last, d) => (d.hours > 0 && d.day > last ? d.day : last), '');
  const until = lastStudied > todayIso() ? lastStudied : todayIso();
  const elapsed = days.filter((d) => d.day <= until);
  // A year-long plan is a long flat line early on: start with the recent weeks.
  const [range, setRange] = useState<TrendRange>(elapsed.length > 92 ? 90 : 'all');
  if (elapsed.length === 0) return <p class="notice">{t('reports.trendNotYet')}</p>;
  const past = range === 'all' ? elapsed : elapsed.slice(-range);
  const ranges: TrendRange[] = elapsed.length > 92 ? [30, 90, 'all'] : elapsed.length > 31 ? [30, 'all'] : [];
  const total = past.reduce((s, d) => s + d.seconds, 0);
  const busiest = past.reduce((best, d) => (d.hours > best.hours ? d : best), past[0]!);
  const points: Point[] = past.map((d) => ({
    key: d.day,
    label: day(d.day, lang, 'short'),
    value: d.hours,
    valueText: t('reports.hoursValue', { hours: duration(d.seconds) }),
  }));
  const membersByDay = new Map(past.map((d) => [d.day, d.members]));
  return (
    <>
      {ranges.length > 0 && (
        <div class="segmented" role="group" aria-label={t('reports.trendRange')}>
          {ranges.map((r) => (
            <button key={r} type="button" class="button" aria-pressed={range === r} onClick={() => setRange(r)}>
              {r === 'all' ? t('reports.trendAll') : t('reports.trendLast', { days: r })}
            </button>
          ))}
        </div>
      )}
      <LineChart
        title={t('reports.trendChart')}
        summary={t('reports.trendSummary', {
          days: past.length,
          total: duration(total),
          busiest: day(busiest.day, lang),
          busiestHours: duration(busiest.seconds),
        })}
        points={points}
        max={0.5}
        formatTick={(v) => hoursNumber(v, lang)}
        labelHeading={t('reports.col.day')}
        valueHeading={t('reports.col.hours')}
        extraColumns={[{ label: t('reports.col.studying'), value: (p) => count(membersByDay.get(p.key) ?? 0, lang), numeric: true }]}
      />
    </>
  );
}
