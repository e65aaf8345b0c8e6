import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { rulesOf, type PlanRow } from '../study/study-plans.service.js';
import { countsTowardPlan, planLectures, planMembers } from '../study/plan-scope.sql.js';
import { planThresholds, type PlanThresholds } from './plan-status.js';

/**
 * The plan rollup: per open plan, each member's clock-independent totals (`plan_member_totals`) and
 * their sums per unit (`plan_unit_totals`), kept current from the change logs that triggers append to
 * (see the 1732000005000 migration).
 *
 * Exam attempts log their member and the plan's required exams log the plan (the 1732000017000 migration).
 *
 * A refresh drains the logs and rewrites the affected members in one transaction, serialized across
 * every catalog process by an advisory lock: members whose study, completions or membership changed
 * are recomputed, and a plan whose definition changed (or that has no rollup yet) is rebuilt whole.
 * It runs in the background every `intervalMs`, and before an overview is answered when the backlog
 * is small, so a quiet system answers with current figures and a busy one with figures at most one
 * interval (plus the refresh itself) old; the answer says which (`asOf`).
 */

export interface RollupOptions {
  timeZone: string;
  /** Background refresh period. */
  intervalMs: number;
  /** An overview refreshes first when at most this many change-log rows wait; more are left to the background. */
  syncBacklog: number;
  /** How long an overview waits for another refresher before answering from the rollup as it stands. */
  syncWaitMs: number;
  /** More changed members than this and a plan is rebuilt whole instead of member by member. */
  fullRebuildAbove: number;
}

export const DEFAULT_ROLLUP_OPTIONS: Omit<RollupOptions, 'timeZone'> = {
  intervalMs: 15_000,
  syncBacklog: 1_000,
  syncWaitMs: 2_000,
  fullRebuildAbove: 20_000,
};

/** A unit's own figures: its direct members only, statuses counted against the line of `nowMs`. */
export interface UnitOwnTotals {
  members: number;
  met: number;
  onTrack: number;
  behind: number;
  notStarted: number;
  centiHours: number;
  compulsoryCompleted: number;
}

export interface ScopedUnit {
  id: string;
  parent_id: string | null;
  name: string;
  path: string;
  depth: number;
}

export interface RefreshResult {
  asOf: Date;
  rebuilt: string[];
  updated: number;
  changedMembers: number;
}

// Two int4 keys for pg_advisory_xact_lock: "LECT" and "RLUP".
const LOCK = [0x4c454354, 0x524c5550] as const;
const LOCK_NOT_AVAILABLE = '55P03';

export const planSelect = (timeZone: string) => `
  SELECT p.id, p.name, p.owner_unit_id, o.name AS owner_name, o.path AS owner_path,
         to_char(p.period_start, 'YYYY-MM-DD') AS period_start, to_char(p.period_end, 'YYYY-MM-DD') AS period_end,
         p.required_hours, p.mode, p.credit_hours_per_lecture, p.completion_threshold, p.all_courses,
         to_char(p.makeup_until, 'YYYY-MM-DD') AS makeup_until, p.closed_at,
         (extract(epoch FROM p.period_start::timestamp AT TIME ZONE '${timeZone}') * 1000)::bigint AS start_ms,
         (extract(epoch FROM (p.period_end + 1)::timestamp AT TIME ZONE '${timeZone}') * 1000)::bigint AS end_ms,
         array(SELECT c.lecture_id FROM study_plan_compulsory c WHERE c.plan_id = p.id ORDER BY c.position) AS compulsory_ids
    FROM study_plans p JOIN org_units o ON o.id = p.owner_unit_id`;

/** `StudyPlansService`'s plan row plus its compulsory lectures, in order. */
export type ReportPlan = PlanRow & { compulsory_ids: string[] };

/**
 * Each member's totals, by the same rules as `StudyPlansService.standings` + `planProgress`:
 * credit per lecture summed over the days that count, snapped to whole ms like `secToMs`
 * (Math.round, ties up), completions dated inside the period (or make-up window); met also needs
 * every exam the plan requires passed (a graded attempt, not voided, that passed), and sitting one
 * of them is a start (see `exam-results.sql.ts`); earned ms add each required exam's credit hours once
 * when a passing attempt was handed in on a day that counts (`ExamCreditOf`).
 * $1 plan, $2 mode, $3 ms per completed lecture, $4 compulsory lectures, $5 required ms, $6 only these users.
 */
