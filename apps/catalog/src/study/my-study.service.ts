import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Principal } from '#auth';
import { hoursProgress } from '#watch';
import type { ExamOutcome, MyLecture, MyPlan, MyStudy, PlanExamStatus, PlanStatus, StudyCounting, WithStoppedInChapter } from '#contracts';
import { ChaptersService } from '../chapters/chapters.service.js';
import { percent2, score2 } from '../exams/reports/exam-results.sql.js';
import { posterUrl } from '../courses/course.views.js';
import { PREVIEW_OF } from '../media/preview.events.js';
import { countedLectures } from './counted-lectures.sql.js';
import { frozenHours, hoursByRule } from './hours-by-rule.js';
import { planLectures } from './plan-scope.sql.js';
import { STUDY_OPTIONS, type StudyOptions } from './study-options.js';
import { planStudyRules, StudyPlansService, type PlanRow } from './study-plans.service.js';

type StudyCount = NonNullable<Awaited<ReturnType<StudyPlansService['standings']>>[number]['progress']['count']>;

/** How the member's study time was counted toward the plan, for My study to explain in words. */
function countingOf(plan: PlanRow, count: StudyCount | undefined): StudyCounting {
  const rules = planStudyRules(plan);
  return {
    rules,
    ownSec: Math.max(0, (count?.creditedSec ?? 0) - (count?.collectiveSec ?? 0)),
    audioSec: count?.audioSec ?? 0,
    speedupSec: count?.speedupSec ?? 0,
    collectiveSec: count?.collectiveSec ?? 0,
    inPersonSec: count?.inPersonSec ?? 0,
    inPersonCountedSec: count?.inPersonCountedSec ?? 0,
    excludedSec: count?.excludedSec ?? 0,
    cutSec: count?.cutSec ?? 0,
    cutDays: count?.cutDays ?? [],
    studyHours: (count?.studyMs ?? 0) / 3_600_000,
  };
}

/**
 * The accepted learning reflections a plan requires of the member and how many of theirs count toward it
 * (see `plan-reflections.sql.ts`); a closed plan shows the figures frozen when it closed.
 */
export interface MyPlanReflections {
  required: number;
  accepted: number;
}

/**
 * A plan on My study, with its reflections and, for an open plan, how its study time was counted (null for a
 * closed plan: its result is frozen).
 */
export type MyStudyPlan = MyPlan & { reflections: MyPlanReflections; counting: StudyCounting | null };

const DAY_MS = 86_400_000;
/** The moment a 'YYYY-MM-DD' make-up window's last day ends. */
const endOfDay = (day: string) => Date.parse(`${day}T00:00:00Z`) + DAY_MS;
/** Whole days, rounded up, from now until a deadline; 0 once it has passed. */
const daysUntil = (endMs: number, now: number) => Math.max(0, Math.ceil((endMs - now) / DAY_MS));

/** A member's result in one exam, as the plan's standing (open) or frozen result (closed) has it. */
interface ExamResultOf {
  examId: string;
  title: string;
  outcome: ExamOutcome;
  score: number | null;
  maxScore: number | null;
  percent: number | null;
}

