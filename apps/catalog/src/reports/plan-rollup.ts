import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { isConcurrencyConflict } from '#platform';
import { PLAN_RULE_COLUMNS, rulesOf, type PlanRow } from '../study/study-plans.service.js';
import { countedSecSql, countsTowardPlan, inPersonAttendance, planLectures, planMembers } from '../study/plan-scope.sql.js';
import { acceptedReflections } from '../study/plan-reflections.sql.js';
import { planThresholds, type PlanThresholds } from './plan-status.js';

/**
 * The plan rollup: per open plan, each member's clock-independent totals (`plan_member_totals`) and
 * their sums per unit (`plan_unit_totals`), kept current from the change logs that triggers append to
 * (see the 1732000005000 migration).
 *
 * Exam attempts log their member and the plan's required exams log the plan (the 1732000017000 migration);
 * so do learning reflections, and a plan's required number of them is part of its definition (1732000026000).
 *
 * Members are brought up to date in chunks: each chunk is one short transaction that takes the oldest
 * `chunkSize` rows of the member log (`FOR UPDATE SKIP LOCKED`, so every catalog process drains its own
 * share at once), recomputes those members in every open plan and adds the difference to their units'
 * sums. Nothing waits for a whole backlog, however large: there is no "rebuild everything" cliff.
 *
 * - A chunk locks its members' `users` rows (FOR NO KEY UPDATE, sorted), so a member logged twice and
 *   picked by two chunks is recomputed by one after the other, the later one from a later snapshot; the
 *   difference it adds is against the row the earlier one wrote, so nothing is counted twice.
 * - Units' sums change by additions (UPDATE re-reads the newest row), so chunks touching the same unit
 *   commute; the rows are locked in unit order first, so they cannot deadlock on each other.
 * - A plan whose definition changed (or that has no rollup yet) is rebuilt whole, in its own transaction,
 *   holding the rollup lock exclusively; chunks hold it shared. A rebuild so starts from a snapshot with
 *   every finished chunk in it, and no chunk misses a plan built while it ran.
 *
 * Chunks run in the background, back to back while the log holds rows and every `intervalMs` otherwise,
 * and before an overview is answered when the backlog is small, so a quiet system answers with current
 * figures and a busy one with figures as of the oldest change still waiting; the answer says which (`asOf`).
 */

export interface RollupOptions {
  timeZone: string;
  /** Background pause when the change log is empty. */
  intervalMs: number;
  /** Member-log rows one chunk (one transaction) takes. */
  chunkSize: number;
  /** An overview drains the log first when at most this many member-log rows wait; more are left to the background. */
  syncBacklog: number;
  /** How long an overview waits for a plan rebuild another process runs before answering from the rollup as it stands. */
  syncWaitMs: number;
}

export const DEFAULT_ROLLUP_OPTIONS: Omit<RollupOptions, 'timeZone'> = {
  intervalMs: 2_000,
  chunkSize: 2_000,
  syncBacklog: 200,
  syncWaitMs: 2_000,
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
  /** Every change committed before this instant is in the rollup. */
  asOf: Date;
  rebuilt: string[];
  /** Chunks committed. */
  chunks: number;
  /** Distinct members recomputed (summed over chunks). */
  changedMembers: number;
}

/** What one chunk did. */
export interface ChunkResult {
  /** Member-log rows taken. */
  taken: number;
  members: number;
  plans: number;
}

// Two int4 keys for pg_advisory_xact_lock: "LECT" and "RLUP".
const LOCK = [0x4c454354, 0x524c5550] as const;
const LOCK_NOT_AVAILABLE = '55P03';

export const planSelect = (timeZone: string) => `
  SELECT p.id, p.name, p.owner_unit_id, o.name AS owner_name, o.path AS owner_path,
         to_char(p.period_start, 'YYYY-MM-DD') AS period_start, to_char(p.period_end, 'YYYY-MM-DD') AS period_end,
         p.required_hours, p.mode, p.credit_hours_per_lecture, p.completion_threshold, p.all_courses,
         to_char(p.makeup_until, 'YYYY-MM-DD') AS makeup_until, p.closed_at, p.required_reflections,
         ${PLAN_RULE_COLUMNS},
         (extract(epoch FROM p.period_start::timestamp AT TIME ZONE '${timeZone}') * 1000)::bigint AS start_ms,
         (extract(epoch FROM (p.period_end + 1)::timestamp AT TIME ZONE '${timeZone}') * 1000)::bigint AS end_ms,
         array(SELECT c.lecture_id FROM study_plan_compulsory c WHERE c.plan_id = p.id ORDER BY c.position) AS compulsory_ids
    FROM study_plans p JOIN org_units o ON o.id = p.owner_unit_id`;