const memberTotalsSql = (timeZone: string, onlyUsers: boolean, returning: boolean) => `
  WITH pm AS (SELECT x.user_id, x.org_unit_id FROM (${planMembers('$1')}) x ${onlyUsers ? 'WHERE x.user_id = ANY($6::uuid[])' : ''}),
       pl AS (${planLectures('$1')}),
       pc AS (SELECT lecture_id FROM study_plan_compulsory WHERE plan_id = $1),
       c AS (SELECT sd.user_id, sd.lecture_id, sum(sd.credited_sec) AS credited, max(sd.day) AS last_day
               FROM study_daily sd JOIN pm ON pm.user_id = sd.user_id JOIN pl ON pl.lecture_id = sd.lecture_id
              WHERE ${countsTowardPlan('$1', 'sd.day', 'sd.user_id')}
              GROUP BY sd.user_id, sd.lecture_id),
       d AS (SELECT lp.user_id, lp.lecture_id FROM lecture_progress lp JOIN pm ON pm.user_id = lp.user_id
              WHERE lp.completed_at IS NOT NULL
                AND (lp.lecture_id IN (SELECT lecture_id FROM pl) OR lp.lecture_id IN (SELECT lecture_id FROM pc))
                AND ${countsTowardPlan('$1', `(lp.completed_at AT TIME ZONE '${timeZone}')::date`, 'lp.user_id')}),
       l AS (SELECT coalesce(c.user_id, d.user_id) AS user_id, coalesce(c.lecture_id, d.lecture_id) AS lecture_id,
                    greatest(coalesce(c.credited, 0), 0) * 1000 AS raw_ms, d.user_id IS NOT NULL AS completed, c.last_day
               FROM c FULL JOIN d ON d.user_id = c.user_id AND d.lecture_id = c.lecture_id),
       per_user AS (
         SELECT l.user_id,
                sum((floor(l.raw_ms) + CASE WHEN l.raw_ms - floor(l.raw_ms) >= 0.5 THEN 1 ELSE 0 END)::bigint) AS credited_ms,
                count(*) FILTER (WHERE l.completed)::int AS completed_lectures,
                count(*) FILTER (WHERE l.completed AND l.lecture_id IN (SELECT lecture_id FROM pc))::int AS compulsory_done,
                bool_or(l.completed OR l.raw_ms > 0) AS started,
                max(l.last_day) AS last_day
           FROM l GROUP BY l.user_id),
       pe AS (SELECT exam_id FROM study_plan_exams WHERE plan_id = $1),
       ex AS (SELECT a.user_id, count(DISTINCT a.exam_id) FILTER (WHERE a.status = 'graded' AND a.passed)::int AS passed_exams,
                     bool_or(a.status IN ('graded', 'grading')) AS sat
                FROM exam_attempts a JOIN pm ON pm.user_id = a.user_id
               WHERE a.status <> 'voided' AND a.exam_id IN (SELECT exam_id FROM pe)
               GROUP BY a.user_id),
       xc AS (SELECT x.user_id, sum(x.credit_ms)::bigint AS credit_ms
                FROM (SELECT DISTINCT a.user_id, a.exam_id, round(e.credit_hours * 3600000)::bigint AS credit_ms
                        FROM exam_attempts a JOIN pm ON pm.user_id = a.user_id JOIN exams e ON e.id = a.exam_id
                       WHERE a.status = 'graded' AND a.passed AND e.credit_hours > 0 AND a.exam_id IN (SELECT exam_id FROM pe)
                         AND ${countsTowardPlan('$1', `(a.submitted_at AT TIME ZONE '${timeZone}')::date`, 'a.user_id')}) x
               GROUP BY x.user_id),
       m AS (
         SELECT pm.user_id, pm.org_unit_id,
                CASE WHEN $2::text = 'per_lecture' THEN coalesce(u.completed_lectures, 0)::bigint * $3::bigint
                     ELSE coalesce(u.credited_ms, 0)::bigint END + coalesce(xc.credit_ms, 0) AS earned_ms,
                coalesce(u.started, false) OR coalesce(ex.sat, false) AS started,
                $4::int - coalesce(u.compulsory_done, 0) AS compulsory_missing,
                coalesce(ex.passed_exams, 0) >= (SELECT count(*) FROM pe) AS exams_passed,
                coalesce(u.completed_lectures, 0) AS completed_lectures,
                u.last_day
           FROM pm LEFT JOIN per_user u ON u.user_id = pm.user_id LEFT JOIN ex ON ex.user_id = pm.user_id
                LEFT JOIN xc ON xc.user_id = pm.user_id)
  INSERT INTO plan_member_totals
         (plan_id, user_id, org_unit_id, earned_ms, centi_hours, started, met, compulsory_missing, completed_lectures, last_study_day)
  SELECT $1, m.user_id, m.org_unit_id, m.earned_ms, (m.earned_ms + 18000) / 36000, m.started,
         m.earned_ms >= $5::bigint AND m.compulsory_missing = 0 AND m.exams_passed, m.compulsory_missing, m.completed_lectures, m.last_day
    FROM m
  ${returning ? 'RETURNING org_unit_id' : ''}`;

