import {
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isWithinScope, type Principal } from '#auth';
import type {
  LectureReport,
  MemberFacts,
  MemberLecture,
  MemberStanding,
  PlanMemberExam,
  PlanStatus,
  RetentionPoint,
  UnitRollup,
} from '#contracts';
import { hoursProgress, type PlanProgress } from '#watch';

export type { LectureReport, MemberFacts, MemberLecture, MemberStanding, RetentionPoint, UnitRollup };
import { ScopeService } from '../org/scope.service.js';
import { STUDY_OPTIONS, type StudyOptions } from '../study/study-options.js';
import { rulesOf, StudyPlansService, type PlanRow } from '../study/study-plans.service.js';
import { planMembers } from '../study/plan-scope.sql.js';
import { acceptedReflections, type PlanReflectionsFigures } from '../study/plan-reflections.sql.js';
import {
  DEFAULT_ROLLUP_OPTIONS,
  PlanRollup,
  planSelect,
  rollupStateColumns,
  type ReportPlan,
  type RollupState,
  type ScopedUnit,
  type UnitOwnTotals,
} from './plan-rollup.js';
import { averageHours, planThresholds, roundHours } from './plan-status.js';
import {
  examResults,
  memberExamResult,
  planExams,
  type ExamResultRow,
  type MemberExamResult,
  type PlanExamRow,
} from '../exams/reports/exam-results.sql.js';

/** A member's exam result as a closed plan froze it (`study_plan_results.exams`). */
interface FrozenExam {
  examId: string;
  title: string;
  passed: boolean;
  outcome?: PlanMemberExam['outcome'];
  score: number | null;
  maxScore: number | null;
  percent: number | null;
}

const planMemberExam = (e: FrozenExam | MemberExamResult): PlanMemberExam => ({
  examId: e.examId,
  title: e.title,
  outcome: e.outcome ?? (e.passed ? 'passed' : e.score === null ? 'not_taken' : 'failed'),
  score: e.score,
  maxScore: e.maxScore,
  percent: e.percent,
});
import type { PlanRequirements, ReportLabels } from './report-columns.js';

/** A member's standing as the plan reports list it, with the reflections the plan requires. */
export type PlanMemberStanding = MemberStanding & PlanReflectionsFigures;
import type { Lang } from './report-table.js';

export interface StandingFilter {
  unitId?: string;
  category?: string;
  status?: PlanStatus;
  q?: string;
  sort: 'name' | 'earnedHours' | 'remainingHours' | 'lastStudyDay' | 'unitPath';
  order: 'asc' | 'desc';
}

/** One page of a plan's members, and how many members the filter keeps in all. */
export interface MemberPage {
  plan: ReportPlan;
  items: PlanMemberStanding[];
  total: number;
  /** How many of the `total` members stand at each status. */
  counts: Record<PlanStatus, number>;
  page: number;
  limit: number;
  /** 'rollup': from the plan rollup; 'live': computed now (`fresh`); 'frozen': a closed plan's results. */
  source: 'rollup' | 'live' | 'frozen';
  /** For the rollup: every study committed before this instant is counted. */
  asOf: string | null;
}

// Sorts as the screen's `localeCompare(…, 'zh-CN')` did: ICU's Chinese collation.
const ZH = `COLLATE "zh-Hans-CN-x-icu"`;
/** ORDER BY of the rollup members query; numbers sort on the hundredths of an hour the screen shows. */
const MEMBER_ORDER: Record<StandingFilter['sort'], string> = {
  name: `u.name ${ZH}`,
  earnedHours: 'm.centi_hours',
  remainingHours: 'remaining_centi',
  lastStudyDay: `coalesce(to_char(m.last_study_day, 'YYYY-MM-DD'), '') ${ZH}`,
  unitPath: `o.path ${ZH}`,
};

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

export interface PlanOverview {
  /** Every study committed before this instant is counted (for a closed plan: when it was closed). */
  asOf: string;
  /** 'rollup': from the plan rollup; 'live': computed from the raw watch data now; 'frozen': a closed plan's results. */
  source: 'rollup' | 'live' | 'frozen';
  rows: UnitRollup[];
}

