import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { coverageRatio, isCompletedAt, openingAllowanceMs, strictestCheckinRange, type CheckinState, type Interval } from '#watch';
import type { SessionEndReason } from '../playback/playback-sessions.js';
import type { HeartbeatAnswer, LiveSession, SessionWrite } from './heartbeat-batch.js';
import { planMembers } from './plan-scope.sql.js';
import { STUDY_OPTIONS, type StudyOptions } from './study-options.js';

interface SessionRow {
  id: string;
  user_id: string;
  lecture_id: string;
  end_reason: SessionEndReason | null;
  ended_ms: string | null;
  last_seq: number | null;
  seq_window: number;
  carry_sec: number | null;
  clock_ms: string;
  last_credited_sec: number;
  session_credited_sec: number;
  duration_sec: number;
  coverage: Interval[] | null;
  lecture_credited_sec: number | null;
  completed: boolean | null;
  last_position_sec: number | null;
  checkin_count: number;
  checkin_id: string | null;
  checkin_asked_ms: string | null;
  checkin_answer_by_ms: string | null;
  checkin_answered_ms: string | null;
  attention_listened_sec: number;
  prev_count: number | null;
  prev_checkin_id: string | null;
  prev_asked_ms: string | null;
  prev_answer_by_ms: string | null;
  prev_listened_sec: number | null;
  audit_answered_ms: string | null;
  plans: number;
  checkin_min: number | null;
  checkin_max: number | null;
}

// The session's clock in whole ms, exactly as the compare-and-set in `commit` computes it.
const CLOCK_MS = `(extract(epoch FROM coalesce(s.last_accepted_at, s.opened_at)) * 1000)::bigint`;
// When the session was ended, in whole ms, as the compare-and-set in `commit` computes it.
const ENDED_MS = `(extract(epoch FROM s.superseded_at) * 1000)::bigint`;
/** A check-in time of the session in whole ms, as read and as compared. */
const MS = (column: string) => `(extract(epoch FROM s.${column}) * 1000)::bigint`;
const ANSWERED_MS = MS('checkin_answered_at');

type ColumnValue = string | number | boolean | null;

/**
 * The commit's input, one typed array per column (unnested into rows): PostgreSQL reads these in
 * about half the time it takes to parse the same rows as one JSON document. Each is sent as an
 * array literal built here, which costs a fraction of the driver's element-by-element quoting.
 * Only `jsonb` values can hold characters that need quoting; the rest are uuids, numbers and booleans.
 */
const COMMIT_COLUMNS: ReadonlyArray<readonly [name: string, type: string, value: (write: SessionWrite) => ColumnValue]> = [
  ['id', 'uuid', (w) => w.after.id],
  ['user_id', 'uuid', (w) => w.after.userId],
  ['lecture_id', 'uuid', (w) => w.after.lectureId],
  ['expected_seq', 'int', (w) => w.before.lastSeq],
  ['expected_clock_ms', 'bigint', (w) => w.before.clockMs],
  ['expected_credited_ms', 'bigint', (w) => Math.round(w.before.lectureCreditedSec * 1000)],
  ['expected_ended_ms', 'bigint', (w) => w.before.endedAtMs],
  ['expected_window', 'int', (w) => w.before.seenMask],
  ['last_seq', 'int', (w) => w.after.lastSeq],
  ['seq_window', 'int', (w) => w.after.seenMask],
  ['clock_ms', 'bigint', (w) => w.after.clockMs],
  ['carry', 'float8', (w) => w.after.carryMs / 1000],
  ['last_credited', 'float8', (w) => w.after.lastResponse?.creditedSec ?? 0],
  ['session_credited', 'float8', (w) => w.after.sessionCreditedSec],
  ['coverage', 'jsonb', (w) => JSON.stringify(w.after.coverage)],
  ['credited', 'float8', (w) => w.after.lectureCreditedSec],
  ['duration', 'float8', (w) => w.after.durationSec],
  ['position', 'float8', (w) => w.after.position],
  ['completed', 'boolean', (w) => w.after.completed],
  ['day_credited', 'float8', (w) => w.creditedSec],
  ['day_audio', 'float8', (w) => w.audioSec],
  ['day_speedup', 'float8', (w) => w.speedupSec],
  ['suspicious', 'int', (w) => w.suspicious],
  // The check-in state: compared as read (an answer in between makes the session be read again), then written.
  ['expected_checkin_id', 'uuid', (w) => w.before.stored.checkinId],
  ['expected_answered_ms', 'bigint', (w) => w.before.stored.answeredAtMs],
  ['checkin_answered_ms', 'bigint', (w) => w.after.checkins.current?.answeredAtMs ?? null],
  ['checkin_count', 'int', (w) => w.after.checkins.count],
  ['checkin_id', 'uuid', (w) => w.after.checkins.current?.id ?? null],
  ['checkin_asked_ms', 'bigint', (w) => w.after.checkins.current?.askedAtMs ?? null],
  ['checkin_answer_by_ms', 'bigint', (w) => w.after.checkins.current?.answerByMs ?? null],
  ['listened', 'float8', (w) => w.after.checkins.listenedMs / 1000],
  ['asked', 'boolean', (w) => w.asked !== null],
  ['uncredited', 'float8', (w) => w.uncreditedSec],
];