/** Sums per unit; the earned ms of started members who have not met the plan are kept sorted for `width_bucket`. */
const unitTotalsSql = (onlyUnits: boolean) => `
  INSERT INTO plan_unit_totals (plan_id, org_unit_id, members, met, not_started, centi_hours, compulsory_completed, pending_earned_ms)
  SELECT plan_id, org_unit_id, count(*), count(*) FILTER (WHERE met), count(*) FILTER (WHERE NOT met AND NOT started),
         sum(centi_hours), count(*) FILTER (WHERE compulsory_missing = 0),
         coalesce(array_agg(earned_ms ORDER BY earned_ms) FILTER (WHERE started AND NOT met), '{}')
    FROM plan_member_totals
   WHERE plan_id = $1 ${onlyUnits ? 'AND org_unit_id = ANY($2::uuid[])' : ''}
   GROUP BY plan_id, org_unit_id
  ON CONFLICT (plan_id, org_unit_id) DO UPDATE SET
    members = excluded.members, met = excluded.met, not_started = excluded.not_started, centi_hours = excluded.centi_hours,
    compulsory_completed = excluded.compulsory_completed, pending_earned_ms = excluded.pending_earned_ms`;

/** How current a plan's rollup is, and how much waits in the change logs (counted up to the sync limit + 1). */
export interface RollupState {
  checked_at: Date;
  as_of: Date | null;
  plan_dirty: boolean;
  backlog: number;
}

/** The columns of `RollupState`; `plan` and `limit` are the parameters holding the plan id and the sync limit + 1. */
export const rollupStateColumns = (plan: string, limit: string) => `
  statement_timestamp() AS checked_at, (SELECT as_of FROM plan_rollups WHERE plan_id = ${plan}) AS as_of,
  EXISTS (SELECT 1 FROM report_dirty_plans WHERE plan_id = ${plan} OR plan_id IS NULL) AS plan_dirty,
  (SELECT count(*) FROM (SELECT 1 FROM report_dirty_users LIMIT ${limit}) x)::int AS backlog`;

class LockBusy extends Error {}

function isLockTimeout(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  return e instanceof LockBusy || e?.code === LOCK_NOT_AVAILABLE || e?.driverError?.code === LOCK_NOT_AVAILABLE;
}

export class PlanRollup {
  private readonly logger = new Logger('PlanRollup');
  private timer: NodeJS.Timeout | null = null;
  private background: Promise<unknown> | null = null;

  constructor(
    private readonly db: DataSource,
    readonly options: RollupOptions,
  ) {}

