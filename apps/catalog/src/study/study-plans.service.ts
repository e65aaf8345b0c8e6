import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { isWithinScope, type Principal } from '#auth';
import { planProgress, type PlanProgress, type PlanRules } from '#watch';
import {
  examResults,
  memberExamResult,
  planExams,
  type ExamResultRow,
  type MemberExamResult,
  type PlanExamRow,
} from '../exams/reports/exam-results.sql.js';
import { ScopeService } from '../org/scope.service.js';
import { STUDY_OPTIONS, type StudyOptions } from './study-options.js';
import { countsTowardPlan, inPersonAttendance, planLectures, planMembers } from './plan-scope.sql.js';
import { memberReflections, reflectionProgress, type ReflectionRow } from './plan-reflections.sql.js';
import type { CreatePlanInput } from './plan.schemas.js';
import type { PlanStudyRules } from '#contracts';

export interface PlanView {
  id: string;
  name: string;
  ownerUnit: { id: string; name: string; path: string };
  periodStart: string;
  periodEnd: string;
  requiredHours: number;
  mode: 'watch_time' | 'per_lecture';
  creditHoursPerLecture: number | null;
  completionThreshold: number;
  units: Array<{ id: string; name: string; path: string }>;
  categories: string[];
  /** Position codes the plan is for (members holding one now); empty: no position needed. */
  positions: string[];
  positionKinds: Array<{ code: string; nameZh: string; nameEn: string }>;
  /** Training classes the plan is for (members enrolled now); empty: no class needed. */
  classIds: string[];
  classes: Array<{ id: string; name: string; ownerUnitId: string }>;
  courseIds: string[] | null;
  compulsoryLectureIds: string[];
  /** Exams a member must pass for the plan to be met. */
  exams: Array<{ id: string; title: string }>;
  /** Accepted learning reflections a member must have for the plan to be met (0: none). */
  requiredReflections: number;
  makeupUntil: string | null;
  closedAt: string | null;
  memberCount: number;
  /** How the plan counts study time (see `countStudy` in libs/watch). */
  studyRules: PlanStudyRules;
}

export interface PlanRow {
  id: string;
  name: string;
  owner_unit_id: string;
  owner_name: string;
  owner_path: string;
  period_start: string;
  period_end: string;
  required_hours: string;
  mode: 'watch_time' | 'per_lecture';
  credit_hours_per_lecture: string | null;
  completion_threshold: number;
  all_courses: boolean;
  makeup_until: string | null;
  closed_at: Date | null;
  start_ms: string;
  end_ms: string;
  /** Accepted reflections required; absent (as in rows made before the column) is none. */
  required_reflections?: number;
  /** How study counts (1732000027000); absent (rows read by older selects): the defaults. */
  daily_limit_hours?: string | null;
  minutes_per_study_hour?: string;
  min_lecture_minutes?: string | null;
  counts_speedup?: boolean;
  counts_audio?: boolean;
  counts_collective?: boolean;
  counts_in_person?: boolean;
  in_person_max_hours?: string | null;
  checkin_min_minutes?: number | null;
  checkin_max_minutes?: number | null;
  /** Minutes that make a material read (1732000033000); null or absent: reading does not count. */
  material_read_minutes?: number | null;
}

/** The plan's study rules as `countStudy` takes them (absent columns: the defaults). */
export function studyRulesOf(plan: PlanRow): StudyRulesInput {
  const num = (v: string | null | undefined) => (v === null || v === undefined ? null : Number(v));
  return {
    dailyLimitHours: num(plan.daily_limit_hours),
    minutesPerStudyHour: num(plan.minutes_per_study_hour) ?? 60,
    minLectureMinutes: num(plan.min_lecture_minutes),
    countsSpeedup: plan.counts_speedup ?? true,
    countsAudio: plan.counts_audio ?? true,
    countsCollective: plan.counts_collective ?? true,
    countsInPerson: plan.counts_in_person ?? true,
    inPersonMaxHours: num(plan.in_person_max_hours),
  };
}

