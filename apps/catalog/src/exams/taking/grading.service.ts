import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Principal } from '#auth';
import type { GradingAnswer, GradingQueueItem } from '#contracts';
import { finalScore, hasPassed, toHundredths, type PaperItem } from '#exams';
import { ScopeService } from '../../org/scope.service.js';
import type { GradeBody } from './taking.schemas.js';

const within = (column: string, param: string) => `(${column} = ${param} OR ${column} LIKE ${param} || '/%')`;

const ANSWER_VIEW = `
  a.id AS "attemptId", x.item, json_build_object('id', u.id, 'name', u.name, 'unitName', o.name) AS member,
  p.q->>'stem' AS stem, coalesce(p.q->'key'->>'reference', '') AS reference, coalesce(x.answer->>'text', '') AS text,
  (p.q->>'points')::float8 AS points, x.points::float8 AS awarded, x.grader_comment AS comment,
  CASE WHEN g.id IS NULL THEN NULL ELSE json_build_object('id', g.id, 'name', g.name) END AS "gradedBy",
  x.graded_at AS "gradedAt", a.submitted_at AS "submittedAt"
  FROM exam_attempts a
  JOIN users u ON u.id = a.user_id JOIN org_units o ON o.id = u.org_unit_id
  JOIN exam_answers x ON x.attempt_id = a.id
  CROSS JOIN LATERAL (SELECT a.paper->x.item AS q) p
  LEFT JOIN users g ON g.id = x.graded_by`;

/**
 * Grading short answers: the queue of answers waiting, by exam and question, for members of the grader's
 * subtree; giving points with a comment; and, when an attempt's last short answer is graded, its final score
 * and whether it passed. Regrading is allowed and logged with the points it replaced.
 */
@Injectable()
export class GradingService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
  ) {}

  async queue(principal: Principal): Promise<GradingQueueItem[]> {
    const root = await this.scope.rootOf(principal);
    return this.db.query(
      `SELECT a.exam_id AS "examId", e.title AS "examTitle", p.q->>'questionId' AS "questionId",
              min(p.q->>'stem') AS stem, max((p.q->>'points')::float8) AS points, count(*)::int AS pending
         FROM exam_attempts a
         JOIN exams e ON e.id = a.exam_id
         JOIN users u ON u.id = a.user_id JOIN org_units o ON o.id = u.org_unit_id
         JOIN exam_answers x ON x.attempt_id = a.id AND x.points IS NULL
         CROSS JOIN LATERAL (SELECT a.paper->x.item AS q) p
        WHERE a.status = 'grading' AND p.q->>'kind' = 'short_answer' AND ${within('o.path', '$1')}
        GROUP BY a.exam_id, e.title, p.q->>'questionId'
        ORDER BY min(a.submitted_at), e.title, 3`,
      [root.path],
    );
  }

  /** Every submitted short answer to one question of one exam, waiting ones first. */
  async answers(principal: Principal, examId: string, questionId: string): Promise<GradingAnswer[]> {
    const root = await this.scope.rootOf(principal);
    return this.db.query(
      `SELECT ${ANSWER_VIEW}
        WHERE a.exam_id = $2 AND a.status IN ('grading', 'graded') AND p.q->>'questionId' = $3
          AND p.q->>'kind' = 'short_answer' AND ${within('o.path', '$1')}
        ORDER BY x.points IS NOT NULL, a.submitted_at, a.id`,
      [root.path, examId, questionId],
    );
  }

  async grade(principal: Principal, input: GradeBody): Promise<GradingAnswer> {
    const root = await this.scope.rootOf(principal);
    await this.db.transaction(async (m) => {
      const [attempt]: Array<{
        status: string;
        userId: string;
        path: string;
        q: PaperItem | null;
        autoScore: number | null;
        maxScore: number;
        passPercent: number;
      }> = await m.query(
        `SELECT a.status, a.user_id AS "userId", o.path, a.paper->$2::int AS q, a.auto_score::float8 AS "autoScore",
                a.max_score::float8 AS "maxScore", e.pass_percent::float8 AS "passPercent"
           FROM exam_attempts a JOIN exams e ON e.id = a.exam_id
           JOIN users u ON u.id = a.user_id JOIN org_units o ON o.id = u.org_unit_id
          WHERE a.id = $1 FOR UPDATE OF a`,
        [input.attemptId, input.item],
      );
      if (!attempt || !(attempt.path === root.path || attempt.path.startsWith(`${root.path}/`))) {
        throw new NotFoundException('No such attempt of a member in your organisation. Open it from the grading queue.');
      }
      if (attempt.userId === principal.userId) throw new ForbiddenException('You cannot grade your own answers. Ask another grader.');
      if (attempt.status === 'in_progress') throw new ConflictException('This attempt has not been submitted yet. Grade it once it is.');
      if (attempt.status === 'voided') throw new ConflictException('This attempt was voided, so it is not graded.');
      if (!attempt.q) throw new NotFoundException(`This paper has no question ${input.item}. Open the answer from the grading queue.`);
      if (attempt.q.kind !== 'short_answer') {
        throw new ConflictException('Only short answers are graded by a person; this question was graded by its key.');
      }
      if (toHundredths(input.points) > toHundredths(attempt.q.points)) {
        throw new BadRequestException(`Give at most ${attempt.q.points} points: that is what this question is worth.`);
      }
      const [before]: Array<{ points: number | null }> = await m.query(
        `SELECT points::float8 AS points FROM exam_answers WHERE attempt_id = $1 AND item = $2`,
        [input.attemptId, input.item],
      );
      if (!before) throw new ConflictException('The member left this question unanswered, so it scores 0 and has nothing to grade.');
      await m.query(
        `UPDATE exam_answers SET points = $3, grader_comment = nullif($4, ''), graded_by = $5, graded_at = now()
          WHERE attempt_id = $1 AND item = $2`,
        [input.attemptId, input.item, input.points, input.comment, principal.userId],
      );
      await m.query(`INSERT INTO exam_attempt_events (attempt_id, kind, actor_id, detail) VALUES ($1, 'graded', $2, $3)`, [
        input.attemptId,
        principal.userId,
        { item: input.item, points: input.points, previous: before.points, comment: input.comment || null },
      ]);
      const shortPoints: Array<{ points: number | null }> = await m.query(
        `SELECT x.points::float8 AS points FROM exam_answers x JOIN exam_attempts a ON a.id = x.attempt_id
          WHERE x.attempt_id = $1 AND a.paper->x.item->>'kind' = 'short_answer'`,
        [input.attemptId],
      );
      if (shortPoints.some((s) => s.points === null)) return;
      const score = finalScore(
        attempt.autoScore ?? 0,
        shortPoints.map((s) => s.points ?? 0),
      );
      await m.query(`UPDATE exam_attempts SET status = 'graded', score = $2, passed = $3, graded_at = now() WHERE id = $1`, [
        input.attemptId,
        score,
        hasPassed(score, attempt.maxScore, attempt.passPercent),
      ]);
    });
    const [view] = await this.db.query(`SELECT ${ANSWER_VIEW} WHERE a.id = $1 AND x.item = $2`, [input.attemptId, input.item]);
    return view;
  }
}
