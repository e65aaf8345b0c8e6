import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { MemberAnswer } from '#contracts';
import { finalScore, hasPassed, scoreAttempt, SUBMIT_GRACE_SECONDS, type MultipleScoring, type PaperItem } from '#exams';

export type SubmitReason = 'member' | 'time_out';

/**
 * SQL: the attempt is past its deadline and the grace (`acceptsWrite` no longer holds), so it is submitted as
 * it stands. Submitting only after the grace lets a save sent in the last seconds still count.
 */
export const OVERDUE = `now() > a.deadline_at + make_interval(secs => ${SUBMIT_GRACE_SECONDS})`;

/**
 * Submits attempts: grades what was saved by rule, stores each answer's points, and marks the attempt
 * `graded` (no short answers waiting) or `grading`. The member's submit, a read or write that finds the
 * attempt overdue, and the sweeper all come here; the attempt's row lock makes each submit happen once,
 * and a save holding its share lock finishes (or is refused) before the answers are read.
 */
@Injectable()
export class AttemptSubmission {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Submits the attempt if still in progress; true when this call submitted it. */
  submit(attemptId: string, reason: SubmitReason, actorId: string | null): Promise<boolean> {
    return this.db.transaction((m) => this.submitIn(m, attemptId, reason, actorId));
  }

  async submitIn(m: EntityManager, attemptId: string, reason: SubmitReason, actorId: string | null): Promise<boolean> {
    const [attempt]: Array<{ paper: PaperItem[]; scoring: MultipleScoring; passPercent: number; maxScore: number; status: string }> =
      await m.query(
        `SELECT a.paper, e.multiple_scoring AS scoring, e.pass_percent::float8 AS "passPercent", a.max_score::float8 AS "maxScore", a.status
           FROM exam_attempts a JOIN exams e ON e.id = a.exam_id
          WHERE a.id = $1 FOR UPDATE OF a`,
        [attemptId],
      );
    if (!attempt || attempt.status !== 'in_progress') return false;
    const saved: Array<{ item: number; answer: MemberAnswer }> = await m.query(
      `SELECT item, answer FROM exam_answers WHERE attempt_id = $1`,
      [attemptId],
    );
    const answers = new Map(saved.map((s) => [s.item, s.answer]));
    const scored = scoreAttempt(attempt.paper, answers, attempt.scoring);
    // A short answer left empty needs no grader: it scores 0. The others wait for one.
    const blank = (item: number) => {
      const answer = answers.get(item);
      return !answer || !('text' in answer) || answer.text.trim() === '';
    };
    const pendingItems = scored.pendingItems.filter((item) => !blank(item));
    const items = saved.map((s) => s.item);
    const points = items.map((i) => scored.grades[i]?.points ?? (pendingItems.includes(i) ? null : 0));
    if (items.length) {
      await m.query(
        `UPDATE exam_answers x SET points = g.points
           FROM unnest($2::int[], $3::numeric[]) AS g(item, points)
          WHERE x.attempt_id = $1 AND x.item = g.item`,
        [attemptId, items, points],
      );
    }
    const pending = pendingItems.length;
    const graded = pending === 0;
    const score = finalScore(scored.autoScore, []);
    await m.query(
      `UPDATE exam_attempts
          SET status = $2, submitted_at = now(), submit_reason = $3, auto_score = $4::numeric,
              score = CASE WHEN $5::boolean THEN $4::numeric END, passed = CASE WHEN $5::boolean THEN $6::boolean END,
              graded_at = CASE WHEN $5::boolean THEN now() END
        WHERE id = $1`,
      [attemptId, graded ? 'graded' : 'grading', reason, score, graded, hasPassed(score, attempt.maxScore, attempt.passPercent)],
    );
    await m.query(`INSERT INTO exam_attempt_events (attempt_id, kind, actor_id, detail) VALUES ($1, $2, $3, $4)`, [
      attemptId,
      reason === 'member' ? 'submitted' : 'timed_out',
      actorId,
      { autoScore: scored.autoScore, pending, answered: items.length },
    ]);
    return true;
  }

  /**
   * Submits overdue attempts, at most `limit`, skipping rows another catalog holds; how many it submitted.
   */
  sweep(limit = 200): Promise<number> {
    return this.db.transaction(async (m) => {
      const due: Array<{ id: string }> = await m.query(
        `SELECT a.id FROM exam_attempts a WHERE a.status = 'in_progress' AND ${OVERDUE}
          ORDER BY a.deadline_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      let submitted = 0;
      for (const { id } of due) if (await this.submitIn(m, id, 'time_out', null)) submitted++;
      return submitted;
    });
  }
}