/** A `study_daily` row as `countStudy` of libs/watch takes it. */
type StudyDayRowInput = {
  lectureId: string;
  day: string;
  creditedSec: number;
  audioSec: number;
  speedupSec: number;
  collectiveSec: number;
};

/** `StudyRules` of libs/watch, by shape. */
export type StudyRulesInput = NonNullable<PlanRules['study']>;

/** A plan's rules as the API answers them: how study counts, and the check-in interval (null: no check-ins). */
export function planStudyRules(plan: PlanRow): PlanStudyRules {
  const min = plan.checkin_min_minutes ?? null;
  const max = plan.checkin_max_minutes ?? null;
  return {
    ...studyRulesOf(plan),
    checkinMinutes: min === null || max === null ? null : { min, max },
    materialReadMinutes: plan.material_read_minutes ?? null,
  };
}

/** The study-rule columns of `study_plans p`, as `PlanRow` names them. */
export const PLAN_RULE_COLUMNS = `p.daily_limit_hours, p.minutes_per_study_hour, p.min_lecture_minutes, p.counts_speedup, p.counts_audio,
         p.counts_collective, p.counts_in_person, p.in_person_max_hours, p.checkin_min_minutes, p.checkin_max_minutes,
         p.material_read_minutes`;

const PLAN_SELECT = (timeZone: string) => `
  SELECT p.id, p.name, p.owner_unit_id, o.name AS owner_name, o.path AS owner_path,
         to_char(p.period_start, 'YYYY-MM-DD') AS period_start, to_char(p.period_end, 'YYYY-MM-DD') AS period_end,
         p.required_hours, p.mode, p.credit_hours_per_lecture, p.completion_threshold, p.all_courses,
         to_char(p.makeup_until, 'YYYY-MM-DD') AS makeup_until, p.closed_at, p.required_reflections,
         ${PLAN_RULE_COLUMNS},
         (extract(epoch FROM p.period_start::timestamp AT TIME ZONE '${timeZone}') * 1000)::bigint AS start_ms,
         (extract(epoch FROM (p.period_end + 1)::timestamp AT TIME ZONE '${timeZone}') * 1000)::bigint AS end_ms
    FROM study_plans p JOIN org_units o ON o.id = p.owner_unit_id`;

export function rulesOf(plan: PlanRow, compulsoryLectureIds: string[], requiredExamIds: string[] = []): PlanRules {
  const base = {
    requiredHours: Number(plan.required_hours),
    compulsoryLectureIds,
    requiredExamIds,
    planId: plan.id,
    requiredReflections: Number(plan.required_reflections ?? 0),
    periodStartMs: Number(plan.start_ms),
    periodEndMs: Number(plan.end_ms),
    study: studyRulesOf(plan),
  };
  return plan.mode === 'per_lecture'
    ? { ...base, mode: 'per_lecture', creditHoursPerLecture: Number(plan.credit_hours_per_lecture) }
    : base;
}

