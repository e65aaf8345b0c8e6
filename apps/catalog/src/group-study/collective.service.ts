import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isConcurrencyConflict } from '#platform';
import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '#auth';
import type { ScreenHeartbeat, ScreenHeartbeatResult } from '#contracts';
import {
  acceptScreenBeat,
  entitledMedia,
  openingAllowanceMs,
  preparePlays,
  type Interval,
  type PresencePeriod,
  type ScreenPlay,
} from '#watch';
import type { GroupScreenStream } from '../../../../libs/contracts/src/collective.js';
import { GroupScreenStreamService } from '../playback/group-screen-stream.js';
import { STUDY_OPTIONS, type StudyOptions } from '../study/study-options.js';
import { leadsUnit } from './group-session-rules.js';
import { GroupSessionsService } from './group-sessions.service.js';
import { attendeeCredit, screenRefusal, type AttendeeCredit, type ScreenSession } from './collective-rules.js';

/** A group session as the screen's paths read it (locked for a heartbeat). */
export interface ScreenSessionRow {
  id: string;
  kind: string;
  status: string;
  created_by: string;
  unit_path: string;
  lecture_id: string | null;
  asset_id: string | null;
  duration_sec: number;
  last_seq: number | null;
  seen_mask: number;
  clock_ms: number;
  opening: boolean;
  carry_ms: number;
  position_sec: number;
  played_sec: number;
}

const SESSION_SELECT = `
  SELECT s.id, s.kind, s.status, s.created_by, u.path AS unit_path, s.lecture_id, l.asset_id,
         coalesce(m.duration_sec, 0)::float8 AS duration_sec, s.last_seq, s.seen_mask,
         round(extract(epoch FROM coalesce(s.clock_at, s.starts_at, s.created_at)) * 1000)::float8 AS clock_ms,
         s.clock_at IS NULL AS opening, s.carry_ms, s.position_sec, s.played_sec
    FROM group_sessions s
    JOIN org_units u ON u.id = s.org_unit_id
    LEFT JOIN lectures l ON l.id = s.lecture_id
    LEFT JOIN lecture_media m ON m.asset_id = l.asset_id AND m.status = 'ready'
   WHERE s.id = $1`;

/** Attempts at a screen's heartbeat that PostgreSQL rolls back for a deadlock or a serialization failure. */
const ATTEMPTS = 4;

/**
 * The room's screen during a collective viewing: its heartbeats are bounded by the server's clock as a
 * single viewer's are, each accepted one is recorded as a play, and in the same transaction every attendee is
 * credited what their presence entitles them to from all the plays, less what they already have.
 */
