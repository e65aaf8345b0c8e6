import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { creditHeartbeat, type CreditState, type Heartbeat, type Interval } from '#watch';

export const STUDY_OPTIONS = Symbol('STUDY_OPTIONS');
export interface StudyOptions {
  /** IANA zone whose calendar days study time is counted in. */
  timeZone: string;
}

export interface HeartbeatAnswer {
  seq: number;
  creditedSec: number;
  lectureCreditedSec: number;
  coverageRatio: number;
  completed: boolean;
  position: number;
}

export class HeartbeatRejection extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  heartbeat: Heartbeat;
  resolve(answer: HeartbeatAnswer): void;
  reject(error: unknown): void;
}

interface SessionRow {
  id: string;
  user_id: string;
  lecture_id: string;
  superseded: boolean;
  last_seq: number | null;
  last_accepted_ms: string;
  last_response: HeartbeatAnswer | null;
  duration_sec: number;
  credited_sec: number;
}

interface ProgressRow {
  coverage: Interval[];
  credited_sec: number;
  completed: boolean;
  position: number;
  touched: boolean;
}

const MAX_BATCH = 500;
// Batches in flight at once; rows are locked in id order, so concurrent batches serialize per session without deadlock.
const MAX_CONCURRENT_BATCHES = 4;

/**
 * Heartbeat ingest with group commit: heartbeats that arrive together are credited in one
 * transaction with a fixed number of statements, and each is answered only after that commit,
 * so an answered heartbeat's credit survives a crash and nothing is credited twice.
 */