/** A PostgreSQL array literal of `values`; `quoted` elements are double-quoted with `"` and `\` escaped. */
export function arrayLiteral(values: readonly ColumnValue[], quoted: boolean): string {
  const elements = values.map((value) => {
    if (value === null) return 'NULL';
    if (!quoted) return String(value);
    return `"${String(value).replace(/["\\]/g, '\\$&')}"`;
  });
  return `{${elements.join(',')}}`;
}

// $1 is the time zone; the columns follow as $2, $3, …
const COMMIT_INPUT = `unnest(${COMMIT_COLUMNS.map(([, type], i) => `$${i + 2}::${type}[]`).join(', ')})
           AS u(${COMMIT_COLUMNS.map(([name]) => name).join(', ')})`;

/** A new session goes on with the check-ins of the member's previous one if that was active this recently. */
export const CARRY_OVER_SEC = 3600;

/**
 * A session's check-in state: its own, or, while it has asked and listened nothing, the member's previous
 * session's (its count and listening, and its check-in if unanswered). An answer the audit row holds counts
 * even where the session row missed it, and restarts the listening count.
 */
function checkinsOf(row: SessionRow): CheckinState {
  const own = row.checkin_id !== null || row.checkin_count > 0 || row.attention_listened_sec > 0 || row.prev_count === null;
  const id = own ? row.checkin_id : row.prev_checkin_id;
  const askedMs = own ? row.checkin_asked_ms : row.prev_asked_ms;
  const answerByMs = own ? row.checkin_answer_by_ms : row.prev_answer_by_ms;
  const answeredMs = (own ? row.checkin_answered_ms : null) ?? row.audit_answered_ms;
  const answeredLate = answeredMs !== null && (own ? row.checkin_answered_ms : null) === null;
  return {
    count: own ? row.checkin_count : row.prev_count!,
    current:
      id === null || askedMs === null || answerByMs === null
        ? null
        : { id, askedAtMs: Number(askedMs), answerByMs: Number(answerByMs), answeredAtMs: answeredMs === null ? null : Number(answeredMs) },
    listenedMs: answeredLate ? 0 : Math.round((own ? row.attention_listened_sec : row.prev_listened_sec!) * 1000),
  };
}

/** Connections of the heartbeat path: the ingest commits at most this many batches at once. */
export const COMMIT_CONNECTIONS = 2;

/**
 * The heartbeat tables: playback_sessions (clock, seq, last credit), lecture_progress and
 * study_daily. Reads take no locks; a write is one statement that applies a session's change only
 * if the session is still live and its row and progress are as they were read (compare-and-set).
 *
 * It has connections of its own, one per batch the ingest commits at once, with the two statements
 * prepared on each, so heartbeats never queue behind a slow report and PostgreSQL plans them once.
 */
@Injectable()
export class HeartbeatRepository implements OnApplicationShutdown {
  private readonly pool: pg.Pool;

