import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '#auth';
import {
  GROUP_SESSION_LIMITS,
  type AttendanceEventView,
  type AttendanceMethod,
  type CheckinCodeView,
  type CheckinResult,
  type CheckoutResult,
  type GroupSessionDetail,
  type GroupSessionKind,
  type GroupSessionStatus,
  type GroupSessionSummary,
  type GroupStudyCapabilities,
  type MyAttendanceEntry,
  type RosterEntry,
} from '#contracts';
import { visibleToMember } from '../courses/courses.repository.js';
import { codeMatches, currentCode, periodEndsAt } from './checkin-code.js';
import {
  LEADING_POSITIONS,
  classifyNewInPerson,
  isLate,
  leadScopes,
  leadsUnit,
  presenceCreditSec,
  recordUntil,
  selfCheckinRefusal,
  tickMode,
  type SessionClockState,
} from './group-session-rules.js';
import { GROUP_SESSION_OPTIONS, GroupSessionsClock, type GroupSessionOptions } from './group-sessions-options.js';
import { CheckinThrottle } from './group-sessions-throttle.js';
import type {
  AttendanceTickInput,
  AttendanceUndoInput,
  CheckinInput,
  CreateCollectiveInput,
  CreateInPersonInput,
  ListSessionsQuery,
} from './group-sessions.schemas.js';

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
type Db = EntityManager | DataSource;

/** Active members of the subtree of the unit whose path is the SQL expression `path`. */
const subtreeMembers = (path: string) => `SELECT u.id FROM users u JOIN org_units uo ON uo.id = u.org_unit_id
   WHERE u.active AND u.role = 'member' AND (uo.path = ${path} OR uo.path LIKE ${path} || '/%')`;

/** The columns of a GroupSessionSummary, for a session `s` joined to its unit `o`. */
const SUMMARY = `s.id, s.kind, s.status,
  json_build_object('id', o.id, 'name', o.name, 'path', o.path) AS unit,
  CASE WHEN s.lecture_id IS NOT NULL THEN (
    SELECT json_build_object('id', l.id, 'title', l.title, 'courseTitle', c.title, 'durationSec', coalesce(round(m.duration_sec)::int, 0))
      FROM lectures l JOIN courses c ON c.id = l.course_id LEFT JOIN lecture_media m ON m.asset_id = l.asset_id
     WHERE l.id = s.lecture_id) END AS lecture,
  s.topic, s.place, s.speaker, ${iso('s.starts_at')} AS "startsAt", ${iso('s.ends_at')} AS "endsAt",
  s.recorded_afterwards AS "recordedAfterwards",
  (SELECT count(*)::int FROM group_session_attendance a WHERE a.session_id = s.id AND a.undone_at IS NULL) AS "attendeeCount",
  (SELECT count(*)::int FROM (${subtreeMembers('o.path')}
     UNION SELECT a.user_id FROM group_session_attendance a WHERE a.session_id = s.id) roster) AS "rosterCount",
  (SELECT json_build_object('id', cu.id, 'name', cu.name) FROM users cu WHERE cu.id = s.created_by) AS "createdBy"`;

interface SessionRow {
  id: string;
  kind: GroupSessionKind;
  status: GroupSessionStatus;
  org_unit_id: string;
  unit_path: string;
  unit_name: string;
  starts_at: Date | null;
  ends_at: Date | null;
  code_secret: Buffer;
}

const clockState = (s: SessionRow): SessionClockState => ({
  kind: s.kind,
  status: s.status,
  startsAt: s.starts_at?.getTime() ?? null,
  endsAt: s.ends_at?.getTime() ?? null,
});

const SWEEP_EVERY_MS = 60_000;

/**
 * Group sessions and their attendance: collective viewings of a lecture on a study site's screen and in-person study
 * sessions, led by group leaders and secretaries (by position) and admins, each for their unit's subtree. Members
 * check in with the screen's rotating code or QR, or are ticked on the roster; every check-in and check-out writes the
 * presence period, the attendance row (the first time) and an audit event in one transaction. Nothing is deleted.
 * In-person credit is the time present within the session; collective credit is settled from the screen's record
 * elsewhere and left alone here. Decisions use `GroupSessionsClock`.
 */