@Injectable()
export class HeartbeatIngestService implements OnModuleDestroy {
  private readonly logger = new Logger(HeartbeatIngestService.name);
  private queue: Pending[] = [];
  private scheduled = false;
  private active = 0;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(STUDY_OPTIONS) private readonly options: StudyOptions,
  ) {}

  submit(heartbeat: Heartbeat): Promise<HeartbeatAnswer> {
    return new Promise((resolve, reject) => {
      this.queue.push({ heartbeat, resolve, reject });
      this.schedule();
    });
  }

  async onModuleDestroy(): Promise<void> {
    while (this.active > 0 || this.queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** Starts batches while work waits and connections are free; requests of the same tick join one batch. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.queue.length > 0 && this.active < MAX_CONCURRENT_BATCHES) {
        const batch = this.queue.splice(0, MAX_BATCH);
        this.active++;
        void this.flush(batch).finally(() => {
          this.active--;
          if (this.queue.length > 0) this.schedule();
        });
      }
    });
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      const outcomes = await this.db.transaction('READ COMMITTED', (tx) => this.creditBatch(tx, batch));
      batch.forEach((pending, i) => {
        const outcome = outcomes[i];
        if (outcome instanceof HeartbeatRejection) pending.reject(outcome);
        else pending.resolve(outcome);
      });
    } catch (error) {
      this.logger.error(`heartbeat batch of ${batch.length} failed: ${(error as Error).message}`);
      for (const pending of batch) pending.reject(error);
    }
  }

  private async creditBatch(tx: EntityManager, batch: Pending[]): Promise<Array<HeartbeatAnswer | HeartbeatRejection>> {
    const sessionIds = [...new Set(batch.map((p) => p.heartbeat.sessionId))];
    const sessions = new Map<string, SessionRow>(
      (
        (await tx.query(
          `SELECT s.id, s.user_id, s.lecture_id, s.superseded_at IS NOT NULL AS superseded, s.last_seq, s.last_response,
                  s.credited_sec, (extract(epoch FROM coalesce(s.last_accepted_at, s.opened_at)) * 1000)::bigint AS last_accepted_ms,
                  coalesce(m.duration_sec, 0) AS duration_sec
             FROM playback_sessions s LEFT JOIN lecture_media m ON m.asset_id = s.asset_id
            WHERE s.id = ANY($1::uuid[])
            ORDER BY s.id
              FOR UPDATE OF s`,
          [sessionIds],
        )) as SessionRow[]
      ).map((row) => [row.id, row]),
    );

    const keys = [...new Set([...sessions.values()].map((s) => `${s.user_id}|${s.lecture_id}`))];
    const progress = new Map<string, ProgressRow>();
    if (keys.length > 0) {
      const rows: Array<{
        user_id: string;
        lecture_id: string;
        coverage: Interval[];
        credited_sec: number;
        completed: boolean;
        last_position_sec: number;
      }> = await tx.query(
        `SELECT p.user_id, p.lecture_id, p.coverage, p.credited_sec, p.completed_at IS NOT NULL AS completed, p.last_position_sec
             FROM lecture_progress p JOIN unnest($1::uuid[], $2::uuid[]) AS k(user_id, lecture_id)
               ON p.user_id = k.user_id AND p.lecture_id = k.lecture_id
            ORDER BY p.user_id, p.lecture_id
              FOR UPDATE OF p`,
        [keys.map((k) => k.split('|')[0]), keys.map((k) => k.split('|')[1])],
      );
      for (const row of rows) {
        progress.set(`${row.user_id}|${row.lecture_id}`, {
          coverage: row.coverage,
          credited_sec: row.credited_sec,
          completed: row.completed,
          position: row.last_position_sec,
          touched: false,
        });
      }
    }

    const now = Date.now();
    const daily = new Map<string, number>();
    const touchedSessions = new Set<string>();
    const outcomes = batch.map(({ heartbeat }): HeartbeatAnswer | HeartbeatRejection => {
      const session = sessions.get(heartbeat.sessionId);
      if (!session) return new HeartbeatRejection(404, 'No such playback session. Reopen the lecture.');
      if (session.superseded) {
        return new HeartbeatRejection(409, 'This lecture was opened on another screen; study time is counted there now.');
      }
      const key = `${session.user_id}|${session.lecture_id}`;
      const current = progress.get(key) ?? { coverage: [], credited_sec: 0, completed: false, position: 0, touched: false };
      const state: CreditState = {
        coverage: current.coverage,
        lectureDurationSec: session.duration_sec,
        creditedSec: current.credited_sec,
        lastAcceptedAtMs: Number(session.last_accepted_ms),
        lastSeq: session.last_seq,
      };
      const result = creditHeartbeat(state, heartbeat, now);
      if (result.replay) {
        return (
          session.last_response ?? {
            seq: heartbeat.seq,
            creditedSec: 0,
            lectureCreditedSec: current.credited_sec,
            coverageRatio: 0,
            completed: current.completed,
            position: current.position,
          }
        );
      }
      const answer: HeartbeatAnswer = {
        seq: heartbeat.seq,
        creditedSec: result.creditedSec,
        lectureCreditedSec: result.totalCreditedSec,
        coverageRatio: result.coverageRatio,
        completed: result.completed,
        position: result.position,
      };
      progress.set(key, {
        coverage: [...result.coverage],
        credited_sec: result.totalCreditedSec,
        completed: result.completed,
        position: result.position,
        touched: true,
      });
      session.last_seq = heartbeat.seq;
      session.last_accepted_ms = String(now);
      session.last_response = answer;
      session.credited_sec += result.creditedSec;
      touchedSessions.add(session.id);
      if (result.suspicious) this.logger.warn(`session ${session.id} claimed ${result.claimedSec}s faster than real time`);
      if (result.creditedSec > 0) daily.set(key, (daily.get(key) ?? 0) + result.creditedSec);
      return answer;
    });

    const durations = new Map([...sessions.values()].map((session) => [`${session.user_id}|${session.lecture_id}`, session.duration_sec]));
    const progressRows = [...progress.entries()]
      .filter(([, p]) => p.touched)
      .map(([key, p]) => {
        const [user_id, lecture_id] = key.split('|');
        const duration = durations.get(key) ?? 0;
        return {
          user_id,
          lecture_id,
          coverage: p.coverage,
          credited: p.credited_sec,
          duration,
          position: p.position,
          completed: p.completed,
        };
      });
    const dailyRows = [...daily.entries()].map(([key, credited]) => ({
      user_id: key.split('|')[0],
      lecture_id: key.split('|')[1],
      credited,
    }));
    const sessionRows = [...touchedSessions].map((id) => {
      const session = sessions.get(id)!;
      return {
        id,
        last_seq: session.last_seq,
        accepted_ms: Number(session.last_accepted_ms),
        last_response: session.last_response,
        credited: session.credited_sec,
      };
    });
    if (sessionRows.length === 0) return outcomes;
    // One statement for all three writes: a batch costs two reads and one write round trip.
    await tx.query(
      `WITH progress AS (
         INSERT INTO lecture_progress (user_id, lecture_id, coverage, covered_sec, credited_sec, duration_sec, last_position_sec, completed_at, last_studied_at)
         SELECT u.user_id, u.lecture_id, u.coverage, u.credited, u.credited, u.duration, u.position, CASE WHEN u.completed THEN now() END, now()
           FROM jsonb_to_recordset($1::jsonb) AS u(user_id uuid, lecture_id uuid, coverage jsonb, credited float8, duration float8, position float8, completed boolean)
         ON CONFLICT (user_id, lecture_id) DO UPDATE SET
           coverage = excluded.coverage, covered_sec = excluded.covered_sec, credited_sec = excluded.credited_sec,
           duration_sec = excluded.duration_sec, last_position_sec = excluded.last_position_sec,
           completed_at = coalesce(lecture_progress.completed_at, excluded.completed_at), last_studied_at = now()
         RETURNING 1
       ), daily AS (
         INSERT INTO study_daily (user_id, lecture_id, day, credited_sec)
         SELECT u.user_id, u.lecture_id, (now() AT TIME ZONE $4)::date, u.credited
           FROM jsonb_to_recordset($2::jsonb) AS u(user_id uuid, lecture_id uuid, credited float8)
         ON CONFLICT (user_id, day, lecture_id) DO UPDATE SET credited_sec = study_daily.credited_sec + excluded.credited_sec
         RETURNING 1
       ), sessions AS (
         UPDATE playback_sessions s SET last_seq = u.last_seq, last_accepted_at = to_timestamp(u.accepted_ms / 1000.0),
                last_response = u.last_response, credited_sec = u.credited
           FROM jsonb_to_recordset($3::jsonb) AS u(id uuid, last_seq int, accepted_ms float8, last_response jsonb, credited float8)
          WHERE s.id = u.id
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM progress) AS progress, (SELECT count(*) FROM daily) AS daily, (SELECT count(*) FROM sessions) AS sessions`,
      [JSON.stringify(progressRows), JSON.stringify(dailyRows), JSON.stringify(sessionRows), this.options.timeZone],
    );
    return outcomes;
  }
}