@Injectable()
export class CollectiveService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(STUDY_OPTIONS) private readonly study: StudyOptions,
    private readonly streams: GroupScreenStreamService,
    private readonly sessions: GroupSessionsService,
  ) {}

  /** Media links for the screen, to its managers while the session is live. */
  async stream(principal: Principal, sessionId: string): Promise<GroupScreenStream> {
    await this.admit(this.db, principal, sessionId, false);
    return this.streams.links(sessionId, principal.userId);
  }

  /** The session, 404 when there is none, and the refusal that applies to this caller (403 / 409). */
  private async admit(tx: EntityManager | DataSource, principal: Principal, sessionId: string, lock: boolean): Promise<ScreenSessionRow> {
    const [row] = (await tx.query(`${SESSION_SELECT}${lock ? ' FOR UPDATE OF s' : ''}`, [sessionId])) as ScreenSessionRow[];
    if (!row) throw new NotFoundException('No such group session. Check the link, or start a new session.');
    const session: ScreenSession = { kind: row.kind, status: row.status };
    const manages = leadsUnit(await this.sessions.scopesOf(principal, tx), row.unit_path);
    const refusal = screenRefusal(manages, session);
    if (refusal?.status === 403) throw new ForbiddenException(refusal.message);
    if (refusal) throw new ConflictException(refusal.message);
    return row;
  }

  async heartbeat(principal: Principal, sessionId: string, beat: ScreenHeartbeat): Promise<ScreenHeartbeatResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction('READ COMMITTED', (tx) => this.heartbeatIn(tx, principal, sessionId, beat));
      } catch (error) {
        if (attempt < ATTEMPTS && isConcurrencyConflict(error)) continue;
        throw error;
      }
    }
  }

  private async heartbeatIn(
    tx: EntityManager,
    principal: Principal,
    sessionId: string,
    beat: ScreenHeartbeat,
  ): Promise<ScreenHeartbeatResult> {
    const session = await this.admit(tx, principal, sessionId, true);
    // The server's clock once the session is ours: heartbeats of one screen take turns, each later than the last.
    const [{ now_ms: nowMs }] = (await tx.query(`SELECT round(extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now_ms`)) as Array<{
      now_ms: number;
    }>;
    const accepted = acceptScreenBeat(
      {
        lectureDurationSec: session.duration_sec,
        clockMs: session.clock_ms,
        carryMs: session.opening ? openingAllowanceMs() : Math.round(session.carry_ms),
        lastSeq: session.last_seq,
        seenMask: session.seen_mask,
        positionSec: session.position_sec,
        playedSec: session.played_sec,
      },
      { seq: beat.seq, intervals: beat.intervals, position: beat.position },
      nowMs,
    );
    if (accepted.replay) {
      // A seq already answered (or behind the window): nothing changes, the totals as they are.
      return { playedSec: session.played_sec, presentCount: await this.presentCount(tx, sessionId), creditedSec: 0 };
    }
    const { play, state } = accepted;
    await tx.query(
      `UPDATE group_sessions SET last_seq = $2, seen_mask = $3, clock_at = to_timestamp($4::float8 / 1000), carry_ms = $5,
              position_sec = $6, played_sec = $7
        WHERE id = $1`,
      [sessionId, state.lastSeq, state.seenMask, state.clockMs, state.carryMs, state.positionSec, state.playedSec],
    );
    await tx.query(
      `INSERT INTO group_session_plays (session_id, seq, from_at, to_at, intervals, played_sec)
       VALUES ($1, $2, to_timestamp($3::float8 / 1000), to_timestamp($4::float8 / 1000), $5::jsonb, $6)
       ON CONFLICT (session_id, seq) DO NOTHING`,
      [sessionId, beat.seq, play.fromMs, play.toMs, JSON.stringify(play.intervals), accepted.playedSec],
    );
    const creditedSec = session.lecture_id ? await this.creditAttendees(tx, sessionId, session.lecture_id, session.duration_sec) : 0;
    return { playedSec: state.playedSec, presentCount: await this.presentCount(tx, sessionId), creditedSec };
  }

  private async presentCount(tx: EntityManager, sessionId: string): Promise<number> {
    const [row] = (await tx.query(
      `SELECT count(*)::int AS n FROM group_session_attendance a
        WHERE a.session_id = $1 AND a.undone_at IS NULL
          AND EXISTS (SELECT 1 FROM group_session_presence p
                       WHERE p.session_id = a.session_id AND p.user_id = a.user_id AND p.to_at IS NULL AND p.undone_at IS NULL)`,
      [sessionId],
    )) as Array<{ n: number }>;
    return row?.n ?? 0;
  }

  /**
   * Every attendee's entitlement recomputed from all the plays and their presence, less what the session
   * credited them and what they had already: the difference is credited to their progress on the lecture, their
   * day (as collective study) and their attendance. Progress rows are locked in one order (by member), so two
   * sessions crediting the same members, or a member's own heartbeats, take turns; the recompute makes a repeat
   * credit nothing. Returns the seconds credited, summed.
   */
  async creditAttendees(tx: EntityManager, sessionId: string, lectureId: string, durationSec: number): Promise<number> {
    if (!(durationSec > 0)) return 0;
    const plays = (
      (await tx.query(
        `SELECT round(extract(epoch FROM from_at) * 1000)::float8 AS from_ms, round(extract(epoch FROM to_at) * 1000)::float8 AS to_ms, intervals
         FROM group_session_plays WHERE session_id = $1 AND played_sec > 0 ORDER BY seq`,
        [sessionId],
      )) as Array<{ from_ms: number; to_ms: number; intervals: Interval[] }>
    ).map((row): ScreenPlay => ({ fromMs: row.from_ms, toMs: row.to_ms, intervals: row.intervals }));
    if (plays.length === 0) return 0;
    const prepared = preparePlays(plays);
    const attendees = (await tx.query(
      `SELECT a.user_id, a.credited_coverage, coalesce(p.coverage, '[]'::jsonb) AS progress_coverage,
              coalesce(p.credited_sec, 0)::float8 AS progress_credited_sec,
              coalesce((SELECT jsonb_agg(jsonb_build_array(round(extract(epoch FROM g.from_at) * 1000)::float8,
                                                           round(extract(epoch FROM g.to_at) * 1000)::float8))
                          FROM group_session_presence g
                         WHERE g.session_id = a.session_id AND g.user_id = a.user_id AND g.undone_at IS NULL), '[]'::jsonb) AS presence
         FROM group_session_attendance a
         LEFT JOIN lecture_progress p ON p.user_id = a.user_id AND p.lecture_id = $2
        WHERE a.session_id = $1 AND a.undone_at IS NULL`,
      [sessionId, lectureId],
    )) as Array<{
      user_id: string;
      credited_coverage: Interval[];
      progress_coverage: Interval[];
      progress_credited_sec: number;
      presence: Array<[number, number | null]>;
    }>;
    const entitled = new Map<string, Interval[]>();
    const owed: string[] = [];
    for (const attendee of attendees) {
      const presence: PresencePeriod[] = attendee.presence.map(([fromMs, toMs]) => ({ fromMs, toMs }));
      const media = entitledMedia(prepared, presence);
      entitled.set(attendee.user_id, media);
      const credit = attendeeCredit({
        entitled: media,
        creditedCoverage: attendee.credited_coverage,
        progressCoverage: attendee.progress_coverage,
        progressCreditedSec: attendee.progress_credited_sec,
        durationSec,
      });
      if (credit.creditSec > 0) owed.push(attendee.user_id);
    }
    if (owed.length === 0) return 0;
    owed.sort();

    // Rows to lock: a member's first progress on the lecture is created empty first, so the lock below finds it.
    await tx.query(
      `INSERT INTO lecture_progress (user_id, lecture_id, duration_sec)
       SELECT unnest($1::uuid[]), $2::uuid, $3::float8 ON CONFLICT (user_id, lecture_id) DO NOTHING`,
      [owed, lectureId, durationSec],
    );
    const locked = (await tx.query(
      `SELECT p.user_id, p.coverage, p.credited_sec::float8 AS credited_sec, a.credited_coverage
         FROM lecture_progress p
         JOIN group_session_attendance a ON a.session_id = $3 AND a.user_id = p.user_id
        WHERE p.lecture_id = $2 AND p.user_id = ANY($1::uuid[])
        ORDER BY p.user_id
          FOR UPDATE OF p, a`,
      [owed, lectureId, sessionId],
    )) as Array<{ user_id: string; coverage: Interval[]; credited_sec: number; credited_coverage: Interval[] }>;

    const writes: Array<{ userId: string; credit: AttendeeCredit }> = [];
    for (const row of locked) {
      const credit = attendeeCredit({
        entitled: entitled.get(row.user_id) ?? [],
        creditedCoverage: row.credited_coverage,
        progressCoverage: row.coverage,
        progressCreditedSec: row.credited_sec,
        durationSec,
      });
      if (credit.creditSec > 0) writes.push({ userId: row.user_id, credit });
    }
    if (writes.length === 0) return 0;
    const users = writes.map((w) => w.userId);
    const seconds = writes.map((w) => w.credit.creditSec);
    await tx.query(
      `UPDATE lecture_progress p
          SET coverage = u.coverage, credited_sec = u.credited, covered_sec = u.credited, duration_sec = $3,
              completed_at = coalesce(p.completed_at, CASE WHEN u.completed THEN now() END), last_studied_at = now()
         FROM unnest($1::uuid[], $4::jsonb[], $5::float8[], $6::boolean[]) AS u(user_id, coverage, credited, completed)
        WHERE p.user_id = u.user_id AND p.lecture_id = $2`,
      [
        users,
        lectureId,
        durationSec,
        writes.map((w) => JSON.stringify(w.credit.progressCoverage)),
        writes.map((w) => w.credit.progressCreditedSec),
        writes.map((w) => w.credit.completed),
      ],
    );
    await tx.query(
      `INSERT INTO study_daily (user_id, lecture_id, day, credited_sec, collective_sec)
       SELECT u.user_id, $2, (now() AT TIME ZONE $3)::date, u.sec, u.sec
         FROM unnest($1::uuid[], $4::float8[]) AS u(user_id, sec)
       ON CONFLICT (user_id, day, lecture_id) DO UPDATE SET credited_sec = study_daily.credited_sec + excluded.credited_sec,
          collective_sec = study_daily.collective_sec + excluded.collective_sec`,
      [users, lectureId, this.study.timeZone, seconds],
    );
    await tx.query(
      `UPDATE group_session_attendance a SET credited_sec = a.credited_sec + u.sec, credited_coverage = u.coverage
         FROM unnest($1::uuid[], $3::float8[], $4::jsonb[]) AS u(user_id, sec, coverage)
        WHERE a.session_id = $2 AND a.user_id = u.user_id`,
      [users, sessionId, seconds, writes.map((w) => JSON.stringify(w.credit.creditedCoverage))],
    );
    return seconds.reduce((sum, s) => (sum * 1000 + Math.round(s * 1000)) / 1000, 0);
  }
}