/** `StudyPlansService`'s plan row plus its compulsory lectures, in order. */
export type ReportPlan = PlanRow & { compulsory_ids: string[] };

/** What a chunk reads back of a member's totals, before and after, to move the unit's sums. */
const TOTALS = 'org_unit_id, earned_ms, centi_hours, started, met, compulsory_missing';
interface MemberTotalsRow {
  org_unit_id: string;
  earned_ms: string;
  centi_hours: string;
  started: boolean;
  met: boolean;
  compulsory_missing: number;
}

/** One unit's change from one chunk: counts to add, pending earned ms to take out and to put in. */
interface UnitDelta {
  org_unit_id: string;
  members: number;
  met: number;
  not_started: number;
  centi_hours: number;
  compulsory_completed: number;
  removed: string[];
  added: string[];
}

/** Sums the before (`sign` -1) and after (+1) rows of a chunk's members into per-unit changes. */
export function unitDeltas(before: MemberTotalsRow[], after: MemberTotalsRow[]): UnitDelta[] {
  const deltas = new Map<string, UnitDelta>();
  const add = (row: MemberTotalsRow, sign: 1 | -1) => {
    let d = deltas.get(row.org_unit_id);
    if (!d) {
      d = {
        org_unit_id: row.org_unit_id,
        members: 0,
        met: 0,
        not_started: 0,
        centi_hours: 0,
        compulsory_completed: 0,
        removed: [],
        added: [],
      };
      deltas.set(row.org_unit_id, d);
    }
    d.members += sign;
    if (row.met) d.met += sign;
    if (!row.met && !row.started) d.not_started += sign;
    d.centi_hours += sign * Number(row.centi_hours);
    if (row.compulsory_missing === 0) d.compulsory_completed += sign;
    if (row.started && !row.met) (sign > 0 ? d.added : d.removed).push(String(row.earned_ms));
  };
  for (const row of before) add(row, -1);
  for (const row of after) add(row, 1);
  return [...deltas.values()].sort((a, b) => (a.org_unit_id < b.org_unit_id ? -1 : a.org_unit_id > b.org_unit_id ? 1 : 0));
}

/**
 * Each member's totals, by the same rules as `StudyPlansService.standings` + `planProgress`:
 * credit per lecture summed over the days that count, snapped to whole ms like `secToMs`
 * (Math.round, ties up), completions dated inside the period (or make-up window); met also needs
 * every exam the plan requires passed (a graded attempt, not voided, that passed), and sitting one
 * of them is a start (see `exam-results.sql.ts`); earned ms add each required exam's credit hours once
 * when a passing attempt was handed in on a day that counts (`ExamCreditOf`); met also needs as many
 * reflections counting toward the plan as it requires (`acceptedReflections`, the SQL of `reflectionCounts`),
 * and one of them accepted is a start when it requires any.
 * $1 plan, $2 mode, $3 ms per completed lecture, $4 compulsory lectures, $5 required ms, $6 only these users.
 */
/** Seconds × 1000 to whole ms as `Math.round` does for positive numbers (ties up). */
const roundMs = (ms: string) => `(floor(${ms}) + CASE WHEN ${ms} - floor(${ms}) >= 0.5 THEN 1 ELSE 0 END)::bigint`;

