import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Principal } from '#auth';
import type { MyLecture, MyPlan, MyStudy } from '#contracts';
import { posterUrl } from '../courses/course.views.js';
import { StudyPlansService } from './study-plans.service.js';

const DAY_MS = 86_400_000;

/** A member's own page: hours against each plan, what is still compulsory, and where to continue. */
@Injectable()
export class MyStudyService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly plans: StudyPlansService,
  ) {}

  async overview(principal: Principal): Promise<MyStudy> {
    const now = Date.now();
    const plans = await Promise.all(
      (await this.plans.plansOfMember(principal.userId)).map(async (plan): Promise<MyPlan> => {
        const [standing] = await this.plans.standings(plan.id, plan, now, principal.userId);
        const missing = standing?.progress.compulsoryMissing ?? [];
        const titles: Array<{ id: string; title: string; course_id: string; course_title: string }> = missing.length
          ? await this.db.query(
              `SELECT l.id, l.title, l.course_id, c.title AS course_title FROM lectures l JOIN courses c ON c.id = l.course_id WHERE l.id = ANY($1::uuid[])`,
              [missing],
            )
          : [];
        const progress = standing?.progress;
        const makeup = plan.makeup_until && now >= Number(plan.end_ms);
        const endMs = makeup ? Date.parse(`${plan.makeup_until}T00:00:00Z`) + DAY_MS : Number(plan.end_ms);
        return {
          id: plan.id,
          name: plan.name,
          periodStart: plan.period_start,
          periodEnd: plan.period_end,
          daysLeft: Math.max(0, Math.ceil((endMs - now) / DAY_MS)),
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
          makeupUntil: plan.makeup_until,
        };
      }),
    );
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
    }> = await this.db.query(
      `SELECT p.lecture_id, l.title, l.course_id, c.title AS course_title, p.last_position_sec, p.duration_sec, p.credited_sec,
              p.covered_sec, p.completed_at IS NOT NULL AS completed, p.last_studied_at, (m.outputs ->> 'poster') IS NOT NULL AS has_poster
         FROM lecture_progress p JOIN lectures l ON l.id = p.lecture_id JOIN courses c ON c.id = l.course_id
         LEFT JOIN lecture_media m ON m.asset_id = l.asset_id AND m.status = 'ready'
        WHERE p.user_id = $1 ORDER BY p.last_studied_at DESC LIMIT 100`,
      [principal.userId],
    );
    const lectures = rows.map((r): MyLecture => ({
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
    }));
    return { plans, continueWatching: lectures.filter((l) => !l.completed).slice(0, 6), lectures };
  }
}
