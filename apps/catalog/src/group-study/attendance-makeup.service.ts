import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { isWithinScope, type Principal } from '#auth';
import { GROUP_MAKEUP_NOTICE_KIND, type GroupMakeupNoWindow, type GroupMakeupResult } from '#contracts';
import { NoticesService } from '../notices/notices.service.js';
import { planLectures, planMembers } from '../study/plan-scope.sql.js';
import { STUDY_OPTIONS, type StudyOptions } from '../study/study-options.js';
import { makeupRefusal, makeupUntil, mayGiveMakeup } from './attendance-rules.js';
import { AttendanceReportsService } from './attendance-reports.service.js';

const REFUSALS = {
  not_collective: 'Only a collective viewing has a lecture to make up; an in-person session has none.',
  no_lecture: 'This session names no lecture, so there is nothing to make up.',
  not_ended: 'The session has not ended yet: end it first, then give its absentees make-up.',
} as const;

/**
 * Gives a collective viewing's absentees its lecture as make-up, in one transaction: through the make-up window of
 * every open plan that covers them and counts the lecture (`study_plan_makeup`), recorded per absentee
 * (`group_session_makeups`), with an in-app notice to each. Giving it again grants only absentees not yet granted.
 */
@Injectable()
export class AttendanceMakeupService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly notices: NoticesService,
    private readonly reports: AttendanceReportsService,
    @Inject(STUDY_OPTIONS) private readonly options: StudyOptions,
  ) {}

  async grant(principal: Principal, sessionId: string, withoutWindow: boolean): Promise<GroupMakeupResult> {
    return this.db.transaction(async (tx) => {
      // One grant of a session at a time: a second waits, then finds the absentees already granted.
      const [session]: Array<{
        id: string;
        kind: string;
        status: string;
        lecture_id: string | null;
        title: string | null;
        unit_path: string;
        created_by: string;
        day: string | null;
      }> = await tx.query(
        `SELECT gs.id, gs.kind, gs.status, gs.lecture_id, l.title, o.path AS unit_path, gs.created_by,
                to_char((gs.starts_at AT TIME ZONE $2)::date, 'YYYY-MM-DD') AS day
           FROM group_sessions gs JOIN org_units o ON o.id = gs.org_unit_id LEFT JOIN lectures l ON l.id = gs.lecture_id
          WHERE gs.id = $1
            FOR UPDATE OF gs`,
        [sessionId, this.options.timeZone],
      );
      const leader = await this.reports.leaderFacts(principal, tx);
      const allowed =
        Boolean(session) && mayGiveMakeup({ ...leader, startedIt: session!.created_by === principal.userId }, session!.unit_path);
      if (!session || (!allowed && !this.seesSession(principal.role, leader.unitPath, session.unit_path))) {
        throw new NotFoundException('No such group session in your organisation.');
      }

      const absentees = session.day ? await this.absentees(tx, session.id, session.unit_path, session.day) : [];
      const granted = new Set(
        (
          (await tx.query(`SELECT user_id FROM group_session_makeups WHERE session_id = $1`, [session.id])) as Array<{ user_id: string }>
        ).map((r) => r.user_id),
      );
      const fresh = absentees.filter((id) => !granted.has(id));
      const again = absentees.filter((id) => granted.has(id));
      const windows = session.lecture_id ? await this.windows(tx, session.lecture_id, absentees) : new Map<string, PlanWindow[]>();
      const refusal = makeupRefusal({
        allowed,
        kind: session.kind,
        status: session.status,
        lectureId: session.lecture_id,
        newAbsentees: fresh.length,
        newWithWindow: fresh.filter((id) => windows.get(id)?.length).length,
        withoutWindow,
      });
      if (refusal?.reason === 'not_leader') {
        throw new ForbiddenException("Only admins of the session's unit and the session's leaders give its absentees make-up.");
      }
      if (refusal?.reason === 'no_window') {
        const body: GroupMakeupNoWindow = {
          statusCode: 409,
          code: 'no_makeup_window',
          absentees: fresh.length,
          message:
            'No open study plan that covers these absentees and counts this lecture has a make-up window. Open a make-up ' +
            'window on the plan (Reports → the plan → make-up), then give make-up again; or send { "withoutWindow": true } to record ' +
            'the make-up and tell the absentees now, without it counting toward a plan.',
        };
        throw new ConflictException(body);
      }
      if (refusal) throw new ConflictException(REFUSALS[refusal.reason]);

      // Into every window that covers them: absentees granted before too, so a window opened since is added.
      const pairs = absentees.flatMap((userId) => (windows.get(userId) ?? []).map((w) => [w.id, userId] as const));
      if (pairs.length) {
        await tx.query(
          `INSERT INTO study_plan_makeup (plan_id, user_id)
           SELECT * FROM unnest($1::uuid[], $2::uuid[]) ON CONFLICT DO NOTHING`,
          [pairs.map(([plan]) => plan), pairs.map(([, user]) => user)],
        );
      }
      const planIds = (userId: string) => (windows.get(userId) ?? []).map((w) => w.id);
      if (again.length) {
        await tx.query(
          `UPDATE group_session_makeups m
              SET plan_ids = ARRAY(SELECT DISTINCT unnest(m.plan_ids || x.plan_ids::uuid[]) ORDER BY 1)
             FROM jsonb_to_recordset($2::jsonb) AS x(user_id uuid, plan_ids text[])
            WHERE m.session_id = $1 AND m.user_id = x.user_id`,
          [session.id, JSON.stringify(again.map((userId) => ({ user_id: userId, plan_ids: planIds(userId) })))],
        );
      }
      const inserted: Array<{ user_id: string }> = fresh.length
        ? await tx.query(
            `INSERT INTO group_session_makeups (session_id, user_id, lecture_id, plan_ids, granted_by)
             SELECT $1, x.user_id, $2, x.plan_ids::uuid[], $3
               FROM jsonb_to_recordset($4::jsonb) AS x(user_id uuid, plan_ids text[])
             ON CONFLICT DO NOTHING
             RETURNING user_id`,
            [
              session.id,
              session.lecture_id,
              principal.userId,
              JSON.stringify(fresh.map((userId) => ({ user_id: userId, plan_ids: planIds(userId) }))),
            ],
          )
        : [];

      // One notice per absentee granted now, naming the last day the make-up counts toward all their plans.
      const byDay = new Map<string | null, string[]>();
      for (const { user_id: userId } of inserted) {
        const until = makeupUntil((windows.get(userId) ?? []).map((w) => w.until));
        byDay.set(until, [...(byDay.get(until) ?? []), userId]);
      }
      let notified = 0;
      for (const [until, userIds] of byDay) {
        notified += await this.notices.notify(tx, userIds, {
          kind: GROUP_MAKEUP_NOTICE_KIND,
          params: { title: session.title ?? '', ...(until ? { until } : {}) },
          link: `/lectures/${session.lecture_id}`,
        });
      }

      const plans = new Map<string, PlanWindow>();
      for (const userId of absentees) for (const w of windows.get(userId) ?? []) plans.set(w.id, w);
      return {
        absentees: absentees.length,
        granted: inserted.length,
        alreadyGranted: absentees.length - inserted.length,
        withoutWindow: inserted.filter(({ user_id: userId }) => !windows.get(userId)?.length).length,
        notified,
        plans: [...plans.values()]
          .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.id.localeCompare(b.id))
          .map((w) => ({ id: w.id, name: w.name, makeupUntil: w.until })),
      };
    });
  }

  /** An admin whose subtree lies under the session's unit reads it in the reports: refused with 403, not 404. */
  private seesSession(role: string, callerPath: string, sessionPath: string): boolean {
    return role === 'admin' && (isWithinScope(callerPath, sessionPath) || isWithinScope(sessionPath, callerPath));
  }

  /** Active members of the session's roster on its day (its unit's subtree) who did not attend. */
  private async absentees(tx: EntityManager, sessionId: string, unitPath: string, day: string): Promise<string[]> {
    const rows: Array<{ user_id: string }> = await tx.query(
      `SELECT p.user_id
         FROM org_units mo
         JOIN member_unit_periods p ON p.org_unit_id = mo.id AND p.from_day <= $3::date AND (p.to_day IS NULL OR $3::date < p.to_day)
         JOIN users u ON u.id = p.user_id AND u.role = 'member' AND u.active
        WHERE (mo.path = $2 OR mo.path LIKE $2 || '/%')
          AND NOT EXISTS (SELECT 1 FROM group_session_attendance a WHERE a.session_id = $1 AND a.user_id = p.user_id AND a.undone_at IS NULL)
        ORDER BY p.user_id`,
      [sessionId, unitPath, day],
    );
    return rows.map((r) => r.user_id);
  }

  /**
   * For each absentee, the open plans (not closed) whose make-up window is set and not over, that count the lecture
   * and that apply to them now (`planMembers`).
   */
  private async windows(tx: EntityManager, lectureId: string, userIds: readonly string[]): Promise<Map<string, PlanWindow[]>> {
    const found = new Map<string, PlanWindow[]>();
    if (!userIds.length) return found;
    const plans: PlanWindow[] = await tx.query(
      `SELECT p.id, p.name, to_char(p.makeup_until, 'YYYY-MM-DD') AS until
         FROM study_plans p
        WHERE p.closed_at IS NULL AND p.makeup_until IS NOT NULL AND p.makeup_until >= (now() AT TIME ZONE $2)::date
          AND EXISTS (SELECT 1 FROM (${planLectures('p.id')}) pl WHERE pl.lecture_id = $1)
        ORDER BY p.id`,
      [lectureId, this.options.timeZone],
    );
    for (const plan of plans) {
      const members: Array<{ user_id: string }> = await tx.query(
        `SELECT pm.user_id FROM (${planMembers('$1::uuid')}) pm WHERE pm.user_id = ANY($2::uuid[])`,
        [plan.id, userIds],
      );
      for (const { user_id: userId } of members) found.set(userId, [...(found.get(userId) ?? []), plan]);
    }
    return found;
  }
}

interface PlanWindow {
  id: string;
  name: string;
  until: string;
}