const memberTotalsSql = (timeZone: string, onlyUsers: boolean, returning: boolean) => `
  WITH pm AS (SELECT x.user_id, x.org_unit_id FROM (${planMembers('$1')}) x ${onlyUsers ? 'WHERE x.user_id = ANY($6::uuid[])' : ''}),
       pl AS (${planLectures('$1')}),
       pc AS (SELECT lecture_id FROM study_plan_compulsory WHERE plan_id = $1),
       r AS (SELECT p.*, (p.daily_limit_hours * 3600)::float8 AS limit_sec, (p.in_person_max_hours * 3600)::float8 AS cap_sec,
                    (p.min_lecture_minutes * 60)::float8 AS min_lecture_sec, round(p.minutes_per_study_hour * 100) AS per_hour
               FROM study_plans p WHERE p.id = $1),
       sdr AS (SELECT sd.user_id, sd.lecture_id, sd.day, sd.credited_sec, ${countedSecSql('sd', 'r')} AS counted
                 FROM study_daily sd JOIN pm ON pm.user_id = sd.user_id JOIN pl ON pl.lecture_id = sd.lecture_id CROSS JOIN r
                WHERE ${countsTowardPlan('$1', 'sd.day', 'sd.user_id')}),
       c AS (SELECT user_id, lecture_id, sum(credited_sec) AS credited, sum(counted) AS counted, max(day) AS last_day
               FROM sdr GROUP BY user_id, lecture_id),
       d AS (SELECT lp.user_id, lp.lecture_id, lp.duration_sec FROM lecture_progress lp JOIN pm ON pm.user_id = lp.user_id
              WHERE lp.completed_at IS NOT NULL
                AND (lp.lecture_id IN (SELECT lecture_id FROM pl) OR lp.lecture_id IN (SELECT lecture_id FROM pc))
                AND ${countsTowardPlan('$1', `(lp.completed_at AT TIME ZONE '${timeZone}')::date`, 'lp.user_id')}),
       l AS (SELECT coalesce(c.user_id, d.user_id) AS user_id, coalesce(c.lecture_id, d.lecture_id) AS lecture_id,
                    greatest(coalesce(c.credited, 0), 0) * 1000 AS raw_ms, greatest(coalesce(c.counted, 0), 0) * 1000 AS counted_ms,
                    d.user_id IS NOT NULL AS completed,
                    d.user_id IS NOT NULL AND ((SELECT min_lecture_sec FROM r) IS NULL OR d.duration_sec >= (SELECT min_lecture_sec FROM r)) AS earns,
                    c.last_day
               FROM c FULL JOIN d ON d.user_id = c.user_id AND d.lecture_id = c.lecture_id),
       per_user AS (
         SELECT l.user_id,
                sum(${roundMs('l.counted_ms')}) AS credited_ms,
                count(*) FILTER (WHERE l.completed)::int AS completed_lectures,
                count(*) FILTER (WHERE l.earns)::int AS earning_lectures,
                count(*) FILTER (WHERE l.completed AND l.lecture_id IN (SELECT lecture_id FROM pc))::int AS compulsory_done,
                bool_or(l.completed OR l.raw_ms > 0) AS started,
                max(l.last_day) AS last_day
           FROM l GROUP BY l.user_id),
       -- The days of the rule (countStudy in libs/watch): lectures' counted seconds (watch-time plans) and in-person
       -- seconds per day; what fits under the limit; the cap on in-person time, earliest days first.
       dy AS (SELECT user_id, day, sum(counted) AS study FROM sdr WHERE $2::text <> 'per_lecture' GROUP BY user_id, day),
       ipd AS (SELECT x.user_id, x.day, sum(x.sec) AS ip FROM (${inPersonAttendance('$1', timeZone, 'SELECT user_id FROM pm')}) x
                GROUP BY x.user_id, x.day),
       days AS (SELECT coalesce(dy.user_id, ipd.user_id) AS user_id, coalesce(dy.day, ipd.day) AS day,
                       coalesce(dy.study, 0) AS study, coalesce(ipd.ip, 0) AS ip
                  FROM dy FULL JOIN ipd ON ipd.user_id = dy.user_id AND ipd.day = dy.day),
       fit AS (SELECT days.*, CASE WHEN r.limit_sec IS NULL THEN days.ip ELSE least(days.ip, greatest(r.limit_sec - days.study, 0)) END AS fits,
                      CASE WHEN r.limit_sec IS NULL THEN 0 ELSE greatest(days.study - r.limit_sec, 0) END AS study_cut
                 FROM days CROSS JOIN r),
       capped AS (SELECT fit.*, CASE WHEN r.cap_sec IS NULL THEN fit.fits
                                     ELSE least(fit.fits, greatest(r.cap_sec - coalesce(sum(fit.fits) OVER (PARTITION BY fit.user_id ORDER BY fit.day
                                                                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0), 0)) END AS allowed
                    FROM fit CROSS JOIN r),
       dt AS (SELECT user_id, sum(${roundMs('allowed * 1000')}) AS in_person_ms, sum(${roundMs('study_cut * 1000')}) AS cut_ms,
                     bool_or(allowed > 0) AS in_person_started
                FROM capped GROUP BY user_id),
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
       rq AS (SELECT required_reflections AS n FROM study_plans WHERE id = $1),
       rf AS (${acceptedReflections('$1', timeZone, 'SELECT user_id FROM pm')}),
       m AS (
         SELECT pm.user_id, pm.org_unit_id,
                CASE WHEN $2::text = 'per_lecture' THEN coalesce(u.earning_lectures, 0)::bigint * $3::bigint ELSE 0 END
                + round(greatest(CASE WHEN $2::text = 'per_lecture' THEN 0 ELSE coalesce(u.credited_ms, 0) END
                                 + coalesce(dt.in_person_ms, 0) - coalesce(dt.cut_ms, 0), 0)::numeric * 6000 / (SELECT per_hour FROM r))::bigint
                + coalesce(xc.credit_ms, 0) AS earned_ms,
                coalesce(u.started, false) OR coalesce(dt.in_person_started, false) OR coalesce(ex.sat, false) OR ((SELECT n FROM rq) > 0 AND coalesce(rf.accepted, 0) > 0) AS started,
                $4::int - coalesce(u.compulsory_done, 0) AS compulsory_missing,
                coalesce(ex.passed_exams, 0) >= (SELECT count(*) FROM pe) AS exams_passed,
                coalesce(rf.accepted, 0) >= (SELECT n FROM rq) AS reflections_met,
                coalesce(u.completed_lectures, 0) AS completed_lectures,
                u.last_day
           FROM pm LEFT JOIN per_user u ON u.user_id = pm.user_id LEFT JOIN ex ON ex.user_id = pm.user_id
                LEFT JOIN xc ON xc.user_id = pm.user_id LEFT JOIN rf ON rf.user_id = pm.user_id LEFT JOIN dt ON dt.user_id = pm.user_id)
  INSERT INTO plan_member_totals
         (plan_id, user_id, org_unit_id, earned_ms, centi_hours, started, met, compulsory_missing, completed_lectures, last_study_day)
  SELECT $1, m.user_id, m.org_unit_id, m.earned_ms, (m.earned_ms + 18000) / 36000, m.started,
         m.earned_ms >= $5::bigint AND m.compulsory_missing = 0 AND m.exams_passed AND m.reflections_met,
         m.compulsory_missing, m.completed_lectures, m.last_day
    FROM m
  ${returning ? `RETURNING ${TOTALS}` : ''}`;

