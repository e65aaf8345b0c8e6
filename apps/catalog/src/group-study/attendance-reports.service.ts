import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  decimalHours,
  GROUP_REPORT_ABSENTEES_NAMED,
  type GroupReportMemberRow,
  type GroupReportSessionRow,
  type GroupReportUnitRow,
  type GroupSessionKind,
  type GroupSessionStatus,
} from '#contracts';
import type { Principal } from '#auth';
import { ScopeService } from '../org/scope.service.js';
import { STUDY_OPTIONS, type StudyOptions } from '../study/study-options.js';
import { attendanceRate, mayGiveMakeup } from './attendance-rules.js';
import { REVIEWING_POSITIONS } from '../reflections/reflection-rules.js';

/** Positions whose holders lead group study for their unit's subtree (as the session pages decide). */
const LEADING_POSITIONS = REVIEWING_POSITIONS;

export interface GroupReportQuery {
  from: string;
  to: string;
  unitId?: string;
}

export interface ReportRoot {
  id: string;
  name: string;
  path: string;
}

/**
 * The roster places of the period's sessions held for the members of `$1` (a unit path): one row per session and
 * member who was, on the session's day (`member_unit_periods`), in the session unit's subtree and in `$1`'s, and is
 * active now or attended; plus anyone else of `$1`'s subtree who attended (a place they took). An attendance taken
 * back (`undone_at`) counts as none. Held: `status = 'ended'`, dated by `starts_at` on the study calendar ($4).
 * `$2`/`$3` are the period's first and last day.
 */
const PLACES = `
  held AS (
    SELECT gs.id AS session_id, gs.kind, gs.recorded_afterwards, so.path AS session_path,
           (gs.starts_at AT TIME ZONE $4)::date AS day
      FROM group_sessions gs JOIN org_units so ON so.id = gs.org_unit_id
     WHERE gs.status = 'ended'
       AND gs.starts_at >= ($2::date)::timestamp AT TIME ZONE $4 AND gs.starts_at < ($3::date + 1)::timestamp AT TIME ZONE $4
       AND (so.path = $1 OR so.path LIKE $1 || '/%' OR $1 LIKE so.path || '/%')
  ),
  attended AS (
    SELECT a.session_id, a.user_id, a.late, a.method, a.credited_sec
      FROM group_session_attendance a
     WHERE a.session_id IN (SELECT session_id FROM held) AND a.undone_at IS NULL
  ),
  roster AS (
    SELECT h.session_id, p.user_id, mo.id AS unit_id, mo.path AS unit_path, mo.name AS unit_name, u.active
      FROM held h
      JOIN org_units mo ON (mo.path = h.session_path OR mo.path LIKE h.session_path || '/%') AND (mo.path = $1 OR mo.path LIKE $1 || '/%')
      JOIN member_unit_periods p ON p.org_unit_id = mo.id AND p.from_day <= h.day AND (p.to_day IS NULL OR h.day < p.to_day)
      JOIN users u ON u.id = p.user_id AND u.role = 'member'
  ),
  joined AS (
    SELECT coalesce(r.session_id, a.session_id) AS session_id, coalesce(r.user_id, a.user_id) AS user_id,
           r.unit_id, r.unit_path, r.unit_name, coalesce(r.active, false) AS active,
           a.user_id IS NOT NULL AS attended, a.late, a.method, a.credited_sec
      FROM roster r FULL JOIN attended a ON a.session_id = r.session_id AND a.user_id = r.user_id
  ),
  places AS (
    SELECT j.session_id, h.kind, h.day, h.recorded_afterwards, j.user_id,
           coalesce(j.unit_id, o.id) AS unit_id, coalesce(j.unit_path, o.path) AS unit_path, coalesce(j.unit_name, o.name) AS unit_name,
           j.attended, coalesce(j.late, false) AS late,
           (j.attended AND (j.method = 'afterwards' OR h.recorded_afterwards)) AS afterwards,
           coalesce(j.credited_sec, 0) AS credited_sec
      FROM joined j
      JOIN held h ON h.session_id = j.session_id
      -- Attendees from outside the roster: in the unit they belonged to on the day, if it lies in $1's subtree.
      LEFT JOIN LATERAL (
        SELECT mo.id, mo.path, mo.name
          FROM member_unit_periods p JOIN org_units mo ON mo.id = p.org_unit_id JOIN users u ON u.id = p.user_id AND u.role = 'member'
         WHERE j.unit_id IS NULL AND p.user_id = j.user_id AND p.from_day <= h.day AND (p.to_day IS NULL OR h.day < p.to_day)
           AND (mo.path = $1 OR mo.path LIKE $1 || '/%')
      ) o ON true
     WHERE (j.unit_id IS NOT NULL AND (j.active OR j.attended)) OR o.id IS NOT NULL
  )`;