/** Units of the subtree at `root` with members, each with the figures of its own subtree; parents before children. */
function rollUp(units: ScopedUnit[], root: { id: string; path: string }, own: Map<string, UnitOwnTotals>): UnitRollup[] {
  const byPath = new Map(
    units.map((u) => [
      u.path,
      {
        unitId: u.id,
        parentId: u.id === root.id ? null : u.parent_id,
        name: u.name,
        path: u.path,
        depth: u.depth,
        members: 0,
        met: 0,
        onTrack: 0,
        behind: 0,
        notStarted: 0,
        centiHours: 0,
        compulsoryCompleted: 0,
      },
    ]),
  );
  for (const unit of units) {
    const figures = own.get(unit.id);
    if (!figures) continue;
    // A unit's members count in it and every unit above it, up to the caller's own.
    for (let path = unit.path; ; path = path.slice(0, path.lastIndexOf('/'))) {
      const target = byPath.get(path);
      if (target) {
        target.members += figures.members;
        target.met += figures.met;
        target.onTrack += figures.onTrack;
        target.behind += figures.behind;
        target.notStarted += figures.notStarted;
        target.centiHours += figures.centiHours;
        target.compulsoryCompleted += figures.compulsoryCompleted;
      }
      if (path === root.path || !path.includes('/')) break;
    }
  }
  return [...byPath.values()]
    .filter((u) => u.members > 0)
    .map(({ centiHours, ...u }) => ({
      unitId: u.unitId,
      parentId: u.parentId,
      name: u.name,
      path: u.path,
      depth: u.depth,
      members: u.members,
      met: u.met,
      percentMet: round((u.met * 100) / u.members, 1),
      onTrack: u.onTrack,
      behind: u.behind,
      notStarted: u.notStarted,
      totalHours: centiHours / 100,
      averageHours: averageHours(centiHours, u.members),
      // A hundredth of an hour is 36 s; the average in seconds does not round a little study down to 0.
      totalSec: centiHours * 36,
      averageSec: Math.round((centiHours * 36) / u.members),
      compulsoryCompleted: u.compulsoryCompleted,
    }));
}

/** Own figures per unit from member rows (live or frozen standings). */
function ownTotals(units: ScopedUnit[], rows: MemberStanding[]): Map<string, UnitOwnTotals> {
  const idByPath = new Map(units.map((u) => [u.path, u.id]));
  const own = new Map<string, UnitOwnTotals>();
  for (const row of rows) {
    const unitId = idByPath.get(row.unitPath);
    if (!unitId) continue;
    const figures = own.get(unitId) ?? { members: 0, met: 0, onTrack: 0, behind: 0, notStarted: 0, centiHours: 0, compulsoryCompleted: 0 };
    figures.members++;
    figures.centiHours += Math.round(row.earnedHours * 100);
    if (row.compulsoryMissing === 0) figures.compulsoryCompleted++;
    if (row.status === 'met') figures.met++;
    else if (row.status === 'on_track') figures.onTrack++;
    else if (row.status === 'behind') figures.behind++;
    else figures.notStarted++;
    own.set(unitId, figures);
  }
  return own;
}

/** Whether the plan `p` (owned by unit `o`) is visible from the subtree at `root`: the rule of `StudyPlansService.list`. */
const visibleFrom = (root: string) => `
  (o.path = ${root} OR o.path LIKE ${root} || '/%'
   OR EXISTS (SELECT 1 FROM study_plan_units pu JOIN org_units u ON u.id = pu.org_unit_id
               WHERE pu.plan_id = p.id AND (${root} = u.path OR ${root} LIKE u.path || '/%' OR u.path LIKE ${root} || '/%')))`;

