import { BadRequestException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AttentionCheckinView } from '#contracts';
import { isWithinScope, type Principal } from '#auth';
import { checkinOutcome } from '#watch';
import { ScopeService } from '../org/scope.service.js';
import { PLAYBACK_OPTIONS, type PlaybackOptions } from '../playback/playback.service.js';
import { HeartbeatIngestService } from './heartbeat-ingest.service.js';
import { HeartbeatTokenCheck } from './heartbeat-token.js';
import { STUDY_OPTIONS, type StudyOptions } from './study-options.js';

interface CheckinRow {
  id: string;
  lecture_id: string;
  lecture_title: string;
  asked_at: Date;
  answer_by: Date;
  answered_at: Date | null;
  uncredited_sec: number;
}

/** Days of a member's check-ins, YYYY-MM-DD in the platform's time zone, both ends included; each end optional. */
export interface CheckinPeriod {
  from?: string | undefined;
  to?: string | undefined;
}

/** At most this many check-ins per listing, newest first. */
export const CHECKIN_LIST_LIMIT = 1000;

const SELECT_VIEW = `
  SELECT c.id, l.id AS lecture_id, l.title AS lecture_title, c.asked_at, c.answer_by, c.answered_at, c.uncredited_sec
    FROM attention_checkins c JOIN lectures l ON l.id = c.lecture_id`;

function view(row: CheckinRow, nowMs: number): AttentionCheckinView {
  const answeredAtMs = row.answered_at ? row.answered_at.getTime() : null;
  return {
    id: row.id,
    lecture: { id: row.lecture_id, title: row.lecture_title },
    askedAt: row.asked_at.toISOString(),
    answerBy: row.answer_by.toISOString(),
    answeredAt: row.answered_at ? row.answered_at.toISOString() : null,
    outcome: checkinOutcome({ answerByMs: row.answer_by.getTime(), answeredAtMs }, nowMs),
    uncreditedSec: Math.round(row.uncredited_sec * 1000) / 1000,
  };
}

/**
 * Attention check-ins: the member's answer (signed with the session's heartbeat token, since a locked
 * screen may answer through sendBeacon), and the audit trail for the member and the admins of their unit.
 */
@Injectable()
export class AttentionService {
  private readonly tokens: HeartbeatTokenCheck;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
    private readonly ingest: HeartbeatIngestService,
    @Inject(PLAYBACK_OPTIONS) playback: PlaybackOptions,
    @Inject(STUDY_OPTIONS) private readonly options: StudyOptions,
  ) {
    this.tokens = new HeartbeatTokenCheck(playback.verifyKeys);
  }

  /**
   * Records the answer to a check-in (once; answering again changes nothing) and resumes crediting from
   * now: the session's hidden or audio listening is counted toward the next check-in from the answer on.
   */
  async answer(sessionId: string, checkinId: string, token: unknown): Promise<AttentionCheckinView> {
    if (!this.tokens.isValid(sessionId, token)) {
      throw new ForbiddenException(
        'This answer is not signed for its playback session. Send the heartbeat token of the session that asked.',
      );
    }
    const answered = await this.db.transaction(async (tx) => {
      // The check-in may have been asked in the member's previous session: a new one goes on with it.
      const [found] = (await tx.query(
        `SELECT c.user_id, c.answered_at FROM attention_checkins c JOIN playback_sessions s ON s.id = $2 AND s.user_id = c.user_id
          WHERE c.id = $1 FOR UPDATE OF c`,
        [checkinId, sessionId],
      )) as Array<{ user_id: string; answered_at: Date | null }>;
      if (!found) return null;
      if (found.answered_at === null) await tx.query(`UPDATE attention_checkins SET answered_at = now() WHERE id = $1`, [checkinId]);
      // The sessions' copies, which heartbeats compare before writing: a batch that read one unanswered is credited again.
      const sessions = (await tx.query(
        `UPDATE playback_sessions SET checkin_answered_at = (SELECT answered_at FROM attention_checkins WHERE id = $2), attention_listened_sec = 0
          WHERE user_id = $1 AND checkin_id = $2 AND checkin_answered_at IS NULL
          RETURNING id`,
        [found.user_id, checkinId],
      )) as [Array<{ id: string }>, number];
      const [row] = (await tx.query(`${SELECT_VIEW} WHERE c.id = $1`, [checkinId])) as CheckinRow[];
      return { row: row!, sessions: sessions[0].map((s) => s.id) };
    });
    if (!answered)
      throw new NotFoundException('No such check-in for this playback session. Answer the check-in the latest heartbeat named.');
    for (const id of new Set([sessionId, ...answered.sessions])) this.ingest.forget(id);
    const row = answered.row;
    return view(row, Date.now());
  }

  /** The caller's own check-ins. */
  mine(principal: Principal, period: CheckinPeriod): Promise<AttentionCheckinView[]> {
    return this.list(principal.userId, period);
  }

  /** A member's check-ins, for admins and inspectors whose subtree holds the member's unit; 404 for anyone else. */
  async ofMember(principal: Principal, userId: string, period: CheckinPeriod): Promise<AttentionCheckinView[]> {
    const root = await this.scope.rootOf(principal);
    const [person] = (await this.db.query(`SELECT o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.id = $1`, [
      userId,
    ])) as Array<{ path: string }>;
    if (!person || !isWithinScope(person.path, root.path)) throw new NotFoundException('No such person in your organisation.');
    return this.list(userId, period);
  }

  private async list(userId: string, period: CheckinPeriod): Promise<AttentionCheckinView[]> {
    if (period.from && period.to && period.from > period.to) {
      throw new BadRequestException('from must be on or before to (both YYYY-MM-DD).');
    }
    const rows = (await this.db.query(
      `${SELECT_VIEW}
        WHERE c.user_id = $1
          AND ($2::date IS NULL OR c.asked_at >= ($2::date)::timestamp AT TIME ZONE $4)
          AND ($3::date IS NULL OR c.asked_at < ($3::date + 1)::timestamp AT TIME ZONE $4)
        ORDER BY c.asked_at DESC, c.id
        LIMIT ${CHECKIN_LIST_LIMIT}`,
      [userId, period.from ?? null, period.to ?? null, this.options.timeZone],
    )) as CheckinRow[];
    const nowMs = Date.now();
    return rows.map((row) => view(row, nowMs));
  }
}