/** Sums per unit; the earned ms of started members who have not met the plan are kept sorted for `width_bucket`. */
const unitTotalsSql = `
  INSERT INTO plan_unit_totals (plan_id, org_unit_id, members, met, not_started, centi_hours, compulsory_completed, pending_earned_ms)
  SELECT plan_id, org_unit_id, count(*), count(*) FILTER (WHERE met), count(*) FILTER (WHERE NOT met AND NOT started),
         sum(centi_hours), count(*) FILTER (WHERE compulsory_missing = 0),
         coalesce(array_agg(earned_ms ORDER BY earned_ms) FILTER (WHERE started AND NOT met), '{}')
    FROM plan_member_totals
   WHERE plan_id = $1
   GROUP BY plan_id, org_unit_id`;

/** How current a plan's rollup is, and how much waits in the change logs (counted up to the sync limit + 1). */
export interface RollupState {
  checked_at: Date;
  /** Whether the plan has a rollup (built in the study time zone). */
  built: boolean;
  plan_dirty: boolean;
  backlog: number;
  /** When the oldest change still waiting was logged; null when nothing waits. */
  oldest: Date | null;
}

/** The columns of `RollupState`; `plan` and `limit` are the parameters holding the plan id and the sync limit + 1. */
export const rollupStateColumns = (plan: string, limit: string) => `
  statement_timestamp() AS checked_at, EXISTS (SELECT 1 FROM plan_rollups WHERE plan_id = ${plan}) AS built,
  EXISTS (SELECT 1 FROM report_dirty_plans WHERE plan_id = ${plan} OR plan_id IS NULL) AS plan_dirty,
  (SELECT count(*) FROM (SELECT 1 FROM report_dirty_users LIMIT ${limit}) x)::int AS backlog,
  least((SELECT min(logged_at) FROM report_dirty_users),
        (SELECT min(logged_at) FROM report_dirty_plans WHERE plan_id = ${plan} OR plan_id IS NULL)) AS oldest`;