  private get timeZone() {
    return this.options.timeZone.replace(/'/g, '');
  }

  start(): void {
    if (this.timer) return;
    const tick = () => {
      if (this.background) return;
      this.background = this.refresh({ wait: false })
        .catch((error: Error) => this.logger.error(`plan rollup refresh failed: ${error.message}`))
        .finally(() => (this.background = null));
    };
    this.timer = setInterval(tick, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.background;
  }

  /**
   * Drains the change logs and brings every open plan's rollup up to date. With `wait: false` it gives
   * up at once if another refresher holds the lock; with a `lockTimeoutMs` it gives up after that long.
   * Returns null when it gave up.
   */
  async refresh({ wait, lockTimeoutMs }: { wait: boolean; lockTimeoutMs?: number }): Promise<RefreshResult | null> {
    try {
      return await this.db.transaction('READ COMMITTED', async (tx) => {
        if (!wait) {
          const [{ locked }] = await tx.query(`SELECT pg_try_advisory_xact_lock($1, $2) AS locked`, [...LOCK]);
          if (!locked) throw new LockBusy();
        } else {
          if (lockTimeoutMs) await tx.query(`SELECT set_config('lock_timeout', $1, true)`, [`${lockTimeoutMs}ms`]);
          await tx.query(`SELECT pg_advisory_xact_lock($1, $2)`, [...LOCK]);
          if (lockTimeoutMs) await tx.query(`SELECT set_config('lock_timeout', '0', true)`);
        }
        return this.refreshLocked(tx);
      });
    } catch (error) {
      if (isLockTimeout(error)) return null;
      throw error;
    }
  }

  private async refreshLocked(tx: EntityManager): Promise<RefreshResult> {
    // Taken before the logs are drained: every change committed before it is either drained now or was earlier.
    const [{ as_of: asOf }] = await tx.query(`SELECT statement_timestamp() AS as_of`);
    const dirtyPlans: Array<{ plan_id: string | null }> = await tx.query(
      `WITH d AS (DELETE FROM report_dirty_plans RETURNING plan_id) SELECT DISTINCT plan_id FROM d`,
    );
    const users: string[] = (
      await tx.query(`WITH d AS (DELETE FROM report_dirty_users RETURNING user_id) SELECT DISTINCT user_id FROM d`)
    ).map((r: { user_id: string }) => r.user_id);
    // Closed (or deleted) plans report their frozen results; their rollup goes.
    await tx.query(
      `DELETE FROM plan_rollups r WHERE NOT EXISTS (SELECT 1 FROM study_plans p WHERE p.id = r.plan_id AND p.closed_at IS NULL)`,
    );
    const plans: Array<ReportPlan & { built: boolean }> = await tx.query(
      `SELECT q.*, EXISTS (SELECT 1 FROM plan_rollups r WHERE r.plan_id = q.id AND r.time_zone = $1) AS built
         FROM (${planSelect(this.timeZone)} WHERE p.closed_at IS NULL) q ORDER BY q.id`,
      [this.timeZone],
    );
    const everyPlan = dirtyPlans.some((d) => d.plan_id === null) || users.length > this.options.fullRebuildAbove;
    const dirty = new Set(dirtyPlans.map((d) => d.plan_id));
    const result: RefreshResult = { asOf, rebuilt: [], updated: 0, changedMembers: users.length };
    for (const plan of plans) {
      const thresholds = planThresholds(rulesOf(plan, plan.compulsory_ids), 0);
      if (everyPlan || dirty.has(plan.id) || !plan.built) {
        await this.rebuild(tx, plan, thresholds, asOf);
        result.rebuilt.push(plan.id);
      } else if (users.length > 0) {
        await this.update(tx, plan, thresholds, users);
        result.updated++;
      }
    }
    await tx.query(`UPDATE plan_rollups SET as_of = $1`, [asOf]);
    return result;
  }

  private memberParams(plan: PlanRow, t: PlanThresholds) {
    return [plan.id, plan.mode, t.perLectureMs, t.compulsoryCount, t.requiredMs];
  }

  private async rebuild(tx: EntityManager, plan: PlanRow, t: PlanThresholds, asOf: Date): Promise<void> {
    const started = Date.now();
    await tx.query(`DELETE FROM plan_rollups WHERE plan_id = $1`, [plan.id]);
    await tx.query(`INSERT INTO plan_rollups (plan_id, as_of, time_zone, built_at) VALUES ($1, $2, $3, now())`, [
      plan.id,
      asOf,
      this.timeZone,
    ]);
    await tx.query(memberTotalsSql(this.timeZone, false, false), this.memberParams(plan, t));
    await tx.query(unitTotalsSql(false), [plan.id]);
    await tx.query(`UPDATE plan_rollups SET build_ms = $2 WHERE plan_id = $1`, [plan.id, Date.now() - started]);
  }

  /** Recomputes only the given members, then the units they left or joined. */
  private async update(tx: EntityManager, plan: PlanRow, t: PlanThresholds, users: string[]): Promise<void> {
    const removed: Array<{ org_unit_id: string }> = await tx.query(
      `WITH d AS (DELETE FROM plan_member_totals WHERE plan_id = $1 AND user_id = ANY($2::uuid[]) RETURNING org_unit_id)
       SELECT DISTINCT org_unit_id FROM d`,
      [plan.id, users],
    );
    // Joined in the order written, starting from the changed members: the planner cannot estimate the
    // path-prefix membership join and would otherwise walk every member of the plan to find a few.
    const [{ previous }] = await tx.query(`SELECT current_setting('join_collapse_limit') AS previous`);
    await tx.query(`SELECT set_config('join_collapse_limit', '1', true)`);
    const added: Array<{ org_unit_id: string }> = await tx.query(memberTotalsSql(this.timeZone, true, true), [
      ...this.memberParams(plan, t),
      users,
    ]);
    await tx.query(`SELECT set_config('join_collapse_limit', $1, true)`, [previous]);
    const units = [...new Set([...removed, ...added].map((r) => r.org_unit_id))];
    if (units.length === 0) return;
    await tx.query(unitTotalsSql(true), [plan.id, units]);
    await tx.query(
      `DELETE FROM plan_unit_totals t WHERE t.plan_id = $1 AND t.org_unit_id = ANY($2::uuid[])
          AND NOT EXISTS (SELECT 1 FROM plan_member_totals m WHERE m.plan_id = t.plan_id AND m.org_unit_id = t.org_unit_id)`,
      [plan.id, units],
    );
  }

  /**
   * Makes the plan's rollup usable and as current as is cheap, and says as of when it is: built (and
   * waited for) if missing or its plan changed; refreshed first if few changes wait; otherwise as the
   * background left it. Null if the plan has no rollup (it closed meanwhile).
   */
  async prepare(planId: string, known?: RollupState): Promise<Date | null> {
    const state: RollupState =
      known ?? (await this.db.query(`SELECT ${rollupStateColumns('$1', '$2')}`, [planId, this.options.syncBacklog + 1]))[0];
    // Nothing waits in the logs: every change committed before the check is in the rollup.
    if (state.as_of && !state.plan_dirty && state.backlog === 0) return state.checked_at;
    if (!state.as_of || state.plan_dirty) {
      await this.refresh({ wait: true });
    } else if (state.backlog <= this.options.syncBacklog) {
      if (!(await this.refresh({ wait: true, lockTimeoutMs: this.options.syncWaitMs }))) return state.as_of;
    } else {
      return state.as_of;
    }
    const [row] = await this.db.query(`SELECT as_of FROM plan_rollups WHERE plan_id = $1`, [planId]);
    return row?.as_of ?? null;
  }

  /** Own figures of every unit in the subtree at `rootPath` that has plan members, statuses as of `t`. */
  async unitTotals(planId: string, rootPath: string, t: PlanThresholds): Promise<{ units: ScopedUnit[]; own: Map<string, UnitOwnTotals> }> {
    const rows: Array<
      ScopedUnit & {
        members: number | null;
        met: number;
        not_started: number;
        centi_hours: string;
        compulsory_completed: number;
        pending: number;
        below: number;
      }
    > = await this.db.query(
      `SELECT o.id, o.parent_id, o.name, o.path, o.depth,
              t.members, t.met, t.not_started, t.centi_hours, t.compulsory_completed,
              cardinality(t.pending_earned_ms) AS pending, width_bucket($3::bigint, t.pending_earned_ms) AS below
         FROM org_units o LEFT JOIN plan_unit_totals t ON t.plan_id = $1 AND t.org_unit_id = o.id
        WHERE o.path = $2 OR o.path LIKE $2 || '/%'
        ORDER BY o.path`,
      [planId, rootPath, t.expectedMs - 1],
    );
    const own = new Map<string, UnitOwnTotals>();
    for (const r of rows) {
      if (!r.members) continue;
      // Pending members below the line are behind; after the period every one of them is.
      const behind = t.periodOver ? r.pending : r.below;
      own.set(r.id, {
        members: r.members,
        met: r.met,
        onTrack: r.pending - behind,
        behind,
        notStarted: r.not_started,
        centiHours: Number(r.centi_hours),
        compulsoryCompleted: r.compulsory_completed,
      });
    }
    return { units: rows.map(({ id, parent_id, name, path, depth }) => ({ id, parent_id, name, path, depth })), own };
  }
}