/** A member's own page: hours against each plan, what is still compulsory, and where to continue. */
@Injectable()
export class MyStudyService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly plans: StudyPlansService,
    @Inject(STUDY_OPTIONS) private readonly options: StudyOptions,
    private readonly chapters: ChaptersService,
  ) {}

  async overview(principal: Principal): Promise<MyStudy & { plans: MyStudyPlan[] }> {
    const plans = await this.plansOf(principal.userId);
    const rows: Array<{
      lecture_id: string;
      title: string;
      course_id: string;
      course_title: string;
      last_position_sec: number;
      duration_sec: number;
      credited_sec: number;
      covered_sec: number;
      completed: boolean;
      last_studied_at: Date;
      has_poster: boolean;
      archived: boolean;
    }> = await this.db.query(
      `SELECT p.lecture_id, l.title, l.course_id, c.title AS course_title, p.last_position_sec, p.duration_sec, p.credited_sec,
              p.covered_sec, p.completed_at IS NOT NULL AS completed, p.last_studied_at,
              (COALESCE(m.outputs, pv.outputs) ->> 'poster') IS NOT NULL AS has_poster,
              l.archived_at IS NOT NULL AS archived
         FROM lecture_progress p JOIN lectures l ON l.id = p.lecture_id JOIN courses c ON c.id = l.course_id
         LEFT JOIN lecture_media m ON m.asset_id = l.asset_id AND m.status = 'ready'
         LEFT JOIN LATERAL (${PREVIEW_OF('l.asset_id')}) pv ON true
        WHERE p.user_id = $1 ORDER BY p.last_studied_at DESC LIMIT 100`,
      [principal.userId],
    );
    // The chapter each lecture was left in ("stopped in chapter 3"), when it has chapters.
    const stopped = await this.chapters.stoppedIn(rows.map((r) => ({ lectureId: r.lecture_id, positionSec: r.last_position_sec })));
    const lectures = rows.map((r): MyLecture & WithStoppedInChapter => ({
      lectureId: r.lecture_id,
      title: r.title,
      courseId: r.course_id,
      courseTitle: r.course_title,
      positionSec: r.last_position_sec,
      durationSec: r.duration_sec,
      creditedSec: r.credited_sec,
      coverageRatio: r.duration_sec > 0 ? Math.min(1, r.covered_sec / r.duration_sec) : 0,
      completed: r.completed,
      lastStudiedAt: r.last_studied_at.toISOString(),
      posterUrl: posterUrl(r.lecture_id, r.has_poster),
      stoppedIn: stopped.get(r.lecture_id) ?? null,
    }));
    // A lecture removed from its course (archived) keeps its credit in the list, but cannot be continued.
    const archived = new Set(rows.filter((r) => r.archived).map((r) => r.lecture_id));
    return { plans, continueWatching: lectures.filter((l) => !l.completed && !archived.has(l.lectureId)).slice(0, 6), lectures };
  }

  /** The member's plans, open and closed, latest period end first. */
  async plansOf(userId: string): Promise<MyStudyPlan[]> {
    return [...(await this.openPlans(userId)), ...(await this.closedPlans(userId))].sort((a, b) => b.periodEnd.localeCompare(a.periodEnd));
  }

  /** Plans still open: the member's standing computed now. */
  private async openPlans(userId: string): Promise<MyStudyPlan[]> {
    const now = Date.now();
    const open = (await this.plans.plansOfMember(userId)).filter((plan) => plan.closed_at === null);
    const granted = new Set<string>(
      (await this.db.query(`SELECT plan_id FROM study_plan_makeup WHERE user_id = $1`, [userId])).map(
        (r: { plan_id: string }) => r.plan_id,
      ),
    );
    return Promise.all(
      open.map(async (plan): Promise<MyStudyPlan> => {
        const [standing] = await this.plans.standings(plan.id, plan, now, userId);
        const missing = standing?.progress.compulsoryMissing ?? [];
        const titles: Array<{ id: string; title: string; course_id: string; course_title: string }> = missing.length
          ? await this.db.query(
              `SELECT l.id, l.title, l.course_id, c.title AS course_title FROM lectures l JOIN courses c ON c.id = l.course_id WHERE l.id = ANY($1::uuid[])`,
              [missing],
            )
          : [];
        const progress = standing?.progress;
        // The make-up window is only for the members who fell short in the period (see openMakeup).
        const makeupUntil = plan.makeup_until && granted.has(plan.id) ? plan.makeup_until : null;
        const makeup = makeupUntil !== null && now >= Number(plan.end_ms);
        const endMs = makeup ? endOfDay(makeupUntil) : Number(plan.end_ms);
        const rule = {
          mode: plan.mode,
          creditHoursPerLecture: plan.credit_hours_per_lecture === null ? null : Number(plan.credit_hours_per_lecture),
          minutesPerStudyHour: Number(plan.minutes_per_study_hour ?? 60),
        };
        const counted = await countedLectures(this.db, this.options.timeZone, plan.id, userId);
        const exams = await this.examStatuses(userId, standing?.exams ?? []);
        return {
          id: plan.id,
          name: plan.name,
          periodStart: plan.period_start,
          periodEnd: plan.period_end,
          daysLeft: daysUntil(endMs, now),
          mode: plan.mode,
          requiredHours: Number(plan.required_hours),
          earnedHours: progress?.earnedHours ?? 0,
          remainingHours: progress?.remainingHours ?? Number(plan.required_hours),
          percent: progress?.percent ?? 0,
          status: progress?.status ?? 'not_started',
          compulsoryMissing: missing.flatMap((id) => {
            const t = titles.find((x) => x.id === id);
            return t ? [{ lectureId: id, title: t.title, courseId: t.course_id, courseTitle: t.course_title }] : [];
          }),
          makeupUntil,
          closedAt: null,
          makeupHours: null,
          creditHoursPerLecture: rule.creditHoursPerLecture,
          hoursByRule: hoursByRule(rule, counted, standing?.exams ?? []),
          exams,
          reflections: {
            required: progress?.reflectionsRequired ?? Number(plan.required_reflections ?? 0),
            accepted: progress?.reflectionsAccepted ?? 0,
          },
          counting: countingOf(plan, progress?.count),
        };
      }),
    );
  }

  /**
   * Each exam of a plan with the member's result, its window and the attempts the member has left
   * (the exam's attempts plus any granted, less those used; voided ones are not used).
   */
  private async examStatuses(userId: string, results: readonly ExamResultOf[]): Promise<PlanExamStatus[]> {
    if (!results.length) return [];
    const rows: Array<{
      id: string;
      opens_at: Date;
      closes_at: Date;
      max_attempts: number;
      credit_hours: string | null;
      extra: number;
      used: number;
      paper_max: number;
    }> = await this.db.query(
      `SELECT e.id, e.opens_at, e.closes_at, e.max_attempts, e.credit_hours,
              (SELECT count(*) FROM exam_extra_attempts x WHERE x.exam_id = e.id AND x.user_id = $2)::int AS extra,
              (SELECT count(*) FROM exam_attempts a WHERE a.exam_id = e.id AND a.user_id = $2 AND a.status <> 'voided')::int AS used,
              coalesce((SELECT a.max_score FROM exam_attempts a WHERE a.exam_id = e.id AND a.status <> 'voided'
                         ORDER BY a.user_id = $2 DESC, a.started_at DESC LIMIT 1),
                       CASE WHEN e.paper_kind = 'fixed'
                            THEN (SELECT sum(coalesce(fi.points, q.points)) FROM exam_fixed_items fi JOIN exam_questions q ON q.id = fi.question_id
                                   WHERE fi.exam_id = e.id)
                            ELSE (SELECT sum(r.count * coalesce(r.points, 1)) FROM exam_draw_rules r WHERE r.exam_id = e.id) END,
                       0)::float8 AS paper_max
         FROM exams e WHERE e.id = ANY($1::uuid[])`,
      [results.map((r) => r.examId), userId],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return results.flatMap((result): PlanExamStatus[] => {
      const exam = byId.get(result.examId);
      if (!exam) return [];
      return [
        {
          examId: result.examId,
          title: result.title,
          opensAt: exam.opens_at.toISOString(),
          closesAt: exam.closes_at.toISOString(),
          attemptsLeft: Math.max(0, exam.max_attempts + exam.extra - exam.used),
          outcome: result.outcome,
          score: score2(result.score),
          maxScore: score2(result.maxScore ?? exam.paper_max) ?? 0,
          percent: percent2(result.percent),
          creditHours: exam.credit_hours === null ? null : Number(exam.credit_hours),
        },
      ];
    });
  }

  /**
   * Closed plans the member had a result in: that result, as frozen when the plan was closed, the same
   * figures the admins' reports show. Study since then changes nothing in it; for a member granted the
   * make-up window, the hours studied in it are given beside it.
   */
  private async closedPlans(userId: string): Promise<MyStudyPlan[]> {
    const rows: Array<{
      id: string;
      name: string;
      period_start: string;
      period_end: string;
      mode: 'watch_time' | 'per_lecture';
      credit_hours_per_lecture: string | null;
      makeup_until: string | null;
      closed_at: Date;
      earned_hours: number;
      required_hours: number;
      status: PlanStatus;
      makeup_granted: boolean;
      makeup_sec: number;
      exams: Array<ExamResultOf & { passed: boolean; outcome?: ExamOutcome }>;
      reflections_required: number;
      reflections_accepted: number;
    }> = await this.db.query(
      `SELECT r.exams, r.reflections_required, r.reflections_accepted, sp.id, sp.name, to_char(sp.period_start, 'YYYY-MM-DD') AS period_start, to_char(sp.period_end, 'YYYY-MM-DD') AS period_end,
              sp.mode, sp.credit_hours_per_lecture, to_char(sp.makeup_until, 'YYYY-MM-DD') AS makeup_until, sp.closed_at, r.earned_hours, r.required_hours, r.status,
              m.user_id IS NOT NULL AS makeup_granted,
              coalesce((SELECT sum(sd.credited_sec) FROM study_daily sd
                         WHERE sd.user_id = r.user_id AND sd.day > sp.period_end AND sd.day <= sp.makeup_until
                           AND sd.lecture_id IN (SELECT pl.lecture_id FROM (${planLectures('sp.id')}) pl)), 0)::float8 AS makeup_sec
         FROM study_plan_results r JOIN study_plans sp ON sp.id = r.plan_id
         LEFT JOIN study_plan_makeup m ON m.plan_id = sp.id AND m.user_id = r.user_id
        WHERE r.user_id = $1 AND sp.closed_at IS NOT NULL`,
      [userId],
    );
    const now = Date.now();
    const exams = await Promise.all(
      rows.map((row) =>
        // The results frozen when the plan closed; attempts since change nothing in them.
        this.examStatuses(
          userId,
          (row.exams ?? []).map((e) => ({ ...e, outcome: e.outcome ?? (e.passed ? 'passed' : e.score === null ? 'not_taken' : 'failed') })),
        ),
      ),
    );
    return rows.map((row, index): MyStudyPlan => {
      const hours = hoursProgress(Number(row.earned_hours), Number(row.required_hours));
      const makeupUntil = row.makeup_granted ? row.makeup_until : null;
      const makeupEndMs = makeupUntil ? endOfDay(makeupUntil) : now;
      return {
        id: row.id,
        name: row.name,
        periodStart: row.period_start,
        periodEnd: row.period_end,
        // Only a make-up window still open leaves days to study in.
        daysLeft: daysUntil(makeupEndMs, now),
        mode: row.mode,
        ...hours,
        status: row.status,
        compulsoryMissing: [],
        makeupUntil,
        closedAt: row.closed_at.toISOString(),
        makeupHours: makeupUntil ? Number(row.makeup_sec) / 3600 : null,
        creditHoursPerLecture: row.credit_hours_per_lecture === null ? null : Number(row.credit_hours_per_lecture),
        hoursByRule: frozenHours(hours.earnedHours),
        counting: null,
        exams: exams[index] ?? [],
        reflections: { required: row.reflections_required, accepted: row.reflections_accepted },
      };
    });
  }
}