@Injectable()
export class GroupSessionsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('GroupSessions');
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(GROUP_SESSION_OPTIONS) private readonly options: GroupSessionOptions,
    private readonly clock: GroupSessionsClock,
    private readonly throttle: CheckinThrottle,
  ) {}

  onModuleInit(): void {
    // In-person sessions start and end by the clock; the sweep keeps their status and credit current for reports.
    this.sweeper = setInterval(() => {
      this.sweep().catch((error: Error) => this.logger.warn(`group session sweep failed: ${error.message}`));
    }, SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  private now(): Date {
    return new Date(this.clock.now());
  }

  // ----- who leads -----

  async scopesOf(principal: Principal, db: Db = this.db): Promise<string[]> {
    const [positions, own] = await Promise.all([
      db.query(
        `SELECT o.path AS "unitPath", p.position_code AS "positionCode"
           FROM member_positions p JOIN org_units o ON o.id = p.org_unit_id
          WHERE p.user_id = $1 AND p.ended_on IS NULL AND p.position_code = ANY($2::text[])`,
        [principal.userId, [...LEADING_POSITIONS]],
      ) as Promise<Array<{ unitPath: string; positionCode: string }>>,
      db.query(`SELECT path FROM org_units WHERE id = $1`, [principal.orgUnitId]) as Promise<Array<{ path: string }>>,
    ]);
    // An admin's scope comes from the database, not the token, so a renamed or moved unit is followed at once.
    return leadScopes({ role: principal.role, orgPath: own[0]?.path ?? principal.orgPath, positions });
  }

  async capabilities(principal: Principal): Promise<GroupStudyCapabilities> {
    const scopes = await this.scopesOf(principal);
    if (!scopes.length) return { canLead: false, units: [] };
    const units = await this.db.query(
      `SELECT id, name, path FROM org_units
        WHERE path = ANY($1::text[]) OR path LIKE ANY(SELECT s || '/%' FROM unnest($1::text[]) s)
        ORDER BY path`,
      [scopes],
    );
    return { canLead: true, units };
  }

  private async ledUnit(principal: Principal, unitId: string): Promise<{ id: string; path: string }> {
    const scopes = await this.scopesOf(principal);
    if (!scopes.length) {
      throw new ForbiddenException('Only group leaders, secretaries and admins start group sessions, each for their own unit.');
    }
    const [unit]: Array<{ id: string; path: string }> = await this.db.query(`SELECT id, path FROM org_units WHERE id = $1`, [unitId]);
    if (!unit || !leadsUnit(scopes, unit.path)) throw new NotFoundException('No such unit among those you lead.');
    return unit;
  }

  // ----- starting sessions -----

  async createCollective(principal: Principal, input: CreateCollectiveInput): Promise<GroupSessionDetail> {
    const unit = await this.ledUnit(principal, input.unitId);
    const [lecture]: Array<{ archived: boolean; status: string; visible: boolean; playable: boolean }> = await this.db.query(
      `SELECT l.archived_at IS NOT NULL AS archived, c.status, ${visibleToMember('$2::text')} AS visible,
              EXISTS (SELECT 1 FROM lecture_media m WHERE m.asset_id = l.asset_id AND m.status = 'ready') AS playable
         FROM lectures l JOIN courses c ON c.id = l.course_id WHERE l.id = $1`,
      [input.lectureId, unit.path],
    );
    if (!lecture) throw new NotFoundException('No such lecture.');
    if (lecture.archived) throw new ConflictException('This lecture was removed from its course. Choose another lecture.');
    if (lecture.status !== 'published') {
      throw new ConflictException('The course of this lecture is not published, so it cannot be shown yet. Choose a published lecture.');
    }
    if (!lecture.playable) throw new ConflictException('This lecture has no playable video or audio yet. Choose another lecture.');
    if (!lecture.visible) {
      throw new BadRequestException(
        "This lecture's course is not shown to the members of that unit. Choose a lecture they can watch, or another unit.",
      );
    }
    const now = this.now();
    const [{ id }] = await this.db.query(
      `INSERT INTO group_sessions (kind, org_unit_id, lecture_id, status, starts_at, code_secret, created_by, created_at)
       VALUES ('collective', $1, $2, 'live', $3, $4, $5, $3) RETURNING id`,
      [unit.id, input.lectureId, now, randomBytes(32), principal.userId],
    );
    return this.detail(principal, id as string);
  }

  async createInPerson(principal: Principal, input: CreateInPersonInput): Promise<GroupSessionDetail> {
    const unit = await this.ledUnit(principal, input.unitId);
    const startsAt = new Date(input.startsAt);
    const endsAt = new Date(input.endsAt);
    const verdict = classifyNewInPerson(startsAt.getTime(), endsAt.getTime(), this.clock.now(), this.options.recordAfterDays);
    if ('error' in verdict) {
      throw verdict.status === 400 ? new BadRequestException(verdict.error) : new ConflictException(verdict.error);
    }
    const now = this.now();
    const [{ id }] = await this.db.query(
      `INSERT INTO group_sessions (kind, org_unit_id, topic, place, speaker, materials, starts_at, ends_at, status,
                                   recorded_afterwards, code_secret, created_by, created_at, ended_by)
       VALUES ('in_person', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, CASE WHEN $9 THEN $11::uuid END) RETURNING id`,
      [
        unit.id,
        input.topic,
        input.place,
        input.speaker,
        input.materials,
        startsAt,
        endsAt,
        verdict.status,
        verdict.recordedAfterwards,
        randomBytes(32),
        principal.userId,
        now,
      ],
    );
    return this.detail(principal, id as string);
  }

  // ----- the clock: in-person sessions start and end -----

  /**
   * Brings in-person sessions' status up to the clock (all of them, or those given): planned → live → ended. One that
   * ends has its open presence closed at its end and its attendees' credit settled, in one transaction.
   */
  async sweep(ids?: string[]): Promise<void> {
    const now = this.now();
    const due: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM group_sessions
        WHERE kind = 'in_person' AND status IN ('planned', 'live')
          AND ((status = 'planned' AND starts_at <= $1) OR ends_at <= $1)
          ${ids ? 'AND id = ANY($2::uuid[])' : ''}`,
      ids ? [now, ids] : [now],
    );
    for (const { id } of due) {
      await this.db.transaction(async (tx) => {
        // TypeORM answers an UPDATE … RETURNING with [rows, count].
        const [[row]]: [Array<{ status: GroupSessionStatus; ends_at: Date }>] = await tx.query(
          `UPDATE group_sessions SET status = CASE WHEN ends_at <= $2 THEN 'ended' ELSE 'live' END
            WHERE id = $1 AND kind = 'in_person' AND status IN ('planned', 'live')
              AND ((status = 'planned' AND starts_at <= $2) OR ends_at <= $2)
            RETURNING status, ends_at`,
          [id, now],
        );
        if (row?.status === 'ended') await this.settleEnded(tx, id, row.ends_at);
      });
    }
  }

  /** Closes the open presence of an ended session at its end; in person, settles every attendee's credit. */
  private async settleEnded(tx: EntityManager, sessionId: string, endsAt: Date): Promise<void> {
    await tx.query(
      `UPDATE group_session_presence SET to_at = GREATEST(from_at, $2)
        WHERE session_id = $1 AND to_at IS NULL AND undone_at IS NULL`,
      [sessionId, endsAt],
    );
    const [{ kind }] = await tx.query(`SELECT kind FROM group_sessions WHERE id = $1`, [sessionId]);
    if (kind !== 'in_person') return;
    const attendees: Array<{ user_id: string }> = await tx.query(
      `SELECT user_id FROM group_session_attendance WHERE session_id = $1 AND undone_at IS NULL`,
      [sessionId],
    );
    for (const { user_id } of attendees) await this.recomputeCredit(tx, sessionId, user_id);
  }

  /** In-person credit of one attendee: the seconds of the session they were present (an open period counts until now). */
  private async recomputeCredit(tx: EntityManager, sessionId: string, userId: string): Promise<void> {
    const [session]: Array<{ kind: GroupSessionKind; status: GroupSessionStatus; starts_at: Date | null; ends_at: Date | null }> =
      await tx.query(`SELECT kind, status, starts_at, ends_at FROM group_sessions WHERE id = $1`, [sessionId]);
    if (!session || session.kind !== 'in_person' || !session.starts_at || !session.ends_at) return;
    const periods: Array<{ from_at: Date; to_at: Date | null }> = await tx.query(
      `SELECT from_at, to_at FROM group_session_presence WHERE session_id = $1 AND user_id = $2 AND undone_at IS NULL`,
      [sessionId, userId],
    );
    const asOf = session.status === 'ended' ? session.ends_at.getTime() : this.clock.now();
    const credit = presenceCreditSec(
      session.starts_at.getTime(),
      session.ends_at.getTime(),
      periods.map((p) => ({ from: p.from_at.getTime(), to: p.to_at?.getTime() ?? null })),
      asOf,
    );
    await tx.query(
      `UPDATE group_session_attendance SET credited_sec = $3
        WHERE session_id = $1 AND user_id = $2 AND undone_at IS NULL AND credited_sec IS DISTINCT FROM $3`,
      [sessionId, userId, credit],
    );
  }

  // ----- reading -----

  private async session(id: string, db: Db = this.db, lock = ''): Promise<SessionRow | undefined> {
    const [row]: SessionRow[] = await db.query(
      `SELECT s.id, s.kind, s.status, s.org_unit_id, s.starts_at, s.ends_at, s.code_secret
         FROM group_sessions s WHERE s.id = $1 ${lock}`,
      [id],
    );
    if (!row) return undefined;
    const [unit] = await db.query(`SELECT path, name FROM org_units WHERE id = $1`, [row.org_unit_id]);
    return { ...row, unit_path: unit.path, unit_name: unit.name };
  }

  /** Whether the member is on the roster of a session of the unit at `unitPath`: in its subtree now, or attended it. */
  private async onRoster(db: Db, sessionId: string, unitPath: string, userId: string): Promise<boolean> {
    const [row] = await db.query(
      `SELECT EXISTS (SELECT 1 FROM (${subtreeMembers('$2::text')}) m WHERE m.id = $3)
           OR EXISTS (SELECT 1 FROM group_session_attendance a WHERE a.session_id = $1 AND a.user_id = $3) AS yes`,
      [sessionId, unitPath, userId],
    );
    return row.yes as boolean;
  }

  /**
   * The session as the caller may see it: those who lead its unit manage it; its roster's members see it. Others 404,
   * so sessions elsewhere are not confirmed.
   */
  private async visible(
    principal: Principal,
    id: string,
    db: Db = this.db,
    lock = '',
  ): Promise<{ session: SessionRow; canManage: boolean }> {
    const session = await this.session(id, db, lock);
    if (session) {
      const scopes = await this.scopesOf(principal, db);
      if (leadsUnit(scopes, session.unit_path)) return { session, canManage: true };
      if (await this.onRoster(db, id, session.unit_path, principal.userId)) return { session, canManage: false };
    }
    throw new NotFoundException('No such group session among those you lead or attend.');
  }

  private async managed(principal: Principal, id: string, db: Db = this.db, lock = ''): Promise<SessionRow> {
    const { session, canManage } = await this.visible(principal, id, db, lock);
    if (!canManage) throw new ForbiddenException('Only the leaders of this unit and its admins manage this session.');
    return session;
  }

  async summaries(ids: string[]): Promise<GroupSessionSummary[]> {
    if (!ids.length) return [];
    return this.db.query(
      `SELECT ${SUMMARY} FROM group_sessions s JOIN org_units o ON o.id = s.org_unit_id
        WHERE s.id = ANY($1::uuid[]) ORDER BY s.starts_at DESC NULLS LAST, s.created_at DESC, s.id`,
      [ids],
    );
  }

  async detail(principal: Principal, id: string): Promise<GroupSessionDetail> {
    await this.sweep([id]);
    const { canManage } = await this.visible(principal, id);
    const [row]: Array<
      GroupSessionSummary & { materials: string | null; playedSec: number; positionSec: number; endsAtMs: number | null }
    > = await this.db.query(
      `SELECT ${SUMMARY}, s.materials, s.played_sec AS "playedSec", s.position_sec AS "positionSec",
                (extract(epoch FROM s.ends_at) * 1000)::float8 AS "endsAtMs"
           FROM group_sessions s JOIN org_units o ON o.id = s.org_unit_id WHERE s.id = $1`,
      [id],
    );
    const { endsAtMs, ...rest } = row!;
    const until = recordUntil(rest.kind, rest.status, endsAtMs, this.options.recordAfterDays);
    return { ...rest, canManage, recordUntil: until === null ? null : new Date(until).toISOString() };
  }

  /** Leaders and admins: sessions of the units they lead; everyone: sessions they attended. Newest first. */
  async list(principal: Principal, query: ListSessionsQuery): Promise<GroupSessionSummary[]> {
    await this.sweep();
    const scopes = await this.scopesOf(principal);
    const params: unknown[] = [scopes, principal.userId];
    const where = [
      `((o.path = ANY($1::text[]) OR o.path LIKE ANY(SELECT x || '/%' FROM unnest($1::text[]) x))
        OR EXISTS (SELECT 1 FROM group_session_attendance a WHERE a.session_id = s.id AND a.user_id = $2 AND a.undone_at IS NULL))`,
    ];
    if (query.status) where.push(`s.status = $${params.push(query.status)}`);
    if (query.unitId) {
      params.push(query.unitId);
      where.push(`(o.id = $${params.length} OR o.path LIKE (SELECT path FROM org_units WHERE id = $${params.length}) || '/%')`);
    }
    if (query.from) where.push(`s.starts_at >= $${params.push(query.from)}`);
    if (query.to) where.push(`s.starts_at < $${params.push(query.to)}`);
    const ids: Array<{ id: string }> = await this.db.query(
      `SELECT s.id FROM group_sessions s JOIN org_units o ON o.id = s.org_unit_id
        WHERE ${where.join(' AND ')}
        ORDER BY s.starts_at DESC NULLS LAST, s.created_at DESC, s.id LIMIT $${params.push(query.limit)}`,
      params,
    );
    return this.summaries(ids.map((r) => r.id));
  }

  /** The caller's own attendance, newest session first (taken-back check-ins left out). */
  async attended(principal: Principal, limit: number): Promise<MyAttendanceEntry[]> {
    await this.sweep();
    const rows: Array<Omit<MyAttendanceEntry, 'session'> & { sessionId: string }> = await this.db.query(
      `SELECT a.session_id AS "sessionId", a.method, a.late, ${iso('a.first_in_at')} AS "firstInAt",
              CASE WHEN NOT EXISTS (SELECT 1 FROM group_session_presence p
                                     WHERE p.session_id = a.session_id AND p.user_id = a.user_id AND p.to_at IS NULL AND p.undone_at IS NULL)
                   THEN (SELECT ${iso('max(p.to_at)')} FROM group_session_presence p
                          WHERE p.session_id = a.session_id AND p.user_id = a.user_id AND p.undone_at IS NULL) END AS "lastOutAt",
              a.credited_sec::float8 AS "creditedSec"
         FROM group_session_attendance a JOIN group_sessions s ON s.id = a.session_id
        WHERE a.user_id = $1 AND a.undone_at IS NULL
        ORDER BY s.starts_at DESC NULLS LAST, s.created_at DESC, s.id LIMIT $2`,
      [principal.userId, limit],
    );
    const summaries = new Map((await this.summaries(rows.map((r) => r.sessionId))).map((s) => [s.id, s]));
    return rows.map(({ sessionId, ...rest }) => ({ session: summaries.get(sessionId)!, ...rest }));
  }

  async roster(principal: Principal, id: string): Promise<RosterEntry[]> {
    await this.sweep([id]);
    const session = await this.managed(principal, id);
    return this.rosterRows(session, null);
  }

  private async rosterRows(session: SessionRow, userId: string | null, db: Db = this.db): Promise<RosterEntry[]> {
    return db.query(
      `WITH roster AS (${subtreeMembers('$2::text')} UNION SELECT a.user_id FROM group_session_attendance a WHERE a.session_id = $1)
       SELECT u.id AS "userId", u.name, u.login, uo.name AS "unitName",
              CASE WHEN a.user_id IS NULL OR a.undone_at IS NOT NULL THEN false
                   WHEN $3 = 'ended' THEN true
                   ELSE EXISTS (SELECT 1 FROM group_session_presence p WHERE p.session_id = $1 AND p.user_id = u.id AND p.to_at IS NULL AND p.undone_at IS NULL)
              END AS present,
              CASE WHEN a.undone_at IS NULL THEN a.method END AS method,
              coalesce(a.late AND a.undone_at IS NULL, false) AS late,
              CASE WHEN a.undone_at IS NULL THEN ${iso('a.first_in_at')} END AS "firstInAt",
              CASE WHEN a.undone_at IS NULL AND $3 <> 'ended' AND NOT EXISTS (
                     SELECT 1 FROM group_session_presence p WHERE p.session_id = $1 AND p.user_id = u.id AND p.to_at IS NULL AND p.undone_at IS NULL)
                   THEN (SELECT ${iso('max(p.to_at)')} FROM group_session_presence p WHERE p.session_id = $1 AND p.user_id = u.id AND p.undone_at IS NULL)
              END AS "lastOutAt",
              CASE WHEN a.undone_at IS NULL THEN coalesce(a.credited_sec, 0) ELSE 0 END::float8 AS "creditedSec"
         FROM roster r
         JOIN users u ON u.id = r.id
         JOIN org_units uo ON uo.id = u.org_unit_id
         LEFT JOIN group_session_attendance a ON a.session_id = $1 AND a.user_id = u.id
        WHERE $4::uuid IS NULL OR u.id = $4
        ORDER BY uo.path, u.name, u.login`,
      [session.id, session.unit_path, session.status, userId],
    );
  }

  async events(principal: Principal, id: string): Promise<AttendanceEventView[]> {
    await this.managed(principal, id);
    return this.db.query(
      `SELECT ${iso('e.at')} AS at, e.event, e.method,
              json_build_object('id', m.id, 'name', m.name) AS member,
              json_build_object('id', b.id, 'name', b.name) AS by, e.note
         FROM group_session_attendance_events e
         JOIN users m ON m.id = e.user_id
         JOIN users b ON b.id = e.by_user_id
        WHERE e.session_id = $1 ORDER BY e.at, e.id`,
      [id],
    );
  }

  async code(principal: Principal, id: string): Promise<CheckinCodeView> {
    await this.sweep([id]);
    const session = await this.managed(principal, id);
    const now = this.clock.now();
    const refusal = selfCheckinRefusal(clockState(session), now);
    if (refusal) throw new ConflictException(refusal);
    const code = currentCode(session.code_secret, now);
    return {
      code,
      url: `/checkin?s=${session.id}&c=${code}`,
      validUntil: new Date(periodEndsAt(now)).toISOString(),
      periodSec: GROUP_SESSION_LIMITS.codePeriodSec,
    };
  }

  // ----- ending -----

  async end(principal: Principal, id: string): Promise<GroupSessionDetail> {
    await this.sweep([id]);
    await this.db.transaction(async (tx) => {
      const session = await this.managed(principal, id, tx, 'FOR UPDATE');
      if (session.status === 'ended') throw new ConflictException('This session has already ended.');
      if (session.status === 'cancelled') throw new ConflictException('This session was cancelled.');
      if (session.status === 'planned') {
        throw new ConflictException('This session has not started yet. Cancel it instead if it will not take place.');
      }
      const now = this.now();
      // An in-person session ended early ends now; the clock ends it at its planned end otherwise.
      const [[row]]: [Array<{ ends_at: Date }>] = await tx.query(
        `UPDATE group_sessions SET status = 'ended', ended_by = $2,
                ends_at = CASE WHEN kind = 'in_person' THEN LEAST(ends_at, GREATEST(starts_at, $3)) ELSE GREATEST(starts_at, $3) END
          WHERE id = $1 RETURNING ends_at`,
        [id, principal.userId, now],
      );
      await this.settleEnded(tx, id, row!.ends_at);
    });
    return this.detail(principal, id);
  }

  async cancel(principal: Principal, id: string): Promise<GroupSessionDetail> {
    await this.sweep([id]);
    await this.db.transaction(async (tx) => {
      const session = await this.managed(principal, id, tx, 'FOR UPDATE');
      if (session.status === 'cancelled') throw new ConflictException('This session was already cancelled.');
      const [{ attended }] = await tx.query(
        `SELECT count(*)::int AS attended FROM group_session_attendance WHERE session_id = $1 AND undone_at IS NULL`,
        [id],
      );
      if (attended > 0) {
        throw new ConflictException(
          `${attended} member(s) attended this session, so it cannot be cancelled: attendance is kept. End it instead.`,
        );
      }
      if (session.status === 'ended' && session.kind === 'collective') {
        throw new ConflictException('This viewing has already ended; it stays on record.');
      }
      await tx.query(`UPDATE group_sessions SET status = 'cancelled', ended_by = $2 WHERE id = $1`, [id, principal.userId]);
    });
    return this.detail(principal, id);
  }

  // ----- attendance -----

  /** A leader ticks a member on the roster: present checks them in (from now, or for the whole session afterwards), not present checks them out. */
  async tick(principal: Principal, id: string, input: AttendanceTickInput): Promise<RosterEntry> {
    await this.sweep([id]);
    return this.db.transaction(async (tx) => {
      const session = await this.managed(principal, id, tx, 'FOR SHARE');
      if (!(await this.onRoster(tx, id, session.unit_path, input.userId))) {
        throw new NotFoundException('This person is not on the roster of this session: only active members of its unit attend.');
      }
      const mode = tickMode(clockState(session), this.clock.now(), this.options.recordAfterDays, input.present);
      if ('refusal' in mode) throw new ConflictException(mode.refusal);
      if (input.present) {
        await this.checkIn(tx, session, input.userId, principal.userId, mode.mode === 'afterwards' ? 'afterwards' : 'roster', input.note);
      } else {
        await this.checkOut(tx, session, input.userId, principal.userId, 'roster', input.note);
      }
      const [entry] = await this.rosterRows(session, input.userId, tx);
      return entry!;
    });
  }

  /** Takes back a member's attendance entered by mistake: it stops counting; its rows and the events stay. */
  async undo(principal: Principal, id: string, input: AttendanceUndoInput): Promise<RosterEntry> {
    await this.sweep([id]);
    return this.db.transaction(async (tx) => {
      const session = await this.managed(principal, id, tx, 'FOR SHARE');
      const mode = tickMode(clockState(session), this.clock.now(), this.options.recordAfterDays, true);
      if ('refusal' in mode) throw new ConflictException(mode.refusal);
      const now = this.now();
      const [undone]: [unknown[]] = await tx.query(
        `UPDATE group_session_attendance SET undone_at = $3, credited_sec = CASE WHEN $4 = 'in_person' THEN 0 ELSE credited_sec END
          WHERE session_id = $1 AND user_id = $2 AND undone_at IS NULL RETURNING user_id`,
        [id, input.userId, now, session.kind],
      );
      if (!undone.length) throw new ConflictException('This member is not checked in to this session, so there is nothing to undo.');
      await tx.query(
        `UPDATE group_session_presence SET undone_at = $3, to_at = coalesce(to_at, GREATEST(from_at, $3))
          WHERE session_id = $1 AND user_id = $2 AND undone_at IS NULL`,
        [id, input.userId, now],
      );
      await tx.query(
        `INSERT INTO group_session_attendance_events (session_id, user_id, event, method, at, by_user_id, note)
         VALUES ($1, $2, 'undone', NULL, $3, $4, $5)`,
        [id, input.userId, now, principal.userId, input.note],
      );
      const [entry] = await this.rosterRows(session, input.userId, tx);
      return entry!;
    });
  }

  /**
   * Checks a member in, in the caller's transaction (the session row held FOR SHARE). Idempotent: a member already
   * present gets `alreadyPresent` and nothing is written. The attendance row's unique key and the one-open-period
   * index decide between concurrent check-ins of the same member.
   */
  private async checkIn(
    tx: EntityManager,
    session: SessionRow,
    userId: string,
    byUserId: string,
    method: AttendanceMethod,
    note: string | null,
  ): Promise<{ late: boolean; alreadyPresent: boolean }> {
    const now = this.now();
    const afterwards = method === 'afterwards';
    const firstIn = afterwards ? session.starts_at! : now;
    const late = afterwards ? false : isLate(session.starts_at?.getTime() ?? null, firstIn.getTime(), this.options.lateAfterMin);
    // The first check-in (or the first after an undo) writes the attendance row.
    await tx.query(
      `INSERT INTO group_session_attendance (session_id, user_id, method, late, first_in_at, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (session_id, user_id) DO UPDATE
          SET method = EXCLUDED.method, late = EXCLUDED.late, first_in_at = EXCLUDED.first_in_at, recorded_by = EXCLUDED.recorded_by,
              recorded_at = EXCLUDED.recorded_at, undone_at = NULL, credited_sec = 0, credited_coverage = '[]'
        WHERE group_session_attendance.undone_at IS NOT NULL`,
      [session.id, userId, method, late, firstIn, byUserId, now],
    );
    let opened: unknown[];
    if (afterwards) {
      const [present] = await tx.query(
        `SELECT 1 FROM group_session_presence WHERE session_id = $1 AND user_id = $2 AND undone_at IS NULL LIMIT 1`,
        [session.id, userId],
      );
      if (present) return { late: await this.lateOf(tx, session.id, userId), alreadyPresent: true };
      opened = await tx.query(
        `INSERT INTO group_session_presence (session_id, user_id, from_at, to_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (session_id, user_id, from_at) DO UPDATE SET to_at = EXCLUDED.to_at, undone_at = NULL RETURNING 1`,
        [session.id, userId, session.starts_at, session.ends_at],
      );
    } else {
      opened = await tx.query(
        `INSERT INTO group_session_presence (session_id, user_id, from_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
        [session.id, userId, now],
      );
      if (!opened.length) {
        const [open] = await tx.query(
          `SELECT 1 FROM group_session_presence WHERE session_id = $1 AND user_id = $2 AND to_at IS NULL AND undone_at IS NULL`,
          [session.id, userId],
        );
        if (open) return { late: await this.lateOf(tx, session.id, userId), alreadyPresent: true };
        // A period that began at this very instant (checked out and in again at once, or undone): open it again.
        const [rows] = await tx.query(
          `UPDATE group_session_presence SET to_at = NULL, undone_at = NULL WHERE session_id = $1 AND user_id = $2 AND from_at = $3 RETURNING 1`,
          [session.id, userId, now],
        );
        opened = rows as unknown[];
      }
    }
    await tx.query(
      `INSERT INTO group_session_attendance_events (session_id, user_id, event, method, at, by_user_id, note)
       VALUES ($1, $2, 'checked_in', $3, $4, $5, $6)`,
      [session.id, userId, method, now, byUserId, note],
    );
    await this.recomputeCredit(tx, session.id, userId);
    return { late: await this.lateOf(tx, session.id, userId), alreadyPresent: false };
  }

  private async lateOf(tx: EntityManager, sessionId: string, userId: string): Promise<boolean> {
    const [row] = await tx.query(`SELECT late FROM group_session_attendance WHERE session_id = $1 AND user_id = $2`, [sessionId, userId]);
    return Boolean(row?.late);
  }

  /** Closes the member's open period now; false when they were not checked in (nothing written). */
  private async checkOut(
    tx: EntityManager,
    session: SessionRow,
    userId: string,
    byUserId: string,
    method: AttendanceMethod | null,
    note: string | null,
  ): Promise<boolean> {
    const now = this.now();
    const [closed] = await tx.query(
      `UPDATE group_session_presence SET to_at = GREATEST(from_at, $3)
        WHERE session_id = $1 AND user_id = $2 AND to_at IS NULL AND undone_at IS NULL RETURNING 1`,
      [session.id, userId, now],
    );
    if (!(closed as unknown[]).length) return false;
    await tx.query(
      `INSERT INTO group_session_attendance_events (session_id, user_id, event, method, at, by_user_id, note)
       VALUES ($1, $2, 'checked_out', $3, $4, $5, $6)`,
      [session.id, userId, method, now, byUserId, note],
    );
    await this.recomputeCredit(tx, session.id, userId);
    return true;
  }

  /**
   * A member checks themselves in with the screen's code: with `sessionId` (the QR link) to that session, else to the
   * one live session on their roster whose current or previous code it is. Wrong codes are counted (429 past the limit).
   */
  async checkin(principal: Principal, input: CheckinInput): Promise<CheckinResult> {
    await this.throttle.assertOpen(principal.userId);
    const now = this.clock.now();
    let sessionId: string;
    if (input.sessionId) {
      await this.sweep([input.sessionId]);
      const session = await this.session(input.sessionId);
      if (!session || !(await this.onRoster(this.db, session.id, session.unit_path, principal.userId))) {
        throw new NotFoundException('No such group session among those you may attend. Ask the person leading it.');
      }
      const refusal = selfCheckinRefusal(clockState(session), now);
      if (refusal) throw new ConflictException(refusal);
      if (!codeMatches(session.code_secret, input.code, now)) await this.wrongCode(principal);
      sessionId = session.id;
    } else {
      const [me] = await this.db.query(`SELECT o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.id = $1`, [
        principal.userId,
      ]);
      const candidates: Array<{ id: string }> = await this.db.query(
        `SELECT s.id FROM group_sessions s JOIN org_units o ON o.id = s.org_unit_id
          WHERE s.status IN ('planned', 'live')
            AND (($2::text = o.path OR $2::text LIKE o.path || '/%')
                 OR EXISTS (SELECT 1 FROM group_session_attendance a WHERE a.session_id = s.id AND a.user_id = $1))`,
        [principal.userId, me?.path ?? ''],
      );
      if (candidates.length) await this.sweep(candidates.map((c) => c.id));
      const matching: string[] = [];
      for (const { id } of candidates) {
        const session = await this.session(id);
        if (!session || selfCheckinRefusal(clockState(session), now)) continue;
        if (!(await this.onRoster(this.db, id, session.unit_path, principal.userId))) continue;
        if (codeMatches(session.code_secret, input.code, now)) matching.push(id);
      }
      if (!matching.length) await this.wrongCode(principal);
      if (matching.length > 1) {
        throw new ConflictException('This code matches more than one session right now. Scan the QR code on your screen instead.');
      }
      sessionId = matching[0]!;
    }
    const method: AttendanceMethod = input.sessionId ? 'qr' : 'code';
    const outcome = await this.db.transaction(async (tx) => {
      const session = (await this.session(sessionId, tx, 'FOR SHARE'))!;
      const refusal = selfCheckinRefusal(clockState(session), this.clock.now());
      if (refusal) throw new ConflictException(refusal);
      return this.checkIn(tx, session, principal.userId, principal.userId, method, null);
    });
    const [summary] = await this.summaries([sessionId]);
    return { session: summary!, ...outcome };
  }

  private async wrongCode(principal: Principal): Promise<never> {
    await this.throttle.recordWrong(principal.userId);
    throw new HttpException(
      {
        statusCode: 400,
        message: 'This code has changed or is not right. Look at the screen again and type the code it shows now, or scan its QR code.',
      },
      400,
    );
  }

  /** A member checks themselves out of a session they are present at. */
  async checkoutSelf(principal: Principal, id: string): Promise<CheckoutResult> {
    await this.sweep([id]);
    const checkedOut = await this.db.transaction(async (tx) => {
      const { session } = await this.visible(principal, id, tx, 'FOR SHARE');
      if (session.status !== 'live' && session.status !== 'planned') {
        throw new ConflictException('This session is over; there is nothing to check out of.');
      }
      return this.checkOut(tx, session, principal.userId, principal.userId, null, null);
    });
    const [summary] = await this.summaries([id]);
    return { session: summary!, checkedOut };
  }
}