/** Seconds (`lag`) since the oldest change still waiting in either log was logged; 0 when none waits. */
export const ROLLUP_LAG_SQL = `
  SELECT coalesce(extract(epoch FROM clock_timestamp() - least((SELECT min(logged_at) FROM report_dirty_users),
                                                                 (SELECT min(logged_at) FROM report_dirty_plans))), 0)::float8 AS lag`;

class LockBusy extends Error {}

const codeOf = (error: unknown) => {
  const e = error as { code?: string; driverError?: { code?: string } };
  return e?.code ?? e?.driverError?.code;
};

function isLockTimeout(error: unknown): boolean {
  return error instanceof LockBusy || codeOf(error) === LOCK_NOT_AVAILABLE;
}

export class PlanRollup {
  private readonly logger = new Logger('PlanRollup');
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopping = false;
  private background: Promise<unknown> | null = null;

  constructor(
    private readonly db: DataSource,
    readonly options: RollupOptions,
  ) {}

  private get timeZone() {
    return this.options.timeZone.replace(/'/g, '');
  }

  /** Drains in the background: chunk after chunk while the log holds rows, then every `intervalMs`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const tick = () => {
      this.timer = null;
      this.background = this.refresh({ wait: false })
        .catch((error: Error) => this.logger.error(`plan rollup refresh failed: ${error.message}`))
        .finally(() => {
          this.background = null;
          if (!this.running) return;
          this.timer = setTimeout(tick, this.options.intervalMs);
          this.timer.unref();
        });
    };
    this.timer = setTimeout(tick, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.background;
  }

  /**
   * Seconds since the oldest change not yet in the rollup was logged (0 when none waits): the rollup's
   * lag, for the metrics gauge and the bench.
   */
  async lagSeconds(): Promise<number> {
    const [{ lag }] = await this.db.query(ROLLUP_LAG_SQL);
    return Math.max(0, Number(lag));
  }

  /**
   * Brings every open plan's rollup up to date: rebuilds the plans that need it, then drains the member
   * log chunk by chunk until it is empty (of rows no other process holds). With `wait: false` it skips a
   * rebuild another process holds the lock for; with `wait: true` it also waits for the chunks other
   * processes hold, so every change committed before the call is in the rollup when it returns.
   * Returns null when it gave up on the lock.
   */
  async refresh({ wait, lockTimeoutMs }: { wait: boolean; lockTimeoutMs?: number }): Promise<RefreshResult | null> {
    const [{ now }] = await this.db.query(`SELECT statement_timestamp() AS now`);
    const rebuilt = await this.maintainPlans({ wait, lockTimeoutMs });
    if (!rebuilt) return null;
    const result: RefreshResult = { asOf: now, rebuilt, chunks: 0, changedMembers: 0 };
    // Stopping ends the background's loop between chunks: under a steady stream of changes it would never end.
    while (wait || !this.stopping) {
      const chunk = await this.drainChunk({ wait: true, lockTimeoutMs });
      if (!chunk) return null;
      if (chunk.taken > 0) {
        result.chunks++;
        result.changedMembers += chunk.members;
        continue;
      }
      if (!wait) break;
      // Rows other processes hold: wait for their chunks to commit (they take a moment, not a backlog).
      if (!(await this.waitingSince(now))) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
      if ((await this.maintainPlans({ wait, lockTimeoutMs })) === null) return null;
    }
    return result;
  }

  /**
   * One chunk, in its own transaction: takes the oldest `chunkSize` member-log rows nobody else holds,
   * recomputes those members in every open plan with a rollup and moves their units' sums. Retries
   * (from scratch) when PostgreSQL rolls it back for a deadlock. Null if the rollup lock was busy and
   * `wait` is false, or did not come within `lockTimeoutMs`.
   */
  async drainChunk({ wait, lockTimeoutMs }: { wait: boolean; lockTimeoutMs?: number }): Promise<ChunkResult | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction('READ COMMITTED', async (tx) => {
          await this.lock(tx, { shared: true, wait, lockTimeoutMs });
          return this.chunk(tx);
        });
      } catch (error) {
        if (isLockTimeout(error)) return null;
        // A chunk rolled back by a deadlock or a serialization failure leaves its log rows in place; it is retried.
        if (!isConcurrencyConflict(error) || attempt >= 5) throw error;
      }
    }
  }

  private async lock(tx: EntityManager, { shared, wait, lockTimeoutMs }: { shared: boolean; wait: boolean; lockTimeoutMs?: number }) {
    const fn = shared ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
    if (!wait) {
      const [{ locked }] = await tx.query(`SELECT ${fn.replace('pg_advisory', 'pg_try_advisory')}($1, $2) AS locked`, [...LOCK]);
      if (!locked) throw new LockBusy();
      return;
    }
    if (lockTimeoutMs) await tx.query(`SELECT set_config('lock_timeout', $1, true)`, [`${lockTimeoutMs}ms`]);
    await tx.query(`SELECT ${fn}($1, $2)`, [...LOCK]);
    if (lockTimeoutMs) await tx.query(`SELECT set_config('lock_timeout', '0', true)`);
  }

  private async chunk(tx: EntityManager): Promise<ChunkResult> {
    // Oldest first, by the index; rows another chunk holds are skipped, not waited for.
    const taken: Array<{ user_id: string }> = await tx.query(
      `WITH d AS (DELETE FROM report_dirty_users
                   WHERE ctid = ANY(ARRAY(SELECT ctid FROM report_dirty_users ORDER BY logged_at LIMIT $1 FOR UPDATE SKIP LOCKED))
                   RETURNING user_id)
       SELECT user_id FROM d`,
      [this.options.chunkSize],
    );
    if (taken.length === 0) return { taken: 0, members: 0, plans: 0 };
    const users = [...new Set(taken.map((r) => r.user_id))].sort();
    // One chunk at a time per member (see the class comment); users deleted since have no row and nothing to lock.
    await tx.query(`SELECT 1 FROM users WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`, [users]);
    const plans: ReportPlan[] = await tx.query(
      `SELECT q.* FROM (${planSelect(this.timeZone)} WHERE p.closed_at IS NULL) q
        WHERE EXISTS (SELECT 1 FROM plan_rollups r WHERE r.plan_id = q.id AND r.time_zone = $1) ORDER BY q.id`,
      [this.timeZone],
    );
    for (const plan of plans) await this.update(tx, plan, planThresholds(rulesOf(plan, plan.compulsory_ids), 0), users);
    return { taken: taken.length, members: users.length, plans: plans.length };
  }

  /**
   * Rebuilds, one plan per transaction under the exclusive rollup lock, every open plan whose definition
   * changed or that has no rollup (in this time zone), and drops the rollups of plans closed or deleted.
   * Returns the plans rebuilt, or null if the lock was busy (`wait: false`) or did not come in time.
   */
  async maintainPlans({ wait, lockTimeoutMs }: { wait: boolean; lockTimeoutMs?: number }): Promise<string[] | null> {
    const [{ needed }] = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM report_dirty_plans)
           OR EXISTS (SELECT 1 FROM plan_rollups r WHERE NOT EXISTS (SELECT 1 FROM study_plans p WHERE p.id = r.plan_id AND p.closed_at IS NULL))
           OR EXISTS (SELECT 1 FROM study_plans p WHERE p.closed_at IS NULL
                         AND NOT EXISTS (SELECT 1 FROM plan_rollups r WHERE r.plan_id = p.id AND r.time_zone = $1)) AS needed`,
      [this.timeZone],
    );
    if (!needed) return [];
    const rebuilt: string[] = [];
    try {
      for (;;) {
        const planId = await this.db.transaction('READ COMMITTED', async (tx) => {
          await this.lock(tx, { shared: false, wait, lockTimeoutMs });
          // "Every plan" becomes one entry per open plan, so each is rebuilt (and its entry dropped) on its own.
          await tx.query(
            `WITH every AS (DELETE FROM report_dirty_plans WHERE plan_id IS NULL RETURNING logged_at)
             INSERT INTO report_dirty_plans (plan_id, logged_at)
             SELECT p.id, (SELECT min(logged_at) FROM every) FROM study_plans p WHERE p.closed_at IS NULL AND EXISTS (SELECT 1 FROM every)`,
          );
          await tx.query(
            `DELETE FROM report_dirty_plans d WHERE NOT EXISTS (SELECT 1 FROM study_plans p WHERE p.id = d.plan_id AND p.closed_at IS NULL)`,
          );
          // Closed (or deleted) plans report their frozen results; their rollup goes.
          await tx.query(
            `DELETE FROM plan_rollups r WHERE NOT EXISTS (SELECT 1 FROM study_plans p WHERE p.id = r.plan_id AND p.closed_at IS NULL)`,
          );
          const [next]: ReportPlan[] = await tx.query(
            `SELECT q.* FROM (${planSelect(this.timeZone)} WHERE p.closed_at IS NULL) q
              WHERE EXISTS (SELECT 1 FROM report_dirty_plans d WHERE d.plan_id = q.id)
                 OR NOT EXISTS (SELECT 1 FROM plan_rollups r WHERE r.plan_id = q.id AND r.time_zone = $1)
              ORDER BY q.id LIMIT 1`,
            [this.timeZone],
          );
          if (!next) return null;
          await tx.query(`DELETE FROM report_dirty_plans WHERE plan_id = $1`, [next.id]);
          await this.rebuild(tx, next, planThresholds(rulesOf(next, next.compulsory_ids), 0));
          return next.id;
        });
        if (!planId) return rebuilt;
        rebuilt.push(planId);
      }
    } catch (error) {
      if (isLockTimeout(error)) return null;
      throw error;
    }
  }

  private memberParams(plan: PlanRow, t: PlanThresholds) {
    return [plan.id, plan.mode, t.perLectureMs, t.compulsoryCount, t.requiredMs];
  }

  private async rebuild(tx: EntityManager, plan: PlanRow, t: PlanThresholds): Promise<void> {
    const started = Date.now();
    await tx.query(`DELETE FROM plan_rollups WHERE plan_id = $1`, [plan.id]);
    await tx.query(`INSERT INTO plan_rollups (plan_id, as_of, time_zone, built_at) VALUES ($1, statement_timestamp(), $2, now())`, [
      plan.id,
      this.timeZone,
    ]);
    await tx.query(memberTotalsSql(this.timeZone, false, false), this.memberParams(plan, t));
    await tx.query(unitTotalsSql, [plan.id]);
    await tx.query(`UPDATE plan_rollups SET build_ms = $2 WHERE plan_id = $1`, [plan.id, Date.now() - started]);
  }

  /** Recomputes only the given members, then adds the difference to the units they left, stayed in or joined. */
  private async update(tx: EntityManager, plan: PlanRow, t: PlanThresholds, users: string[]): Promise<void> {
    const before: MemberTotalsRow[] = await tx.query(
      `WITH d AS (DELETE FROM plan_member_totals WHERE plan_id = $1 AND user_id = ANY($2::uuid[]) RETURNING ${TOTALS}) SELECT * FROM d`,
      [plan.id, users],
    );
    // Joined in the order written, starting from the changed members: the planner cannot estimate the
    // path-prefix membership join and would otherwise walk every member of the plan to find a few.
    const [{ previous }] = await tx.query(`SELECT current_setting('join_collapse_limit') AS previous`);
    await tx.query(`SELECT set_config('join_collapse_limit', '1', true)`);
    const after: MemberTotalsRow[] = await tx.query(memberTotalsSql(this.timeZone, true, true), [...this.memberParams(plan, t), users]);
    await tx.query(`SELECT set_config('join_collapse_limit', $1, true)`, [previous]);
    const deltas = unitDeltas(before, after).filter(
      (d) => d.members || d.met || d.not_started || d.centi_hours || d.compulsory_completed || d.removed.length || d.added.length,
    );
    if (deltas.length === 0) return;
    const units = deltas.map((d) => d.org_unit_id);
    // Rows for units new to the plan, then every row locked in unit order before any is changed.
    await tx.query(
      `INSERT INTO plan_unit_totals (plan_id, org_unit_id, members, met, not_started, centi_hours, compulsory_completed, pending_earned_ms)
       SELECT $1, u.id, 0, 0, 0, 0, 0, '{}' FROM unnest($2::uuid[]) AS u(id) ORDER BY u.id
       ON CONFLICT (plan_id, org_unit_id) DO NOTHING`,
      [plan.id, units],
    );
    await tx.query(`SELECT 1 FROM plan_unit_totals WHERE plan_id = $1 AND org_unit_id = ANY($2::uuid[]) ORDER BY org_unit_id FOR UPDATE`, [
      plan.id,
      units,
    ]);
    // A unit left with no members keeps a row of zeros (readers skip it): deleting it could lose the change
    // of a chunk waiting on that row.
    await tx.query(
      `UPDATE plan_unit_totals t
          SET members = t.members + d.members, met = t.met + d.met, not_started = t.not_started + d.not_started,
              centi_hours = t.centi_hours + d.centi_hours, compulsory_completed = t.compulsory_completed + d.compulsory_completed,
              pending_earned_ms = CASE WHEN cardinality(d.removed) = 0 AND cardinality(d.added) = 0 THEN t.pending_earned_ms
                                       ELSE rollup_pending_apply(t.pending_earned_ms, d.removed, d.added) END
         FROM jsonb_to_recordset($2::jsonb) AS d(org_unit_id uuid, members int, met int, not_started int, centi_hours bigint,
                                                 compulsory_completed int, removed bigint[], added bigint[])
        WHERE t.plan_id = $1 AND t.org_unit_id = d.org_unit_id`,
      [plan.id, JSON.stringify(deltas)],
    );
  }

  /**
   * Makes the plan's rollup usable and as current as is cheap, and says as of when it is: built (and
   * waited for) if missing or its plan changed; the log drained first if few changes wait; otherwise
   * as the chunks left it, as of the oldest change still waiting. Null if the plan has no rollup (it
   * closed meanwhile).
   */
  async prepare(planId: string, known?: RollupState): Promise<Date | null> {
    let state: RollupState =
      known ?? (await this.db.query(`SELECT ${rollupStateColumns('$1', '$2')}`, [planId, this.options.syncBacklog + 1]))[0];
    // Nothing waits in the logs: every change committed before the check is in the rollup.
    if (state.built && !state.plan_dirty && !state.oldest) return state.checked_at;
    if (!state.built || state.plan_dirty) {
      if ((await this.maintainPlans({ wait: true, lockTimeoutMs: state.built ? this.options.syncWaitMs : undefined })) === null) {
        return state.oldest;
      }
    }
    if (state.backlog > 0 && state.backlog <= this.options.syncBacklog) {
      // A small backlog: one chunk takes what waited at the check (and nobody else holds; a chunk busy elsewhere
      // commits in a moment anyway). Changes logged since are not waited for: under a steady stream of
      // heartbeats they never stop coming, and `asOf` says the answer is as of the oldest of them.
      await this.drainChunk({ wait: true, lockTimeoutMs: this.options.syncWaitMs });
      // Rows a chunk of the background (or of another process) took are not ours to take, but that chunk
      // commits in a moment: wait for it, up to `syncWaitMs`, so a quiet system answers with current figures.
      const until = Date.now() + this.options.syncWaitMs;
      while ((await this.waitingSince(state.checked_at)) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    [state] = await this.db.query(`SELECT ${rollupStateColumns('$1', '$2')}`, [planId, this.options.syncBacklog + 1]);
    if (!state.built) return null;
    return state.oldest ?? state.checked_at;
  }

  /** Whether either change log still holds a row logged before `t`. */
  private async waitingSince(t: Date): Promise<boolean> {
    const [{ held }] = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM report_dirty_users WHERE logged_at < $1) OR EXISTS (SELECT 1 FROM report_dirty_plans WHERE logged_at < $1) AS held`,
      [t],
    );
    return held;
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