/** Admin reports, each confined to the caller's subtree: plan rollups, drill-down, members, courses and trends. */
@Injectable()
export class ReportsService implements OnApplicationBootstrap, OnModuleDestroy {
  /** The plan rollup the overview reads; refreshed in the background while the app runs. */
  readonly rollup: PlanRollup;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
    private readonly plans: StudyPlansService,
    @Inject(STUDY_OPTIONS) private readonly options: StudyOptions,
  ) {
    this.rollup = new PlanRollup(db, { ...DEFAULT_ROLLUP_OPTIONS, timeZone: options.timeZone });
  }

  onApplicationBootstrap(): void {
    this.rollup.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.rollup.stop();
  }

  /**
   * Seconds since the oldest change not yet in the plan rollups was logged (0 when none waits). The
   * metrics module reads it for its rollup-lag gauge; the bench reads it under load.
   */
  rollupLagSeconds(): Promise<number> {
    return this.rollup.lagSeconds();
  }

  /** Change-log rows (member changes) waiting for a chunk, counted up to `cap`: the backlog behind the lag. */
  async rollupBacklog(cap = 100_000): Promise<number> {
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM (SELECT 1 FROM report_dirty_users LIMIT $1) x`, [cap]);
    return n;
  }

  /**
   * The plan if the admin may read it (owned in their subtree, or owned above it and reaching into it),
   * 404 otherwise: the rule of `StudyPlansService.list`, in one query for one plan.
   */
  async planFor(principal: Principal, planId: string, rootPath?: string): Promise<ReportPlan> {
    const path = rootPath ?? (await this.scope.rootOf(principal)).path;
    const [plan]: ReportPlan[] = await this.db.query(`${this.planSelect} WHERE p.id = $2 AND ${visibleFrom('$1')}`, [path, planId]);
    if (!plan) throw new NotFoundException('No such study plan in your organisation.');
    return plan;
  }

  private get planSelect() {
    return planSelect(this.options.timeZone.replace(/'/g, ''));
  }

  /** Every member of the plan inside the caller's subtree: live for an open plan, frozen for a closed one. */
  async standings(principal: Principal, planId: string): Promise<{ plan: PlanRow; rows: PlanMemberStanding[] }> {
    const root = await this.scope.rootOf(principal);
    const plan = await this.planFor(principal, planId, root.path);
    if (plan.closed_at) {
      const rows = await this.db.query(
        // By the unit id frozen with each result, at that unit's path today: renaming or moving a unit keeps them in view.
        `SELECT r.*, coalesce(o.path, r.unit_path) AS current_path, to_char(r.last_study_day, 'YYYY-MM-DD') AS last_day,
                coalesce((SELECT sum(sd.credited_sec) FROM study_daily sd
                           WHERE sd.user_id = r.user_id AND sd.day > p.period_end AND sd.day <= p.makeup_until
                             AND EXISTS (SELECT 1 FROM study_plan_makeup m WHERE m.plan_id = p.id AND m.user_id = r.user_id)), 0) / 3600 AS makeup_hours
           FROM study_plan_results r JOIN study_plans p ON p.id = r.plan_id LEFT JOIN org_units o ON o.id = r.org_unit_id
          WHERE r.plan_id = $1 AND (coalesce(o.path, r.unit_path) = $2 OR coalesce(o.path, r.unit_path) LIKE $2 || '/%')`,
        [planId, root.path],
      );
      return {
        plan,
        rows: rows.map((r: Record<string, never>): PlanMemberStanding => ({
          userId: r.user_id,
          name: r.name,
          login: r.login,
          category: r.category,
          unitId: r.org_unit_id,
          unitPath: r.current_path,
          earnedHours: roundHours(r.earned_hours),
          requiredHours: r.required_hours,
          remainingHours: roundHours(Math.max(0, Number(r.required_hours) - Number(r.earned_hours))),
          compulsoryMissing: r.compulsory_missing,
          lastStudyDay: r.last_day,
          status: r.status,
          makeupHours: round(Number(r.makeup_hours)),
          earnedSec: Math.round(Number(r.earned_hours) * 3600),
          remainingSec: Math.round(Math.max(0, Number(r.required_hours) - Number(r.earned_hours)) * 3600),
          makeupSec: Math.round(Number(r.makeup_hours) * 3600),
          exams: ((r.exams as FrozenExam[] | null) ?? []).map(planMemberExam),
          examsMissing: r.exams_missing,
          reflectionsRequired: r.reflections_required,
          reflectionsAccepted: r.reflections_accepted,
        })),
      };
    }
    return { plan, rows: await this.liveStandings(plan, root.path) };
  }

  /** Standings of an open plan computed now from the raw watch data, members under `rootPath` only. */
  private async liveStandings(plan: PlanRow, rootPath: string, nowMs = Date.now()): Promise<PlanMemberStanding[]> {
    const live = await this.plans.standings(plan.id, plan, nowMs);
    return live
      .filter((s) => isWithinScope(s.unitPath, rootPath))
      .map((s): PlanMemberStanding => ({
        userId: s.userId,
        name: s.name,
        login: s.login,
        category: s.category,
        unitId: s.unitId,
        unitPath: s.unitPath,
        earnedHours: roundHours(s.progress.earnedHours),
        requiredHours: s.progress.requiredHours,
        remainingHours: roundHours(s.progress.remainingHours),
        compulsoryMissing: s.progress.compulsoryMissing.length,
        lastStudyDay: s.lastStudyDay,
        status: s.progress.status,
        makeupHours: null,
        earnedSec: Math.round(s.progress.earnedHours * 3600),
        remainingSec: Math.round(s.progress.remainingHours * 3600),
        makeupSec: null,
        exams: s.exams.map(planMemberExam),
        examsMissing: s.progress.examsMissing.length,
        reflectionsRequired: s.progress.reflectionsRequired,
        reflectionsAccepted: s.progress.reflectionsAccepted,
      }));
  }

  /**
   * The caller's subtree with each unit's figures over its own subtree, parents before children.
   * Open plans are read from the rollup (see `PlanRollup`) unless `fresh` asks for a live computation;
   * statuses are counted against the pro-rata line of `nowMs` either way. Closed plans report their
   * frozen results.
   */
  async overview(
    principal: Principal,
    planId: string,
    { fresh = false, nowMs }: { fresh?: boolean; nowMs?: number } = {},
  ): Promise<PlanOverview> {
    // The caller's unit, the plan if visible from it, and how current its rollup is: one round trip on the hot path.
    const [context]: Array<ReportPlan & RollupState & { root_id: string; root_path: string }> = await this.db.query(
      `SELECT r.id AS root_id, r.path AS root_path, q.*, ${rollupStateColumns('$2', '$3')}
         FROM org_units r
         LEFT JOIN LATERAL (${this.planSelect} WHERE p.id = $2 AND ${visibleFrom('r.path')}) q ON true
        WHERE r.id = $1`,
      [principal.orgUnitId, planId, this.rollup.options.syncBacklog + 1],
    );
    // As ScopeService.rootOf and planFor answer.
    if (!context) throw new ForbiddenException('Your unit no longer exists. Ask your administrator.');
    if (!context.id) throw new NotFoundException('No such study plan in your organisation.');
    const root = { id: context.root_id, path: context.root_path };
    const plan: ReportPlan = context;
    const asOf = plan.closed_at ? null : fresh ? new Date() : await this.rollup.prepare(planId, context);
    if (asOf && !fresh) {
      const rules = rulesOf(plan, plan.compulsory_ids);
      const { units, own } = await this.rollup.unitTotals(planId, root.path, planThresholds(rules, nowMs ?? Date.now()));
      return { asOf: asOf.toISOString(), source: 'rollup', rows: rollUp(units, root, own) };
    }
    const units: ScopedUnit[] = await this.db.query(
      `SELECT id, parent_id, name, path, depth FROM org_units WHERE path = $1 OR path LIKE $1 || '/%' ORDER BY path`,
      [root.path],
    );
    if (plan.closed_at) {
      const { rows } = await this.standings(principal, planId);
      return { asOf: plan.closed_at.toISOString(), source: 'frozen', rows: rollUp(units, root, ownTotals(units, rows)) };
    }
    const liveAt = nowMs ?? Date.now();
    const rows = await this.liveStandings(plan, root.path, liveAt);
    return { asOf: new Date(liveAt).toISOString(), source: 'live', rows: rollUp(units, root, ownTotals(units, rows)) };
  }

  /**
   * One page of the plan's members inside the caller's subtree (or `filter.unitId`'s), filtered and sorted
   * on the server. An open plan is read from the rollup, one page at a time (its exam results for that
   * page only); `fresh`, a closed plan, or a plan whose rollup went meanwhile is computed whole and sliced.
   */
  async members(
    principal: Principal,
    planId: string,
    filter: StandingFilter,
    { page, limit, fresh = false }: { page: number; limit: number; fresh?: boolean },
  ): Promise<MemberPage> {
    const root = await this.scope.rootOf(principal);
    const plan = await this.planFor(principal, planId, root.path);
    const unit = filter.unitId ? await this.scope.unitInScope(principal, filter.unitId) : root;
    if (!plan.closed_at && !fresh) {
      const asOf = await this.rollup.prepare(planId);
      if (asOf)
        return {
          plan,
          ...(await this.rolledMembers(plan, unit.path, filter, page, limit)),
          page,
          limit,
          source: 'rollup',
          asOf: asOf.toISOString(),
        };
    }
    const { rows } = await this.standings(principal, planId);
    const picked = this.filterStandings(rows, unit.path, filter);
    const counts = { met: 0, on_track: 0, behind: 0, not_started: 0 };
    for (const row of picked) counts[row.status]++;
    return {
      plan,
      items: picked.slice((page - 1) * limit, page * limit),
      total: picked.length,
      counts,
      page,
      limit,
      source: plan.closed_at ? 'frozen' : 'live',
      asOf: null,
    };
  }

  /**
   * Every member the filter keeps, for an export to stream: page after page from the rollup, or all at
   * once where they are computed whole anyway (a closed plan's results, a live computation).
   */
  async *allMembers(principal: Principal, planId: string, filter: StandingFilter, pageSize = 2_000): AsyncGenerator<PlanMemberStanding> {
    const first = await this.members(principal, planId, filter, { page: 1, limit: pageSize });
    if (first.source !== 'rollup') {
      yield* (await this.members(principal, planId, filter, { page: 1, limit: Math.max(1, first.total) })).items;
      return;
    }
    yield* first.items;
    for (let page = 2; (page - 1) * pageSize < first.total; page++) {
      const { items } = await this.members(principal, planId, filter, { page, limit: pageSize });
      if (items.length === 0) return;
      yield* items;
    }
  }

  private filterStandings(rows: PlanMemberStanding[], unitPath: string, filter: StandingFilter): PlanMemberStanding[] {
    const q = filter.q?.toLowerCase();
    const picked = rows.filter(
      (r) =>
        isWithinScope(r.unitPath, unitPath) &&
        (!filter.category || r.category === filter.category) &&
        (!filter.status || r.status === filter.status) &&
        (!q || r.name.toLowerCase().includes(q) || r.login.includes(q)),
    );
    const direction = filter.order === 'desc' ? -1 : 1;
    return picked.sort((a, b) => {
      const x = a[filter.sort] ?? '';
      const y = b[filter.sort] ?? '';
      const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh-CN');
      return cmp * direction || a.login.localeCompare(b.login);
    });
  }

  /** A page of an open plan's members from `plan_member_totals`, statuses against the pro-rata line of now. */
  private async rolledMembers(
    plan: ReportPlan,
    unitPath: string,
    filter: StandingFilter,
    page: number,
    limit: number,
  ): Promise<{ items: PlanMemberStanding[]; total: number; counts: Record<PlanStatus, number> }> {
    const t = planThresholds(rulesOf(plan, plan.compulsory_ids), Date.now());
    const status = `CASE WHEN m.met THEN 'met' WHEN NOT m.started THEN 'not_started'
                         WHEN NOT $6::boolean AND m.earned_ms >= $7::bigint THEN 'on_track' ELSE 'behind' END`;
    const where = `
         FROM plan_member_totals m JOIN users u ON u.id = m.user_id JOIN org_units o ON o.id = m.org_unit_id
        WHERE m.plan_id = $1 AND (o.path = $2 OR o.path LIKE $2 || '/%')
          AND ($3::text IS NULL OR u.category = $3)
          AND ($4::text IS NULL OR strpos(lower(u.name), $4) > 0 OR strpos(u.login, $4) > 0)
          AND ($5::text IS NULL OR ${status} = $5)`;
    const params = [
      plan.id,
      unitPath,
      filter.category || null,
      filter.q ? filter.q.toLowerCase() : null,
      filter.status ?? null,
      t.periodOver,
      t.expectedMs,
    ];
    const direction = filter.order === 'desc' ? 'DESC' : 'ASC';
    // The page and the counts apart: counting in a window over the sorted rows costs several times the two.
    const [rows, counts]: [
      Array<{
        user_id: string;
        name: string;
        login: string;
        category: string | null;
        org_unit_id: string;
        unit_path: string;
        earned_ms: string;
        compulsory_missing: number;
        last_day: string | null;
        status: PlanStatus;
      }>,
      Record<PlanStatus, number>,
    ] = await Promise.all([
      this.db.query(
        `SELECT m.user_id, u.name, u.login, u.category, m.org_unit_id, o.path AS unit_path, m.earned_ms, m.compulsory_missing,
                to_char(m.last_study_day, 'YYYY-MM-DD') AS last_day, ${status} AS status,
                (greatest($8::bigint - m.earned_ms, 0) + 18000) / 36000 AS remaining_centi
         ${where}
          ORDER BY ${MEMBER_ORDER[filter.sort]} ${direction}, u.login ${ZH}, u.login, m.user_id
          LIMIT $9 OFFSET $10`,
        [...params, t.requiredMs, limit, (page - 1) * limit],
      ),
      this.rolledCounts(plan, unitPath, filter, t, { status, where, params }),
    ]);
    const exams: PlanExamRow[] = await this.db.query(planExams('$1'), [plan.id]);
    const results: ExamResultRow[] =
      exams.length && rows.length
        ? await this.db.query(
            examResults('a.exam_id IN (SELECT exam_id FROM study_plan_exams WHERE plan_id = $1) AND a.user_id = ANY($2::uuid[])', {
              plan: '$1',
              timeZone: this.options.timeZone,
            }),
            [plan.id, rows.map((r) => r.user_id)],
          )
        : [];
    const resultOf = new Map(results.map((r) => [`${r.exam_id}/${r.user_id}`, r]));
    // The page's members' reflections, by the rule the rollup's `met` was computed with.
    const reflectionsRequired = Number(plan.required_reflections ?? 0);
    const accepted: Array<{ user_id: string; accepted: number }> =
      reflectionsRequired > 0 && rows.length
        ? await this.db.query(acceptedReflections('$1', this.options.timeZone, 'SELECT unnest($2::uuid[])'), [
            plan.id,
            rows.map((r) => r.user_id),
          ])
        : [];
    const acceptedOf = new Map(accepted.map((r) => [r.user_id, r.accepted]));
    const items = rows.map((r): PlanMemberStanding => {
      const earnedMs = Number(r.earned_ms);
      const remainingMs = Math.max(0, t.requiredMs - earnedMs);
      const memberExams = exams.map((exam) => memberExamResult(exam, resultOf.get(`${exam.id}/${r.user_id}`)));
      return {
        userId: r.user_id,
        name: r.name,
        login: r.login,
        category: r.category,
        unitId: r.org_unit_id,
        unitPath: r.unit_path,
        earnedHours: roundHours(earnedMs / 3_600_000),
        requiredHours: t.requiredMs / 3_600_000,
        remainingHours: roundHours(remainingMs / 3_600_000),
        compulsoryMissing: r.compulsory_missing,
        lastStudyDay: r.last_day,
        status: r.status,
        makeupHours: null,
        earnedSec: Math.round(earnedMs / 1000),
        remainingSec: Math.round(remainingMs / 1000),
        makeupSec: null,
        exams: memberExams.map(planMemberExam),
        examsMissing: memberExams.filter((e) => !e.passed).length,
        reflectionsRequired,
        reflectionsAccepted: acceptedOf.get(r.user_id) ?? 0,
      };
    });
    const total = filter.status ? counts[filter.status] : counts.met + counts.on_track + counts.behind + counts.not_started;
    return { items, total, counts };
  }

  /**
   * How many members the filter keeps at each status. Without a category or a search they are the sums the
   * overview reads (`plan_unit_totals`, one row per unit); otherwise they are counted over the members.
   */
  private async rolledCounts(
    plan: ReportPlan,
    unitPath: string,
    filter: StandingFilter,
    t: ReturnType<typeof planThresholds>,
    { status, where, params }: { status: string; where: string; params: unknown[] },
  ): Promise<Record<PlanStatus, number>> {
    const counts: Record<PlanStatus, number> = { met: 0, on_track: 0, behind: 0, not_started: 0 };
    if (!filter.category && !filter.q) {
      const { own } = await this.rollup.unitTotals(plan.id, unitPath, t);
      for (const unit of own.values()) {
        counts.met += unit.met;
        counts.on_track += unit.onTrack;
        counts.behind += unit.behind;
        counts.not_started += unit.notStarted;
      }
    } else {
      const [row] = await this.db.query(
        `SELECT count(*) FILTER (WHERE m.met)::int AS met, count(*) FILTER (WHERE NOT m.met AND NOT m.started)::int AS not_started,
                count(*) FILTER (WHERE ${status} = 'on_track')::int AS on_track, count(*) FILTER (WHERE ${status} = 'behind')::int AS behind
         ${where}`,
        params,
      );
      Object.assign(counts, row);
    }
    if (!filter.status) return counts;
    return { met: 0, on_track: 0, behind: 0, not_started: 0, [filter.status]: counts[filter.status] };
  }

  /** One member of the caller's subtree and each lecture they studied, most recent first; 404 for anyone outside it. */
  async memberLectures(principal: Principal, userId: string): Promise<{ member: MemberFacts; lectures: MemberLecture[] }> {
    const root = await this.scope.rootOf(principal);
    const [person] = await this.db.query(
      `SELECT u.id, u.name, u.login, u.category, u.active, o.path AS unit_path, o.name AS unit_name
         FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.id = $1`,
      [userId],
    );
    if (!person || !isWithinScope(person.unit_path, root.path)) throw new NotFoundException('No such person in your organisation.');
    const rows: Array<Omit<MemberLecture, 'lastStudiedAt'> & { lastStudiedAt: Date }> = await this.db.query(
      `SELECT p.lecture_id AS "lectureId", l.title, c.title AS "courseTitle", p.credited_sec AS "creditedSec", p.duration_sec AS "durationSec",
              CASE WHEN p.duration_sec > 0 THEN least(1, p.covered_sec / p.duration_sec) ELSE 0 END AS "coverageRatio",
              p.completed_at IS NOT NULL AS completed, p.last_studied_at AS "lastStudiedAt",
              to_char(p.last_studied_at AT TIME ZONE $2, 'YYYY-MM-DD') AS "lastStudiedDay"
         FROM lecture_progress p JOIN lectures l ON l.id = p.lecture_id JOIN courses c ON c.id = l.course_id
        WHERE p.user_id = $1 ORDER BY p.last_studied_at DESC`,
      [userId, this.options.timeZone],
    );
    const lectures = rows.map((row): MemberLecture => ({ ...row, lastStudiedAt: row.lastStudiedAt.toISOString() }));
    return {
      member: {
        id: person.id,
        name: person.name,
        login: person.login,
        category: person.category,
        active: person.active,
        unitPath: person.unit_path,
        unitName: person.unit_name,
      },
      lectures,
    };
  }

  /** One member of the caller's subtree: each plan, each lecture, and study time per day. */
  async member(principal: Principal, userId: string) {
    const { member, lectures } = await this.memberLectures(principal, userId);
    const frozen = await this.frozenResultsOf(userId);
    const plans = await Promise.all(
      (await this.plans.plansOfMember(userId)).map(async (plan) => {
        const head = { planId: plan.id, name: plan.name, periodStart: plan.period_start, periodEnd: plan.period_end };
        // A closed plan reports the member's result frozen when it closed, as the plan's own reports do.
        if (plan.closed_at) return { ...head, closedAt: plan.closed_at.toISOString(), ...frozen.get(plan.id) };
        const [standing] = await this.plans.standings(plan.id, plan, Date.now(), userId);
        return { ...head, closedAt: null, ...standing?.progress };
      }),
    );
    const daily = await this.db.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, round((sum(credited_sec) / 3600)::numeric, 2)::float8 AS hours
         FROM study_daily WHERE user_id = $1 AND day > current_date - 366 GROUP BY day ORDER BY day`,
      [userId],
    );
    return { member, plans, lectures, daily };
  }

  /**
   * One member's frozen results by plan, in `PlanProgress` terms. The compulsory lectures they missed are those of
   * the plan they had not completed when it closed, as many as the result counts.
   */
  private async frozenResultsOf(userId: string): Promise<Map<string, PlanProgress>> {
    const rows: Array<{
      plan_id: string;
      earned_hours: number;
      required_hours: number;
      status: PlanStatus;
      compulsory_missing: number;
      not_done: string[];
      exams: FrozenExam[];
      reflections_required: number;
      reflections_accepted: number;
    }> = await this.db.query(
      `SELECT r.plan_id, r.earned_hours, r.required_hours, r.status, r.compulsory_missing, r.exams,
              r.reflections_required, r.reflections_accepted,
                ARRAY(SELECT pc.lecture_id FROM study_plan_compulsory pc
                       WHERE pc.plan_id = r.plan_id
                         AND NOT EXISTS (SELECT 1 FROM lecture_progress lp WHERE lp.user_id = r.user_id AND lp.lecture_id = pc.lecture_id
                                            AND lp.completed_at <= p.closed_at)
                       ORDER BY pc.position)::text[] AS not_done
           FROM study_plan_results r JOIN study_plans p ON p.id = r.plan_id
          WHERE r.user_id = $1`,
      [userId],
    );
    return new Map(
      rows.map((r) => [
        r.plan_id,
        {
          ...hoursProgress(Number(r.earned_hours), Number(r.required_hours)),
          status: r.status,
          compulsoryMissing: r.not_done.slice(0, r.compulsory_missing),
          examsMissing: (r.exams ?? []).filter((e) => !e.passed).map((e) => e.examId),
          reflectionsRequired: r.reflections_required,
          reflectionsAccepted: r.reflections_accepted,
          reflectionsMissing: Math.max(0, r.reflections_required - r.reflections_accepted),
        },
      ]),
    );
  }

  /**
   * What turns codes and paths into the names the screen shows, for the caller's subtree: unit names,
   * the path of names from the caller's own unit down, member category names in `lang`.
   */
  async labels(principal: Principal, lang: Lang): Promise<ReportLabels & { root: { path: string; name: string } }> {
    const root = await this.scope.rootOf(principal);
    const [units, categories]: [Array<{ path: string; name: string }>, Array<{ code: string; name_zh: string; name_en: string }>] =
      await Promise.all([
        this.db.query(`SELECT path, name FROM org_units WHERE path = $1 OR path LIKE $1 || '/%'`, [root.path]),
        this.db.query(`SELECT code, name_zh, name_en FROM member_categories`),
      ]);
    const names = new Map(units.map((u) => [u.path, u.name]));
    const categoryNames = new Map(categories.map((c) => [c.code, lang === 'en' ? c.name_en : c.name_zh]));
    const unitName = (path: string) => names.get(path) ?? path;
    return {
      lang,
      root: { path: root.path, name: root.name },
      category: (code) => (code ? (categoryNames.get(code) ?? code) : '—'),
      unitName,
      unitTrail: (path) => {
        if (!isWithinScope(path, root.path)) return unitName(path);
        const below = path.slice(root.path.length).split('/').filter(Boolean);
        const trail = [root.path];
        for (const slug of below) trail.push(`${trail[trail.length - 1]}/${slug}`);
        return trail.map(unitName).join(' / ');
      },
    };
  }

  /**
   * How many members each plan visible to the caller has inside the caller's subtree: active members the
   * plan applies to while it is open, the members whose results it froze once closed (as its reports count).
   */
  async memberCounts(principal: Principal): Promise<Record<string, number>> {
    const root = await this.scope.rootOf(principal);
    const rows: Array<{ id: string; members: number }> = await this.db.query(
      `SELECT p.id,
              CASE WHEN p.closed_at IS NULL
                   THEN (SELECT count(*) FROM (${planMembers('p.id')}) pm WHERE pm.unit_path = $1 OR pm.unit_path LIKE $1 || '/%')
                   ELSE (SELECT count(*) FROM study_plan_results r LEFT JOIN org_units ro ON ro.id = r.org_unit_id
                          WHERE r.plan_id = p.id
                            AND (coalesce(ro.path, r.unit_path) = $1 OR coalesce(ro.path, r.unit_path) LIKE $1 || '/%'))
              END::int AS members
         FROM study_plans p JOIN org_units o ON o.id = p.owner_unit_id
        WHERE ${visibleFrom('$1')}`,
      [root.path],
    );
    return Object.fromEntries(rows.map((r) => [r.id, r.members]));
  }

  /** A unit of the caller's subtree (404 outside it), as a report names it. */
  async unitOf(principal: Principal, unitId: string): Promise<{ name: string; path: string }> {
    const unit = await this.scope.unitInScope(principal, unitId);
    return { name: unit.name, path: unit.path };
  }

  /** The study calendar's time zone, which days and times in the reports are told in. */
  get timeZone(): string {
    return this.options.timeZone;
  }

  /** Today on the platform's study calendar (YYYY-MM-DD), for export file names. */
  today(now = new Date()): string {
    return new Intl.DateTimeFormat('en-CA', { timeZone: this.options.timeZone }).format(now);
  }

  /**
   * What a plan requires beyond hours, for the requirement columns of its members table: its exams (empty:
   * none) and how many accepted reflections (0: none).
   */
  async planExamsOf(planId: string): Promise<PlanRequirements> {
    const [rows, [plan]]: [PlanExamRow[], Array<{ required_reflections: number } | undefined>] = await Promise.all([
      this.db.query(planExams('$1'), [planId]),
      this.db.query(`SELECT required_reflections FROM study_plans WHERE id = $1`, [planId]),
    ]);
    return { exams: rows.map((e) => ({ examId: e.id, title: e.title })), requiredReflections: plan?.required_reflections ?? 0 };
  }

  /**
   * Freezes every member's result, exam results and reflections counted included; later study, attempts,
   * grading, reviews or edits no longer change what the plan reports.
   */
  async close(principal: Principal, planId: string): Promise<{ members: number }> {
    const plan = await this.planFor(principal, planId);
    const root = await this.scope.rootOf(principal);
    if (!isWithinScope(plan.owner_path, root.path)) throw new NotFoundException('Only the admins who own this plan can close it.');
    if (plan.closed_at) throw new ConflictException('This plan is already closed.');
    // One transaction holding the plan row: a concurrent close waits, then finds the plan closed; the results
    // frozen are computed under the lock, from the plan as it is then.
    return this.db.transaction(async (tx) => {
      const [locked] = await tx.query(`SELECT closed_at FROM study_plans WHERE id = $1 FOR UPDATE`, [planId]);
      if (locked.closed_at) throw new ConflictException('This plan is already closed.');
      const standings = await this.plans.standings(planId, undefined, Date.now(), null, tx);
      const [{ closed }] = await tx.query(
        `WITH u AS (UPDATE study_plans SET closed_at = now() WHERE id = $1 AND closed_at IS NULL RETURNING id) SELECT count(*)::int AS closed FROM u`,
        [planId],
      );
      if (closed !== 1) throw new ConflictException('This plan is already closed.');
      if (standings.length === 0) return { members: 0 };
      await tx.query(
        `INSERT INTO study_plan_results (plan_id, user_id, name, login, category, org_unit_id, unit_path, earned_hours, required_hours, status,
                                         compulsory_missing, last_study_day, exams, exams_missing, reflections_required, reflections_accepted)
         SELECT $1, r.user_id, r.name, r.login, r.category, r.unit_id, r.unit_path, r.earned, r.required, r.status, r.missing, r.last_day,
                r.exams, r.exams_missing, r.reflections_required, r.reflections_accepted
           FROM jsonb_to_recordset($2::jsonb) AS r(user_id uuid, name text, login text, category text, unit_id uuid, unit_path text,
                                                   earned float8, required float8, status text, missing int, last_day date,
                                                   exams jsonb, exams_missing int, reflections_required int, reflections_accepted int)`,
        [
          planId,
          JSON.stringify(
            standings.map((s) => ({
              user_id: s.userId,
              name: s.name,
              login: s.login,
              category: s.category,
              unit_id: s.unitId,
              unit_path: s.unitPath,
              earned: s.progress.earnedHours,
              required: s.progress.requiredHours,
              status: s.progress.status,
              missing: s.progress.compulsoryMissing.length,
              last_day: s.lastStudyDay,
              exams: s.exams.map((e): FrozenExam => ({
                examId: e.examId,
                title: e.title,
                passed: e.passed,
                outcome: e.outcome,
                score: e.score,
                maxScore: e.maxScore,
                percent: e.percent,
              })),
              exams_missing: s.progress.examsMissing.length,
              reflections_required: s.progress.reflectionsRequired,
              reflections_accepted: s.progress.reflectionsAccepted,
            })),
          ),
        ],
      );
      return { members: standings.length };
    });
  }
}