/**
 * Group study attendance for a period, read live: per unit (its subtree rolled up), per member and per session,
 * always within the reader's subtree. A session is counted for the members it was held for (its unit's subtree on
 * its day), so a committee's collective viewing appears in every branch's figures, for that branch's members only.
 */
@Injectable()
export class AttendanceReportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
    @Inject(STUDY_OPTIONS) private readonly options: StudyOptions,
  ) {}

  /** The unit the report is about: the one asked for (in the caller's subtree, else 404), or the caller's own. */
  async rootFor(principal: Principal, unitId?: string): Promise<ReportRoot> {
    const unit = unitId ? await this.scope.unitInScope(principal, unitId) : await this.scope.rootOf(principal);
    return { id: unit.id, name: unit.name, path: unit.path };
  }

  /**
   * Without a unit: every unit of the caller's subtree; with one: that unit and the units right below it. Each row
   * carries its subtree's figures.
   */
  async units(root: ReportRoot, query: GroupReportQuery): Promise<GroupReportUnitRow[]> {
    const rows: Array<{
      id: string;
      parent_id: string | null;
      name: string;
      path: string;
      kind: string;
      depth: number;
      collective: number;
      in_person: number;
      places: number;
      attended: number;
      credited: number | null;
    }> = await this.db.query(
      `WITH ${PLACES},
       per_unit AS (
         SELECT session_id, kind, unit_path, count(*)::int AS places, count(*) FILTER (WHERE attended)::int AS attended,
                sum(credited_sec) AS credited
           FROM places GROUP BY session_id, kind, unit_path
       ),
       shown AS (
         SELECT u.* FROM org_units u
          WHERE CASE WHEN $5 THEN u.path = $1 OR u.parent_id = (SELECT id FROM org_units WHERE path = $1)
                     ELSE u.path = $1 OR u.path LIKE $1 || '/%' END
       )
       SELECT s.id, s.parent_id, s.name, s.path, s.kind, s.depth,
              count(DISTINCT x.session_id) FILTER (WHERE x.kind = 'collective')::int AS collective,
              count(DISTINCT x.session_id) FILTER (WHERE x.kind = 'in_person')::int AS in_person,
              coalesce(sum(x.places), 0)::int AS places,
              coalesce(sum(x.attended), 0)::int AS attended,
              coalesce(sum(x.credited), 0)::float8 AS credited
         FROM shown s
         LEFT JOIN per_unit x ON x.unit_path = s.path OR x.unit_path LIKE s.path || '/%'
        GROUP BY s.id, s.parent_id, s.name, s.path, s.kind, s.depth
        ORDER BY s.path`,
      [root.path, query.from, query.to, this.options.timeZone, Boolean(query.unitId)],
    );
    return rows.map((r) => {
      const creditedSec = Math.round(Number(r.credited) || 0);
      return {
        unitId: r.id,
        parentId: r.parent_id,
        unitName: r.name,
        unitPath: r.path,
        kind: r.kind,
        depth: r.depth,
        collectiveSessions: r.collective,
        inPersonSessions: r.in_person,
        attendances: r.attended,
        rosterPlaces: r.places,
        attendanceRate: attendanceRate(r.attended, r.places),
        creditedSec,
        creditedHours: decimalHours(creditedSec),
      };
    });
  }

  /** Members who had a place at a session of the period, by unit path and name; `page` null: all of them (files). */
  async members(
    root: ReportRoot,
    query: GroupReportQuery,
    page: { page: number; limit: number } | null,
  ): Promise<{ rows: GroupReportMemberRow[]; total: number }> {
    const params: unknown[] = [root.path, query.from, query.to, this.options.timeZone];
    const window = page ? `LIMIT $5 OFFSET $6` : '';
    if (page) params.push(page.limit, (page.page - 1) * page.limit);
    const rows: Array<{
      user_id: string;
      name: string;
      login: string;
      unit_name: string;
      unit_path: string;
      held: number;
      attended: number;
      late: number;
      afterwards: number;
      credited: number | null;
      total: number;
    }> = await this.db.query(
      `WITH ${PLACES},
       per_member AS (
         SELECT user_id, count(*)::int AS held, count(*) FILTER (WHERE attended)::int AS attended,
                count(*) FILTER (WHERE late)::int AS late, count(*) FILTER (WHERE afterwards)::int AS afterwards,
                sum(credited_sec)::float8 AS credited,
                (array_agg(unit_path ORDER BY day DESC, session_id))[1] AS unit_path,
                (array_agg(unit_name ORDER BY day DESC, session_id))[1] AS unit_name
           FROM places GROUP BY user_id
       )
       SELECT m.*, u.name, u.login, count(*) OVER ()::int AS total
         FROM per_member m JOIN users u ON u.id = m.user_id
        ORDER BY m.unit_path, u.name, u.login, u.id
        ${window}`,
      params,
    );
    const total = rows[0]?.total ?? (page && page.page > 1 ? await this.memberCount(root, query) : 0);
    return {
      total,
      rows: rows.map((r) => {
        const creditedSec = Math.round(Number(r.credited) || 0);
        return {
          userId: r.user_id,
          name: r.name,
          login: r.login,
          unitName: r.unit_name,
          unitPath: r.unit_path,
          sessionsHeld: r.held,
          attended: r.attended,
          absent: r.held - r.attended,
          late: r.late,
          recordedAfterwards: r.afterwards,
          attendanceRate: attendanceRate(r.attended, r.held),
          creditedSec,
          creditedHours: decimalHours(creditedSec),
        };
      }),
    };
  }

  private async memberCount(root: ReportRoot, query: GroupReportQuery): Promise<number> {
    const [{ total }] = await this.db.query(`WITH ${PLACES} SELECT count(DISTINCT user_id)::int AS total FROM places`, [
      root.path,
      query.from,
      query.to,
      this.options.timeZone,
    ]);
    return total;
  }

  /** Sessions of the period held for members of the subtree, newest first, with their absentees there. */
  async sessions(
    principal: Principal,
    root: ReportRoot,
    query: GroupReportQuery,
    page: { page: number; limit: number } | null,
  ): Promise<{ rows: GroupReportSessionRow[]; total: number }> {
    const params: unknown[] = [root.path, query.from, query.to, this.options.timeZone, GROUP_REPORT_ABSENTEES_NAMED];
    const window = page ? `LIMIT $6 OFFSET $7` : '';
    if (page) params.push(page.limit, (page.page - 1) * page.limit);
    const rows: Array<{
      id: string;
      kind: GroupSessionKind;
      status: GroupSessionStatus;
      title: string;
      course_title: string | null;
      lecture_id: string | null;
      unit_id: string;
      unit_name: string;
      unit_path: string;
      day: string;
      starts_at: string;
      recorded_afterwards: boolean;
      created_by: string;
      places: number;
      attended: number;
      late: number;
      credited: number | null;
      makeups: number;
      absentees: Array<{ userId: string; name: string; login: string; unitName: string; makeupGiven: boolean }> | null;
      total: number;
    }> = await this.db.query(
      `WITH ${PLACES},
       per_session AS (
         SELECT session_id, day, count(*)::int AS places, count(*) FILTER (WHERE attended)::int AS attended,
                count(*) FILTER (WHERE late)::int AS late, sum(credited_sec)::float8 AS credited
           FROM places GROUP BY session_id, day
       ),
       page AS (
         SELECT x.*, gs.starts_at, count(*) OVER ()::int AS total
           FROM per_session x JOIN group_sessions gs ON gs.id = x.session_id
          ORDER BY gs.starts_at DESC, x.session_id
          ${window}
       ),
       -- The page's absentees in one pass: numbered per session, with whether they were given make-up.
       absent AS (
         SELECT pl.session_id, pl.user_id, u.name, u.login, pl.unit_name, pl.unit_path, m.user_id IS NOT NULL AS makeup_given,
                row_number() OVER (PARTITION BY pl.session_id ORDER BY pl.unit_path, u.name, u.login, pl.user_id) AS rn
           FROM places pl
           JOIN users u ON u.id = pl.user_id
           LEFT JOIN group_session_makeups m ON m.session_id = pl.session_id AND m.user_id = pl.user_id
          WHERE NOT pl.attended AND pl.session_id IN (SELECT session_id FROM page)
       ),
       absent_lists AS (
         SELECT session_id, count(*) FILTER (WHERE makeup_given)::int AS makeups,
                json_agg(json_build_object('userId', user_id, 'name', name, 'login', login, 'unitName', unit_name,
                                           'makeupGiven', makeup_given) ORDER BY rn) FILTER (WHERE rn <= $5) AS absentees
           FROM absent GROUP BY session_id
       )
       SELECT pg.session_id AS id, gs.kind, gs.status, coalesce(l.title, gs.topic) AS title, c.title AS course_title,
              gs.lecture_id, o.id AS unit_id, o.name AS unit_name, o.path AS unit_path, to_char(pg.day, 'YYYY-MM-DD') AS day,
              to_char(gs.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS starts_at,
              gs.recorded_afterwards, gs.created_by, pg.places, pg.attended, pg.late, pg.credited, pg.total,
              coalesce(al.makeups, 0) AS makeups, al.absentees
         FROM page pg
         LEFT JOIN absent_lists al ON al.session_id = pg.session_id
         JOIN group_sessions gs ON gs.id = pg.session_id
         JOIN org_units o ON o.id = gs.org_unit_id
         LEFT JOIN lectures l ON l.id = gs.lecture_id
         LEFT JOIN courses c ON c.id = l.course_id
        ORDER BY pg.starts_at DESC, pg.session_id`,
      params,
    );
    const leader = await this.leaderFacts(principal);
    return {
      total: rows[0]?.total ?? 0,
      rows: rows.map((r) => {
        const creditedSec = Math.round(Number(r.credited) || 0);
        const canManage = mayGiveMakeup({ ...leader, startedIt: r.created_by === principal.userId }, r.unit_path);
        return {
          sessionId: r.id,
          kind: r.kind,
          status: r.status,
          title: r.title,
          courseTitle: r.course_title,
          lectureId: r.lecture_id,
          unitId: r.unit_id,
          unitName: r.unit_name,
          unitPath: r.unit_path,
          day: r.day,
          startsAt: r.starts_at,
          recordedAfterwards: r.recorded_afterwards,
          rosterPlaces: r.places,
          attendances: r.attended,
          attendanceRate: attendanceRate(r.attended, r.places),
          late: r.late,
          absent: r.places - r.attended,
          creditedSec,
          absentees: r.absentees ?? [],
          makeupGiven: r.makeups,
          canGiveMakeup: canManage && r.kind === 'collective' && r.status === 'ended' && Boolean(r.lecture_id),
        };
      }),
    };
  }

  /** The caller's role, unit path and the units where they hold a leading position now (group leader, secretary). */
  async leaderFacts(principal: Principal, db: Pick<DataSource, 'query'> = this.db) {
    const rows: Array<{ path: string }> = await db.query(
      `SELECT o.path FROM member_positions mp JOIN org_units o ON o.id = mp.org_unit_id
        WHERE mp.user_id = $1 AND mp.ended_on IS NULL AND mp.position_code = ANY($2::text[])`,
      [principal.userId, [...LEADING_POSITIONS]],
    );
    const root = await this.scope.rootOf(principal);
    return { role: principal.role, unitPath: root.path, positionPaths: rows.map((r) => r.path) };
  }
}