  constructor(@Inject(STUDY_OPTIONS) private readonly options: StudyOptions) {
    this.pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: COMMIT_CONNECTIONS,
      connectionTimeoutMillis: 3000,
      application_name: 'lectern-heartbeats',
    });
    // Short statements on a few rows each: compiling them (PostgreSQL's JIT, which the plan lookup's cost
    // estimate would trigger) takes seconds and never pays off. Set per connection with SET rather than as a
    // startup option, which PgBouncer refuses; the pool queues it ahead of the connection's first statement.
    this.pool.on('connect', (client) => {
      client.query('SET jit = off').catch(() => undefined);
    });
    // An idle connection that breaks is replaced on the next query; the pool must not crash the process.
    this.pool.on('error', () => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }

  async load(sessionIds: readonly string[]): Promise<LiveSession[]> {
    const { rows } = await this.pool.query<SessionRow>({
      name: 'heartbeat-load-sessions',
      text: `SELECT s.id, s.user_id, s.lecture_id, s.end_reason, ${ENDED_MS} AS ended_ms, s.last_seq, s.seq_window, s.carry_sec, s.last_credited_sec,
              s.credited_sec AS session_credited_sec, ${CLOCK_MS} AS clock_ms, coalesce(m.duration_sec, 0)::float8 AS duration_sec,
              p.coverage, p.credited_sec AS lecture_credited_sec, p.completed_at IS NOT NULL AS completed, p.last_position_sec,
              s.checkin_count, s.checkin_id, ${MS('checkin_asked_at')} AS checkin_asked_ms, ${MS('checkin_answer_by')} AS checkin_answer_by_ms,
              ${ANSWERED_MS} AS checkin_answered_ms, s.attention_listened_sec, r.plans, r.checkin_min, r.checkin_max,
              prev.checkin_count AS prev_count, prev.checkin_id AS prev_checkin_id, prev.asked_ms AS prev_asked_ms,
              prev.answer_by_ms AS prev_answer_by_ms, prev.attention_listened_sec AS prev_listened_sec,
              (extract(epoch FROM c.answered_at) * 1000)::bigint AS audit_answered_ms
         FROM playback_sessions s
         LEFT JOIN lecture_media m ON m.asset_id = s.asset_id
         LEFT JOIN lecture_progress p ON p.user_id = s.user_id AND p.lecture_id = s.lecture_id
         -- The member's open plans: how many, and the strictest check-in range among those that ask.
         CROSS JOIN LATERAL (
           SELECT count(*)::int AS plans, min(sp.checkin_min_minutes)::float8 AS checkin_min, min(sp.checkin_max_minutes)::float8 AS checkin_max
             FROM study_plans sp
            WHERE sp.closed_at IS NULL AND EXISTS (SELECT 1 FROM (${planMembers('sp.id')}) pm WHERE pm.user_id = s.user_id)
         ) r
         -- A session that has asked and listened nothing yet goes on from the member's most recently active other
         -- one (opened within the day, active within the hour): reopening a lecture neither escapes a check-in nor
         -- restarts the count.
         LEFT JOIN LATERAL (
           SELECT o.checkin_count, o.attention_listened_sec,
                  CASE WHEN o.checkin_answered_at IS NULL THEN o.checkin_id END AS checkin_id,
                  CASE WHEN o.checkin_answered_at IS NULL THEN (extract(epoch FROM o.checkin_asked_at) * 1000)::bigint END AS asked_ms,
                  CASE WHEN o.checkin_answered_at IS NULL THEN (extract(epoch FROM o.checkin_answer_by) * 1000)::bigint END AS answer_by_ms
             FROM playback_sessions o
            WHERE s.checkin_id IS NULL AND s.checkin_count = 0 AND s.attention_listened_sec = 0
              AND o.user_id = s.user_id AND o.id <> s.id AND o.opened_at > s.opened_at - interval '1 day'
              AND coalesce(o.last_accepted_at, o.opened_at) >= s.opened_at - interval '${CARRY_OVER_SEC} seconds'
            ORDER BY coalesce(o.last_accepted_at, o.opened_at) DESC LIMIT 1
         ) prev ON true
         -- The audit row says first whether the check-in was answered (an answer may land beside a batch).
         LEFT JOIN attention_checkins c ON c.id = coalesce(s.checkin_id, prev.checkin_id)
        WHERE s.id = ANY($1::uuid[])`,
      values: [sessionIds],
    });
    return rows.map((row) => {
      const coverage = row.coverage ?? [];
      const lectureCreditedSec = row.lecture_credited_sec ?? 0;
      const position = row.last_position_sec ?? 0;
      const ratio = coverageRatio(coverage, row.duration_sec);
      // The answer to the last accepted heartbeat, for replays: only its own credit is stored; the rest
      // is the progress row, which no one but this live session has written since.
      const lastResponse: HeartbeatAnswer | null =
        row.last_seq === null
          ? null
          : {
              seq: row.last_seq,
              creditedSec: row.last_credited_sec,
              lectureCreditedSec,
              coverageRatio: ratio,
              completed: isCompletedAt(ratio, row.duration_sec),
              position,
            };
      return {
        id: row.id,
        userId: row.user_id,
        lectureId: row.lecture_id,
        durationSec: row.duration_sec,
        ended: row.end_reason,
        endedAtMs: row.ended_ms === null ? null : Number(row.ended_ms),
        lastSeq: row.last_seq,
        seenMask: row.seq_window,
        clockMs: Number(row.clock_ms),
        carryMs: row.carry_sec === null ? openingAllowanceMs() : Math.round(row.carry_sec * 1000),
        lastResponse,
        sessionCreditedSec: row.session_credited_sec,
        coverage,
        lectureCreditedSec,
        completed: row.completed ?? false,
        position,
        checkins: checkinsOf(row),
        stored: { checkinId: row.checkin_id, answeredAtMs: row.checkin_answered_ms === null ? null : Number(row.checkin_answered_ms) },
        // No open plan: the default range; plans that all ask nothing: none (the minimum over no values is null).
        checkinRange:
          row.plans === 0
            ? strictestCheckinRange([])
            : row.checkin_min === null || row.checkin_max === null
              ? null
              : { min: row.checkin_min, max: row.checkin_max },
      };
    });
  }

  /**
   * Commits each session's change in one statement (all or none; one transaction with the empty first
   * progress rows it may need), and
   * returns the ids of the sessions whose change was applied. A session left out had changed since
   * it was read (another process, a newer screen, an ending, a reset): the caller reads it again.
   * A session is written only if it is still live, or ended exactly as it was read (a superseded
   * session's grace: crediting decided it may still take heartbeats).
   * At most one write per member: two would aim at the same progress row.
   * The progress row is compared `FOR UPDATE`: a collective viewing may credit the member in a transaction
   * that commits after this statement's snapshot was taken; the lock waits for it and reads its credit, so the
   * compare fails and the session is credited again from what the room left, never twice.
   */
  async commit(writes: readonly SessionWrite[]): Promise<Set<string>> {
    const first = writes.filter((w) => w.before.lectureCreditedSec === 0);
    if (first.length === 0) return this.apply(this.pool, writes);
    // A member's first progress on a lecture is created empty before the compare, in a statement of its
    // own. A row another transaction is inserting (a collective viewing crediting the member) is
    // invisible to a snapshot taken before it commits: the compare would pass on nothing, and the upsert
    // would wait on that insert while holding the day row the other waits for. Inserted first, it waits
    // for the other, and the compare's later snapshot sees its credit; the row is then locked before the
    // day row, as everywhere else. One transaction, so a refused write leaves no empty row behind.
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      await client.query({
        name: 'heartbeat-first-progress',
        text: `INSERT INTO lecture_progress (user_id, lecture_id, duration_sec)
               SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::float8[]) ON CONFLICT (user_id, lecture_id) DO NOTHING`,
        values: [first.map((w) => w.after.userId), first.map((w) => w.after.lectureId), first.map((w) => w.after.durationSec)],
      });
      const applied = await this.apply(client, writes);
      await client.query('COMMIT');
      return applied;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private async apply(db: pg.Pool | pg.PoolClient, writes: readonly SessionWrite[]): Promise<Set<string>> {
    const { rows: applied } = await db.query<{ id: string }>({
      name: 'heartbeat-commit',
      text: `WITH u AS (
         SELECT * FROM ${COMMIT_INPUT}
       ), applied AS (
         UPDATE playback_sessions s
            SET last_seq = u.last_seq, seq_window = u.seq_window, carry_sec = u.carry, last_accepted_at = to_timestamp(u.clock_ms / 1000.0),
                last_credited_sec = u.last_credited, credited_sec = u.session_credited,
                suspicious_count = s.suspicious_count + u.suspicious,
                checkin_count = u.checkin_count, checkin_id = u.checkin_id,
                checkin_asked_at = to_timestamp(u.checkin_asked_ms / 1000.0), checkin_answer_by = to_timestamp(u.checkin_answer_by_ms / 1000.0),
                checkin_answered_at = CASE WHEN u.checkin_answered_ms IS NOT DISTINCT FROM u.expected_answered_ms THEN s.checkin_answered_at
                                           ELSE to_timestamp(u.checkin_answered_ms / 1000.0) END,
                attention_listened_sec = u.listened
           FROM u
          WHERE s.id = u.id AND ${ENDED_MS} IS NOT DISTINCT FROM u.expected_ended_ms
            AND s.checkin_id IS NOT DISTINCT FROM u.expected_checkin_id AND ${ANSWERED_MS} IS NOT DISTINCT FROM u.expected_answered_ms
            AND s.last_seq IS NOT DISTINCT FROM u.expected_seq AND s.seq_window = u.expected_window
            AND ${CLOCK_MS} = u.expected_clock_ms
            AND coalesce((SELECT round(p.credited_sec * 1000)::bigint FROM lecture_progress p
                           WHERE p.user_id = u.user_id AND p.lecture_id = u.lecture_id FOR UPDATE), 0) = u.expected_credited_ms
         RETURNING s.id
       ), progress AS (
         INSERT INTO lecture_progress (user_id, lecture_id, coverage, covered_sec, credited_sec, duration_sec, last_position_sec, completed_at, last_studied_at)
         SELECT u.user_id, u.lecture_id, u.coverage, u.credited, u.credited, u.duration, u.position, CASE WHEN u.completed THEN now() END, now()
           FROM u JOIN applied a ON a.id = u.id
         ON CONFLICT (user_id, lecture_id) DO UPDATE SET
           coverage = excluded.coverage, covered_sec = excluded.covered_sec, credited_sec = excluded.credited_sec,
           duration_sec = excluded.duration_sec, last_position_sec = excluded.last_position_sec,
           completed_at = coalesce(lecture_progress.completed_at, excluded.completed_at), last_studied_at = now()
       ), daily AS (
         INSERT INTO study_daily (user_id, lecture_id, day, credited_sec, audio_sec, speedup_sec)
         SELECT u.user_id, u.lecture_id, (now() AT TIME ZONE $1)::date, u.day_credited, u.day_audio, u.day_speedup
           FROM u JOIN applied a ON a.id = u.id
          WHERE u.day_credited > 0
         ON CONFLICT (user_id, day, lecture_id) DO UPDATE SET credited_sec = study_daily.credited_sec + excluded.credited_sec,
           audio_sec = study_daily.audio_sec + excluded.audio_sec, speedup_sec = study_daily.speedup_sec + excluded.speedup_sec
       ), asked AS (
         -- The audit trail: each check-in asked, and the listening a missed deadline left uncredited.
         INSERT INTO attention_checkins (id, session_id, user_id, lecture_id, asked_at, answer_by)
         SELECT u.checkin_id, u.id, u.user_id, u.lecture_id, to_timestamp(u.checkin_asked_ms / 1000.0), to_timestamp(u.checkin_answer_by_ms / 1000.0)
           FROM u JOIN applied a ON a.id = u.id
          WHERE u.asked
       ), uncredited AS (
         UPDATE attention_checkins c SET uncredited_sec = c.uncredited_sec + u.uncredited
           FROM u JOIN applied a ON a.id = u.id
          WHERE c.id = u.checkin_id AND u.uncredited > 0 AND NOT u.asked
       )
       SELECT id FROM applied`,
      values: [this.options.timeZone, ...COMMIT_COLUMNS.map(([, type, value]) => arrayLiteral(writes.map(value), type === 'jsonb'))],
    });
    return new Set(applied.map((row) => row.id));
  }
}