/** Study plans: who must study how many hours in which period, and each member's standing against them. */
@Injectable()
export class StudyPlansService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
    @Inject(STUDY_OPTIONS) private readonly options: StudyOptions,
  ) {}

  private get planSelect() {
    return PLAN_SELECT(this.options.timeZone.replace(/'/g, ''));
  }

  async create(principal: Principal, input: CreatePlanInput): Promise<PlanView> {
    const owner = await this.scope.rootOf(principal);
    const unitIds = input.unitIds.length ? [...new Set(input.unitIds)] : [owner.id];
    for (const unitId of unitIds) await this.scope.unitInScope(principal, unitId);
    await this.assertReferences(input);
    await this.assertTargets(input, owner.path);
    await this.assertExams(input, owner.path);
    await this.assertWatchable(input, unitIds);
    const id = await this.db.transaction(async (tx) => {
      const [plan] = await tx.query(
        `INSERT INTO study_plans (name, owner_unit_id, period_start, period_end, required_hours, mode, credit_hours_per_lecture,
                                  all_courses, completion_threshold, created_by, required_reflections,
                                  daily_limit_hours, minutes_per_study_hour, min_lecture_minutes, counts_speedup, counts_audio,
                                  counts_collective, counts_in_person, in_person_max_hours, checkin_min_minutes, checkin_max_minutes,
                                  material_read_minutes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) RETURNING id`,
        [
          input.name,
          owner.id,
          input.periodStart,
          input.periodEnd,
          input.requiredHours,
          input.mode,
          input.mode === 'per_lecture' ? input.creditHoursPerLecture : null,
          input.courseIds === null,
          input.completionThreshold,
          principal.userId,
          input.requiredReflections,
          input.dailyLimitHours,
          input.minutesPerStudyHour,
          input.mode === 'per_lecture' ? input.minLectureMinutes : null,
          input.countsSpeedup,
          input.countsAudio,
          input.countsCollective,
          input.countsInPerson,
          input.countsInPerson ? input.inPersonMaxHours : null,
          input.checkinMinMinutes,
          input.checkinMaxMinutes,
          input.materialReadMinutes,
        ],
      );
      await tx.query(`INSERT INTO study_plan_units (plan_id, org_unit_id) SELECT $1, unnest($2::uuid[])`, [plan.id, unitIds]);
      if (input.categories.length) {
        await tx.query(`INSERT INTO study_plan_categories (plan_id, category) SELECT $1, unnest($2::text[])`, [
          plan.id,
          [...new Set(input.categories)],
        ]);
      }
      if (input.positions.length) {
        await tx.query(`INSERT INTO study_plan_positions (plan_id, position_code) SELECT $1, unnest($2::text[])`, [
          plan.id,
          [...new Set(input.positions)],
        ]);
      }
      if (input.classIds.length) {
        await tx.query(`INSERT INTO study_plan_classes (plan_id, class_id) SELECT $1, unnest($2::uuid[])`, [
          plan.id,
          [...new Set(input.classIds)],
        ]);
      }
      if (input.courseIds?.length) {
        await tx.query(`INSERT INTO study_plan_courses (plan_id, course_id) SELECT $1, unnest($2::uuid[])`, [
          plan.id,
          [...new Set(input.courseIds)],
        ]);
      }
      if (input.compulsoryLectureIds.length) {
        await tx.query(
          `INSERT INTO study_plan_compulsory (plan_id, lecture_id, position) SELECT $1, id, ord - 1 FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, ord)`,
          [plan.id, [...new Set(input.compulsoryLectureIds)]],
        );
      }
      if (input.examIds.length) {
        await tx.query(`INSERT INTO study_plan_exams (plan_id, exam_id) SELECT $1, unnest($2::uuid[])`, [
          plan.id,
          [...new Set(input.examIds)],
        ]);
      }
      return plan.id as string;
    });
    return this.view(principal, id);
  }

  /** Plans an admin may read: those owned in their subtree, and those owned above it that reach into it. */
  async list(principal: Principal): Promise<PlanView[]> {
    const root = await this.scope.rootOf(principal);
    const rows: PlanRow[] = await this.db.query(
      `${this.planSelect}
        WHERE o.path = $1 OR o.path LIKE $1 || '/%'
           OR EXISTS (SELECT 1 FROM study_plan_units pu JOIN org_units u ON u.id = pu.org_unit_id
                       WHERE pu.plan_id = p.id AND ($1 = u.path OR $1 LIKE u.path || '/%' OR u.path LIKE $1 || '/%'))
        ORDER BY p.period_start DESC, p.name`,
      [root.path],
    );
    return Promise.all(rows.map((row) => this.describe(row)));
  }

  async view(principal: Principal, planId: string): Promise<PlanView> {
    return this.describe(await this.planFor(principal, planId));
  }

  /** The plan if the admin may read it; 404 otherwise. */
  async planFor(principal: Principal, planId: string): Promise<PlanRow> {
    const plans = await this.list(principal);
    if (!plans.some((p) => p.id === planId)) throw new NotFoundException('No such study plan in your organisation.');
    const [row] = await this.db.query(`${this.planSelect} WHERE p.id = $1`, [planId]);
    return row;
  }

  /** After the period, gives the members who fell short until `until` to catch up; their make-up study counts for this plan only. */
  async openMakeup(principal: Principal, planId: string, until: string): Promise<PlanView> {
    const plan = await this.planFor(principal, planId);
    const root = await this.scope.rootOf(principal);
    if (!isWithinScope(plan.owner_path, root.path)) throw new NotFoundException('Only the admins who own this plan can change it.');
    if (Date.now() < Number(plan.end_ms)) throw new ConflictException('The make-up window opens after the plan period has ended.');
    if (until <= plan.period_end) throw new BadRequestException('until: must be after the end of the plan period.');
    const standings = await this.standings(planId, plan);
    const short = standings.filter((s) => s.progress.status !== 'met').map((s) => s.userId);
    // A member once granted the window keeps it: moving or extending the window must not judge them again by the
    // make-up study it already counts, and take that study away. Newly short members are added.
    await this.db.transaction(async (tx) => {
      await tx.query(`UPDATE study_plans SET makeup_until = $2 WHERE id = $1`, [planId, until]);
      if (short.length) {
        await tx.query(`INSERT INTO study_plan_makeup (plan_id, user_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [
          planId,
          short,
        ]);
      }
    });
    return this.view(principal, planId);
  }

  /**
   * Each member in the plan with their progress, computed by the same rules as My study; `db` runs the
   * queries (a transaction's manager, to compute inside it).
   */
  async standings(
    planId: string,
    plan?: PlanRow,
    nowMs = Date.now(),
    onlyUserId: string | null = null,
    db: EntityManager = this.db.manager,
  ) {
    const row = plan ?? (await db.query(`${this.planSelect} WHERE p.id = $1`, [planId]))[0];
    const compulsory = await this.compulsoryIds(planId, db);
    const members: Array<{
      user_id: string;
      name: string;
      login: string;
      category: string | null;
      unit_path: string;
      org_unit_id: string;
    }> = await db.query(`SELECT * FROM (${planMembers('$1')}) pm WHERE $2::uuid IS NULL OR pm.user_id = $2`, [planId, onlyUserId]);
    const credits: Array<{
      user_id: string;
      lecture_id: string;
      credited: number;
      completed: boolean;
      duration_sec: number | null;
      last_day: string | null;
    }> = await db.query(
      `WITH pm AS (SELECT * FROM (${planMembers('$1')}) x WHERE $2::uuid IS NULL OR x.user_id = $2), pl AS (${planLectures('$1')})
       SELECT coalesce(c.user_id, d.user_id) AS user_id, coalesce(c.lecture_id, d.lecture_id) AS lecture_id,
              coalesce(c.credited, 0) AS credited, d.user_id IS NOT NULL AS completed, d.duration_sec, c.last_day
         FROM (SELECT sd.user_id, sd.lecture_id, sum(sd.credited_sec) AS credited, to_char(max(sd.day), 'YYYY-MM-DD') AS last_day
                 FROM study_daily sd JOIN pm ON pm.user_id = sd.user_id JOIN pl ON pl.lecture_id = sd.lecture_id
                WHERE ${countsTowardPlan('$1', 'sd.day', 'sd.user_id')}
                GROUP BY sd.user_id, sd.lecture_id) c
         FULL JOIN (SELECT lp.user_id, lp.lecture_id, lp.duration_sec FROM lecture_progress lp JOIN pm ON pm.user_id = lp.user_id
                     WHERE lp.completed_at IS NOT NULL
                       AND (lp.lecture_id IN (SELECT lecture_id FROM pl) OR lp.lecture_id IN (SELECT lecture_id FROM study_plan_compulsory WHERE plan_id = $1))
                       AND ${countsTowardPlan('$1', `(lp.completed_at AT TIME ZONE '${this.options.timeZone.replace(/'/g, '')}')::date`, 'lp.user_id')}) d
           ON d.user_id = c.user_id AND d.lecture_id = c.lecture_id`,
      [planId, onlyUserId],
    );
    const byUser = new Map<string, typeof credits>();
    for (const credit of credits) byUser.set(credit.user_id, [...(byUser.get(credit.user_id) ?? []), credit]);
    // The study time as the plan's rule counts it: each day's rows with their kinds, and in-person attendance.
    const users = `SELECT x.user_id FROM (${planMembers('$1')}) x WHERE $2::uuid IS NULL OR x.user_id = $2`;
    const dayRows: Array<{
      user_id: string;
      lecture_id: string;
      day: string;
      credited_sec: number;
      audio_sec: number;
      speedup_sec: number;
      collective_sec: number;
    }> = await db.query(
      `WITH pl AS (${planLectures('$1')})
       SELECT sd.user_id, sd.lecture_id, to_char(sd.day, 'YYYY-MM-DD') AS day, sd.credited_sec, sd.audio_sec, sd.speedup_sec, sd.collective_sec
         FROM study_daily sd JOIN pl ON pl.lecture_id = sd.lecture_id
        WHERE sd.user_id IN (${users}) AND ${countsTowardPlan('$1', 'sd.day', 'sd.user_id')}`,
      [planId, onlyUserId],
    );
    const inPersonRows: Array<{ user_id: string; day: string; sec: number }> = await db.query(
      `SELECT x.user_id, to_char(x.day, 'YYYY-MM-DD') AS day, x.sec FROM (${inPersonAttendance('$1', this.options.timeZone, users)}) x`,
      [planId, onlyUserId],
    );
    const timeOf = new Map<string, { rows: StudyDayRowInput[]; inPerson: Array<{ day: string; sec: number }> }>();
    const timeFor = (userId: string) => {
      let time = timeOf.get(userId);
      if (!time) timeOf.set(userId, (time = { rows: [], inPerson: [] }));
      return time;
    };
    for (const r of dayRows) {
      timeFor(r.user_id).rows.push({
        lectureId: r.lecture_id,
        day: r.day,
        creditedSec: Number(r.credited_sec),
        audioSec: Number(r.audio_sec),
        speedupSec: Number(r.speedup_sec),
        collectiveSec: Number(r.collective_sec),
      });
    }
    for (const r of inPersonRows) timeFor(r.user_id).inPerson.push({ day: r.day, sec: Number(r.sec) });
    const exams: PlanExamRow[] = await db.query(planExams('$1'), [planId]);
    const results: ExamResultRow[] = exams.length
      ? await db.query(
          `WITH pm AS (SELECT x.user_id FROM (${planMembers('$1')}) x WHERE $2::uuid IS NULL OR x.user_id = $2)
           ${examResults('a.exam_id IN (SELECT exam_id FROM study_plan_exams WHERE plan_id = $1) AND a.user_id IN (SELECT user_id FROM pm)', { plan: '$1', timeZone: this.options.timeZone })}`,
          [planId, onlyUserId],
        )
      : [];
    const resultOf = new Map(results.map((r) => [`${r.exam_id}/${r.user_id}`, r]));
    const reflectionRows: ReflectionRow[] =
      Number(row.required_reflections) > 0
        ? await db.query(
            memberReflections(
              '$1',
              this.options.timeZone,
              `SELECT x.user_id FROM (${planMembers('$1')}) x WHERE $2::uuid IS NULL OR x.user_id = $2`,
            ),
            [planId, onlyUserId],
          )
        : [];
    const reflectionsOf = new Map<string, ReflectionRow[]>();
    for (const r of reflectionRows) reflectionsOf.set(r.user_id, [...(reflectionsOf.get(r.user_id) ?? []), r]);
    const rules = rulesOf(
      row,
      compulsory,
      exams.map((e) => e.id),
    );
    return members.map((member) => {
      const lectures = byUser.get(member.user_id) ?? [];
      const examResultsOfMember: MemberExamResult[] = exams.map((exam) =>
        memberExamResult(exam, resultOf.get(`${exam.id}/${member.user_id}`)),
      );
      const progress: PlanProgress = planProgress(
        rules,
        lectures.map((l) => ({
          lectureId: l.lecture_id,
          creditedSec: Number(l.credited),
          completed: l.completed,
          durationSec: l.duration_sec === null ? undefined : Number(l.duration_sec),
        })),
        nowMs,
        examResultsOfMember,
        reflectionProgress(reflectionsOf.get(member.user_id) ?? []),
        timeOf.get(member.user_id) ?? { rows: [], inPerson: [] },
      );
      const lastDay =
        lectures
          .map((l) => l.last_day)
          .filter(Boolean)
          .sort()
          .pop() ?? null;
      return {
        userId: member.user_id,
        name: member.name,
        login: member.login,
        category: member.category,
        unitPath: member.unit_path,
        unitId: member.org_unit_id,
        lastStudyDay: lastDay,
        progress,
        exams: examResultsOfMember,
      };
    });
  }

  async compulsoryIds(planId: string, db: EntityManager = this.db.manager): Promise<string[]> {
    return (await db.query(`SELECT lecture_id FROM study_plan_compulsory WHERE plan_id = $1 ORDER BY position`, [planId])).map(
      (r: { lecture_id: string }) => r.lecture_id,
    );
  }

  /**
   * Plans that apply to one member: open plans by who they cover now, closed plans by whose results were
   * frozen, so a member moved or a unit renamed since still finds the closed plans they were in.
   */
  async plansOfMember(userId: string): Promise<PlanRow[]> {
    return this.db.query(
      `${this.planSelect}
        WHERE CASE WHEN p.closed_at IS NULL THEN EXISTS (SELECT 1 FROM (${planMembers('p.id')}) pm WHERE pm.user_id = $1)
                   ELSE EXISTS (SELECT 1 FROM study_plan_results r WHERE r.plan_id = p.id AND r.user_id = $1) END
        ORDER BY p.period_end DESC`,
      [userId],
    );
  }

  private async describe(row: PlanRow): Promise<PlanView> {
    const [units, categories, positions, classes, courses, compulsory, [{ count }], exams] = await Promise.all([
      this.db.query(
        `SELECT o.id, o.name, o.path FROM study_plan_units pu JOIN org_units o ON o.id = pu.org_unit_id WHERE pu.plan_id = $1 ORDER BY o.path`,
        [row.id],
      ),
      this.db.query(`SELECT category FROM study_plan_categories WHERE plan_id = $1 ORDER BY category`, [row.id]),
      this.db.query(
        `SELECT k.code, k.name_zh AS "nameZh", k.name_en AS "nameEn" FROM study_plan_positions pp JOIN position_kinds k ON k.code = pp.position_code
          WHERE pp.plan_id = $1 ORDER BY k.sort_order, k.code`,
        [row.id],
      ),
      this.db.query(
        `SELECT c.id, c.name, c.owner_unit_id AS "ownerUnitId" FROM study_plan_classes pc JOIN training_classes c ON c.id = pc.class_id
          WHERE pc.plan_id = $1 ORDER BY c.starts_on, c.name`,
        [row.id],
      ),
      this.db.query(`SELECT course_id FROM study_plan_courses WHERE plan_id = $1`, [row.id]),
      this.compulsoryIds(row.id),
      this.db.query(`SELECT count(*)::int AS count FROM (${planMembers('$1')}) pm`, [row.id]),
      this.db.query(planExams('$1'), [row.id]) as Promise<PlanExamRow[]>,
    ]);
    return {
      id: row.id,
      name: row.name,
      ownerUnit: { id: row.owner_unit_id, name: row.owner_name, path: row.owner_path },
      periodStart: row.period_start,
      periodEnd: row.period_end,
      requiredHours: Number(row.required_hours),
      mode: row.mode,
      creditHoursPerLecture: row.credit_hours_per_lecture === null ? null : Number(row.credit_hours_per_lecture),
      completionThreshold: row.completion_threshold,
      units,
      categories: categories.map((c: { category: string }) => c.category),
      positions: positions.map((k: { code: string }) => k.code),
      positionKinds: positions,
      classIds: classes.map((c: { id: string }) => c.id),
      classes,
      courseIds: row.all_courses ? null : courses.map((c: { course_id: string }) => c.course_id),
      compulsoryLectureIds: compulsory,
      exams: exams.map((e) => ({ id: e.id, title: e.title })),
      requiredReflections: Number(row.required_reflections ?? 0),
      makeupUntil: row.makeup_until,
      closedAt: row.closed_at?.toISOString() ?? null,
      memberCount: count,
      studyRules: planStudyRules(row),
    };
  }

  /**
   * Every course the plan names (as a plan course, or through a compulsory lecture) must be one every
   * member of the plan can watch: published, and shown to each unit of the plan (no audience, or one
   * naming that unit or a unit above it, as `VISIBLE_TO_MEMBER`). Otherwise some members could never
   * complete the plan. The first course that is not is named in the 400.
   */
  private async assertWatchable(input: CreatePlanInput, unitIds: string[]): Promise<void> {
    const courseIds = [...new Set(input.courseIds ?? [])];
    const lectureIds = [...new Set(input.compulsoryLectureIds)];
    if (!courseIds.length && !lectureIds.length) return;
    const rows: Array<{
      kind: 'course' | 'lecture';
      ord: number;
      lecture_title: string | null;
      title: string;
      status: string;
      hidden: boolean;
    }> = await this.db.query(
      `WITH named AS (
           SELECT 'course' AS kind, t.ord, c.id AS course_id, NULL::text AS lecture_title
             FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, ord) JOIN courses c ON c.id = t.id
           UNION ALL
           SELECT 'lecture', t.ord, l.course_id, l.title
             FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, ord) JOIN lectures l ON l.id = t.id)
         SELECT n.kind, n.ord, n.lecture_title, c.title, c.status,
                EXISTS (SELECT 1 FROM org_units pu
                         WHERE pu.id = ANY($3::uuid[])
                           AND EXISTS (SELECT 1 FROM course_visibility v WHERE v.course_id = c.id)
                           AND NOT EXISTS (SELECT 1 FROM course_visibility v JOIN org_units o ON o.id = v.org_unit_id
                                            WHERE v.course_id = c.id AND (pu.path = o.path OR pu.path LIKE o.path || '/%'))) AS hidden
           FROM named n JOIN courses c ON c.id = n.course_id
          ORDER BY n.kind, n.ord`,
      [courseIds, lectureIds, unitIds],
    );
    for (const row of rows) {
      if (row.status === 'published' && !row.hidden) continue;
      const field =
        row.kind === 'course'
          ? `courseIds: the course "${row.title}"`
          : `compulsoryLectureIds: "${row.lecture_title}", of the course "${row.title}",`;
      throw new BadRequestException(
        row.status !== 'published'
          ? `${field} is not published (it is ${row.status}). Name only published courses and their lectures.`
          : `${field} is not shown to every unit of this plan, so some of its members could never watch it. Name courses all of them can watch, or make a plan for the units that can.`,
      );
    }
  }

  /**
   * Positions must be kinds the caller's organisation uses (built-in, or added by a unit above, at or
   * below the caller's); each unknown one is named. Training classes must be owned inside the caller's
   * subtree; others are not confirmed to exist.
   */
  private async assertTargets(input: CreatePlanInput, rootPath: string): Promise<void> {
    const codes = [...new Set(input.positions)];
    if (codes.length) {
      const known: Array<{ code: string }> = await this.db.query(
        `SELECT k.code FROM position_kinds k LEFT JOIN org_units o ON o.id = k.owner_unit_id
          WHERE k.code = ANY($1::text[])
            AND (k.builtin OR k.owner_unit_id IS NULL OR $2 = o.path OR $2 LIKE o.path || '/%' OR o.path LIKE $2 || '/%')`,
        [codes, rootPath],
      );
      const found = new Set(known.map((k) => k.code));
      const unknown = codes.filter((c) => !found.has(c));
      if (unknown.length) {
        throw new BadRequestException(
          `positions: there is no position ${unknown.map((c) => `"${c}"`).join(', ')} in your organisation. Choose from the positions listed for it.`,
        );
      }
    }
    const classIds = [...new Set(input.classIds)];
    if (classIds.length) {
      const [{ n }] = await this.db.query(
        `SELECT count(*)::int AS n FROM training_classes c JOIN org_units o ON o.id = c.owner_unit_id
          WHERE c.id = ANY($1::uuid[]) AND (o.path = $2 OR o.path LIKE $2 || '/%')`,
        [classIds, rootPath],
      );
      if (n !== classIds.length) {
        throw new BadRequestException(
          'classIds: there is no such class in your organisation. Choose from the training classes listed for it.',
        );
      }
    }
  }

  /**
   * Required exams must be exams the caller's organisation has: owned in the caller's subtree, or owned above
   * it with an audience reaching into it; and not archived, so members can still pass them.
   */
  private async assertExams(input: CreatePlanInput, rootPath: string): Promise<void> {
    const examIds = [...new Set(input.examIds)];
    if (!examIds.length) return;
    const found: Array<{ id: string; title: string; status: string }> = await this.db.query(
      `SELECT e.id, e.title, e.status FROM exams e JOIN org_units o ON o.id = e.owner_unit_id
        WHERE e.id = ANY($1::uuid[])
          AND (o.path = $2 OR o.path LIKE $2 || '/%'
               OR EXISTS (SELECT 1 FROM exam_units eu JOIN org_units u ON u.id = eu.org_unit_id
                           WHERE eu.exam_id = e.id AND ($2 = u.path OR $2 LIKE u.path || '/%' OR u.path LIKE $2 || '/%')))`,
      [examIds, rootPath],
    );
    if (found.length !== examIds.length) {
      throw new BadRequestException('examIds: there is no such exam in your organisation. Choose from the exams listed for it.');
    }
    const archived = found.find((e) => e.status === 'archived');
    if (archived) {
      throw new BadRequestException(
        `examIds: the exam "${archived.title}" is archived, so nobody can pass it any more. Choose an exam that is open.`,
      );
    }
  }

  private async assertReferences(input: CreatePlanInput): Promise<void> {
    const check = async (sql: string, ids: unknown[], message: string) => {
      if (!ids.length) return;
      const [{ n }] = await this.db.query(sql, [ids]);
      if (n !== new Set(ids).size) throw new BadRequestException(message);
    };
    await check(
      `SELECT count(*)::int AS n FROM member_categories WHERE code = ANY($1::text[])`,
      input.categories,
      'categories: some member categories do not exist.',
    );
    await check(
      `SELECT count(*)::int AS n FROM courses WHERE id = ANY($1::uuid[])`,
      input.courseIds ?? [],
      'courseIds: some courses do not exist.',
    );
    await check(
      `SELECT count(*)::int AS n FROM lectures WHERE id = ANY($1::uuid[]) AND archived_at IS NULL`,
      input.compulsoryLectureIds,
      'compulsoryLectureIds: some lectures do not exist or were removed from their course.',
    );
  }
}
