import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Principal } from '#auth';
import type { AttemptPaper, AttemptResult, ExamBlock, MemberAnswer, MyExamView, SaveAnswerResult } from '#contracts';
import { inExamAudience } from '../exam-audience.sql.js';
import { AnswerWriter } from './answer-writer.js';
import { AttemptSubmission, OVERDUE } from './attempt-submission.js';
import { ANSWER_COLUMNS, ATTEMPT_COLUMNS, attemptResult, savedAnswers, type AnswerRow, type AttemptRow } from './attempt-views.js';
import {
  acceptsWrite,
  attemptDeadline,
  percentOf,
  remainingSeconds,
  round2,
  toMemberQuestion,
  validateAnswer,
  type PaperItem,
} from '#exams';
import { examImageUrl, paperOf } from './paper-of.js';

export const OTHER_DEVICE_MESSAGE =
  'This exam is open on another device. Continue there, or ask an administrator to void this attempt and grant another.';

/** The stored form of a device key: its SHA-256, so the key itself is never kept. */
export const deviceHash = (key: string) => createHash('sha256').update(key).digest('hex');

const refuse = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  new ConflictException({ statusCode: 409, code, message, ...extra });

const otherDevice = () => refuse('other_device', OTHER_DEVICE_MESSAGE);
const timeUp = () =>
  refuse('time_up', 'Time is up for this exam, so answers can no longer be changed. What you saved was submitted: open your result.');
const voided = () =>
  refuse(
    'voided',
    'An administrator voided this attempt, so it can no longer be changed. Go back to the exam to see what you may do next.',
  );
const alreadySubmitted = () =>
  refuse('submitted', 'This attempt has been submitted already, so it can no longer be changed. Open your result.');

interface ExamFacts {
  examId: string;
  title: string;
  description: string;
  opensAt: Date;
  closesAt: Date;
  timeLimitMin: number;
  passPercent: number;
  maxAttempts: number;
  status: 'draft' | 'published' | 'archived';
  paperKind: 'fixed' | 'drawn';
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  creditHours: number | null;
  requiresShare: number | null;
  courseTitle: string | null;
  planName: string | null;
  progress: { total: number; done: number } | null;
  inAudience: boolean;
  used: number;
  extra: number;
  open: { id: string; deviceHash: string; overdue: boolean } | null;
  result: { attemptId: string; status: 'graded' | 'grading'; score: number | null; maxScore: number; passed: boolean | null } | null;
  pairRole: 'pre' | 'post' | null;
  questionCount: number;
  maxScore: number;
  now: Date;
}

const EXAM_FACTS = `
  e.id AS "examId", e.title, e.description, e.opens_at AS "opensAt", e.closes_at AS "closesAt",
  e.time_limit_min AS "timeLimitMin", e.pass_percent::float8 AS "passPercent", e.max_attempts AS "maxAttempts", e.status,
  e.paper_kind AS "paperKind", e.shuffle_questions AS "shuffleQuestions", e.shuffle_options AS "shuffleOptions",
  e.credit_hours::float8 AS "creditHours", e.requires_share::float8 AS "requiresShare",
  (SELECT c.title FROM courses c WHERE c.id = e.requires_course_id) AS "courseTitle",
  (SELECT p.name FROM study_plans p WHERE p.id = e.requires_plan_id) AS "planName",
  CASE WHEN e.requires_course_id IS NOT NULL THEN
         (SELECT json_build_object('total', count(*), 'done', count(lp.completed_at))
            FROM lectures l LEFT JOIN lecture_progress lp ON lp.lecture_id = l.id AND lp.user_id = $1
           WHERE l.course_id = e.requires_course_id)
       WHEN e.requires_plan_id IS NOT NULL THEN
         (SELECT json_build_object('total', count(*), 'done', count(lp.completed_at))
            FROM study_plan_compulsory spc LEFT JOIN lecture_progress lp ON lp.lecture_id = spc.lecture_id AND lp.user_id = $1
           WHERE spc.plan_id = e.requires_plan_id) END AS progress,
  EXISTS (SELECT 1 FROM users u JOIN org_units o ON o.id = u.org_unit_id
           WHERE u.id = $1 AND u.active AND ${inExamAudience('e.id', 'u', 'o')}) AS "inAudience",
  (SELECT count(*)::int FROM exam_attempts a WHERE a.exam_id = e.id AND a.user_id = $1 AND a.status <> 'voided') AS used,
  (SELECT count(*)::int FROM exam_extra_attempts x WHERE x.exam_id = e.id AND x.user_id = $1) AS extra,
  (SELECT json_build_object('id', a.id, 'deviceHash', a.device_hash, 'overdue', ${OVERDUE})
     FROM exam_attempts a WHERE a.exam_id = e.id AND a.user_id = $1 AND a.status = 'in_progress') AS open,
  (SELECT json_build_object('attemptId', a.id, 'status', a.status, 'score', a.score::float8, 'maxScore', a.max_score::float8, 'passed', a.passed)
     FROM exam_attempts a WHERE a.exam_id = e.id AND a.user_id = $1 AND a.status IN ('graded', 'grading')
    ORDER BY a.status = 'graded' DESC, a.score DESC NULLS LAST, a.submitted_at DESC LIMIT 1) AS result,
  CASE WHEN e.pre_exam_id IS NOT NULL THEN 'post' WHEN EXISTS (SELECT 1 FROM exams p WHERE p.pre_exam_id = e.id) THEN 'pre' END AS "pairRole",
  CASE e.paper_kind WHEN 'fixed' THEN (SELECT count(*)::int FROM exam_fixed_items fi WHERE fi.exam_id = e.id)
       ELSE (SELECT coalesce(sum(r.count), 0)::int FROM exam_draw_rules r WHERE r.exam_id = e.id) END AS "questionCount",
  round(CASE e.paper_kind
    WHEN 'fixed' THEN (SELECT coalesce(sum(coalesce(fi.points, q.points)), 0)
                         FROM exam_fixed_items fi JOIN exam_questions q ON q.id = fi.question_id WHERE fi.exam_id = e.id)
    ELSE (SELECT coalesce(sum(r.count * coalesce(r.points,
            (SELECT avg(q.points) FROM exam_questions q
              WHERE q.kind = r.kind AND q.retired_at IS NULL AND (r.topic IS NULL OR q.topic = r.topic)
                AND (r.course_id IS NULL OR q.course_id = r.course_id) AND (r.difficulty IS NULL OR q.difficulty = r.difficulty)), 1)), 0)
            FROM exam_draw_rules r WHERE r.exam_id = e.id) END, 2)::float8 AS "maxScore",
  now() AS now`;

/**
 * A member's side of exams: which exams they may sit and why not, starting or resuming an attempt on one
 * device, saving answers against the server's clock, and submitting. The paper a member gets never holds
 * an answer key; the attempt keeps its own copy with keys on the server.
 */
@Injectable()
export class TakingService {
  /** Attempts' parts that never change (owner, device, paper), so a save is one statement. */
  private readonly frozen = new Map<string, { userId: string; deviceHash: string; paper: PaperItem[] }>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly submission: AttemptSubmission,
    private readonly writer: AnswerWriter,
  ) {}

  // ---- exams a member may sit -----------------------------------------------------------------

  private async facts(userId: string, examId: string | null): Promise<ExamFacts[]> {
    const load = (): Promise<ExamFacts[]> =>
      examId
        ? this.db.query(`SELECT ${EXAM_FACTS} FROM exams e WHERE e.id = $2 AND e.status <> 'draft'`, [userId, examId])
        : this.db.query(
            `SELECT ${EXAM_FACTS} FROM exams e
              WHERE e.status = 'published'
                AND EXISTS (SELECT 1 FROM users u JOIN org_units o ON o.id = u.org_unit_id
                             WHERE u.id = $1 AND ${inExamAudience('e.id', 'u', 'o')})
              ORDER BY e.closes_at < now(), e.opens_at, e.title, e.id`,
            [userId],
          );
    let rows = await load();
    const overdue = rows.filter((r) => r.open?.overdue);
    if (overdue.length) {
      for (const r of overdue) await this.submission.submit(r.open!.id, 'time_out', null);
      rows = await load();
    }
    return rows;
  }

  private view(f: ExamFacts, device: string | null): MyExamView {
    const attemptsLeft = Math.max(0, f.maxAttempts + f.extra - f.used);
    const doneShare = f.progress ? (f.progress.total ? f.progress.done / f.progress.total : 1) : 1;
    const prerequisite =
      f.requiresShare !== null ? { courseTitle: f.courseTitle, planName: f.planName, requiredShare: f.requiresShare, doneShare } : null;
    let block: ExamBlock | null = null;
    if (f.status === 'archived') block = 'archived';
    else if (!f.inAudience) block = 'not_in_audience';
    else if (f.open) block = device !== null && deviceHash(device) !== f.open.deviceHash ? 'in_progress_elsewhere' : null;
    else if (f.now < f.opensAt) block = 'not_open';
    else if (f.now >= f.closesAt) block = 'closed';
    else if (attemptsLeft <= 0) block = 'no_attempts_left';
    else if (prerequisite && doneShare < prerequisite.requiredShare) block = 'prerequisite';
    const result = f.result
      ? {
          ...f.result,
          percent: f.result.score === null ? null : percentOf(f.result.score, f.result.maxScore),
        }
      : null;
    return {
      examId: f.examId,
      title: f.title,
      description: f.description,
      opensAt: f.opensAt.toISOString(),
      closesAt: f.closesAt.toISOString(),
      timeLimitMin: f.timeLimitMin,
      passPercent: f.passPercent,
      questionCount: f.questionCount,
      maxScore: f.maxScore,
      maxAttempts: f.maxAttempts,
      attemptsUsed: f.used,
      attemptsLeft,
      openAttemptId: f.open?.id ?? null,
      block,
      prerequisite,
      result,
      pairRole: f.pairRole,
      creditHours: f.creditHours,
    };
  }

  async myExams(principal: Principal, device: string | null): Promise<MyExamView[]> {
    return (await this.facts(principal.userId, null)).map((f) => this.view(f, device));
  }

  async myExam(principal: Principal, examId: string, device: string | null): Promise<MyExamView> {
    const [found] = await this.facts(principal.userId, examId);
    if (!found) throw new NotFoundException('No such exam. Open the exam from your list of exams.');
    return this.view(found, device);
  }

  // ---- start, resume, read --------------------------------------------------------------------

  async start(principal: Principal, examId: string, device: string): Promise<AttemptPaper> {
    const [f] = await this.facts(principal.userId, examId);
    if (!f) throw new NotFoundException('No such exam. Open the exam from your list of exams.');
    const hash = deviceHash(device);
    if (f.open) return this.resume(principal, f.open.id, hash);
    const view = this.view(f, device);
    if (view.block) throw this.blocked(view);

    const id = randomUUID();
    const paper = await paperOf(this.db, examId, id, f);
    if (!paper.length) {
      throw refuse('no_questions', 'This exam has no questions to give yet. Ask the exam’s editor to finish its paper.');
    }
    const maxScore = round2(paper.reduce((sum, q) => sum + q.points, 0));
    let started: { now: Date; next: number; deadline: Date };
    try {
      started = await this.db.transaction(async (m) => {
        const [{ now, next }]: Array<{ now: Date; next: number }> = await m.query(
          `SELECT now() AS now, coalesce(max(number), 0)::int + 1 AS next FROM exam_attempts WHERE exam_id = $1 AND user_id = $2`,
          [examId, principal.userId],
        );
        const deadline = attemptDeadline(now, f.timeLimitMin, f.closesAt);
        await m.query(
          `WITH a AS (INSERT INTO exam_attempts (id, exam_id, user_id, number, device_hash, started_at, deadline_at, paper, max_score)
                      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id)
           INSERT INTO exam_attempt_events (attempt_id, kind, actor_id, detail) SELECT id, 'started', $3, $10 FROM a`,
          [
            id,
            examId,
            principal.userId,
            next,
            hash,
            now,
            deadline,
            JSON.stringify(paper),
            maxScore,
            { number: next, questions: paper.length },
          ],
        );
        return { now, next, deadline };
      });
    } catch (error) {
      // Two starts at once (a double tap): the other one won; resume it.
      if ((error as { driverError?: { code?: string } }).driverError?.code !== '23505') throw error;
      const [open]: Array<{ id: string }> = await this.db.query(
        `SELECT id FROM exam_attempts WHERE exam_id = $1 AND user_id = $2 AND status = 'in_progress'`,
        [examId, principal.userId],
      );
      if (!open) throw error;
      return this.resume(principal, open.id, hash);
    }
    // The attempt as just written; its clock is the transaction's, read from the database.
    return {
      attemptId: id,
      examId,
      title: f.title,
      number: started.next,
      startedAt: started.now.toISOString(),
      deadlineAt: started.deadline.toISOString(),
      remainingSec: remainingSeconds(started.deadline, started.now),
      serverNow: started.now.toISOString(),
      questions: paper.map((item, i) => toMemberQuestion(item, i, examImageUrl)),
      answers: [],
    };
  }

  private blocked(view: MyExamView) {
    const messages: Record<ExamBlock, string> = {
      not_open: `This exam opens at ${view.opensAt}. Come back then.`,
      closed: 'This exam has closed, so it can no longer be started.',
      no_attempts_left: 'You have used all your attempts at this exam. Ask an administrator if you need another.',
      prerequisite: `Finish more of the required lectures first: ${Math.round((view.prerequisite?.doneShare ?? 0) * 100)} % done, ${Math.round(
        (view.prerequisite?.requiredShare ?? 0) * 100,
      )} % needed.`,
      in_progress_elsewhere: OTHER_DEVICE_MESSAGE,
      not_in_audience: 'This exam is not for you. Ask your administrator if you think it should be.',
      archived: 'This exam has been archived, so it can no longer be started.',
    };
    const block = view.block!;
    if (block === 'not_in_audience') return new ForbiddenException({ statusCode: 403, code: block, message: messages[block] });
    return refuse(block === 'in_progress_elsewhere' ? 'other_device' : block, messages[block]);
  }

  private async resume(principal: Principal, attemptId: string, hash: string): Promise<AttemptPaper> {
    const attempt = await this.attempt(principal, attemptId);
    if (attempt.deviceHash !== hash) {
      await this.event(attemptId, 'refused', principal.userId, { action: 'start', reason: 'other_device' });
      throw otherDevice();
    }
    await this.event(attemptId, 'resumed', principal.userId, {});
    return this.paper(attempt, await this.answers(attemptId));
  }

  /** The member's own attempt, submitted first if its time ran out. */
  private async attempt(principal: Principal, attemptId: string): Promise<AttemptRow> {
    const load = async () => {
      const [row]: AttemptRow[] = await this.db.query(
        `SELECT ${ATTEMPT_COLUMNS} FROM exam_attempts a JOIN exams e ON e.id = a.exam_id WHERE a.id = $1`,
        [attemptId],
      );
      if (!row || row.userId !== principal.userId) throw new NotFoundException('No such attempt of yours. Open the exam from your list.');
      return row;
    };
    const row = await load();
    if (row.status === 'in_progress' && !acceptsWrite(row.deadlineAt, row.now)) {
      await this.submission.submit(attemptId, 'time_out', null);
      return load();
    }
    return row;
  }

  private answers(attemptId: string): Promise<AnswerRow[]> {
    return this.db.query(`SELECT ${ANSWER_COLUMNS} FROM exam_answers WHERE attempt_id = $1 ORDER BY item`, [attemptId]);
  }

  private paper(attempt: AttemptRow, answers: AnswerRow[]): AttemptPaper {
    return {
      attemptId: attempt.id,
      examId: attempt.examId,
      title: attempt.title,
      number: attempt.number,
      startedAt: attempt.startedAt.toISOString(),
      deadlineAt: attempt.deadlineAt.toISOString(),
      remainingSec: remainingSeconds(attempt.deadlineAt, attempt.now),
      serverNow: attempt.now.toISOString(),
      questions: attempt.paper.map((item, i) => toMemberQuestion(item, i, examImageUrl)),
      answers: savedAnswers(answers),
    };
  }

  private event(attemptId: string, kind: string, actorId: string | null, detail: Record<string, unknown>) {
    return this.db.query(`INSERT INTO exam_attempt_events (attempt_id, kind, actor_id, detail) VALUES ($1, $2, $3, $4)`, [
      attemptId,
      kind,
      actorId,
      detail,
    ]);
  }

  /** The paper while in progress (from the device that started it), the result once submitted. */
  async get(principal: Principal, attemptId: string, device: string | null): Promise<AttemptPaper | AttemptResult> {
    const attempt = await this.attempt(principal, attemptId);
    const answers = await this.answers(attemptId);
    if (attempt.status !== 'in_progress') return attemptResult(attempt, answers);
    if (device === null || deviceHash(device) !== attempt.deviceHash) throw otherDevice();
    return this.paper(attempt, answers);
  }

  async result(principal: Principal, attemptId: string): Promise<AttemptResult> {
    const attempt = await this.attempt(principal, attemptId);
    if (attempt.status === 'in_progress') {
      throw refuse('in_progress', 'This attempt is still in progress: submit it to see the result.');
    }
    return attemptResult(attempt, await this.answers(attemptId));
  }

  // ---- saving and submitting ------------------------------------------------------------------

  private async frozenParts(principal: Principal, attemptId: string) {
    let parts = this.frozen.get(attemptId);
    if (!parts) {
      const [row]: Array<{ userId: string; deviceHash: string; paper: PaperItem[] }> = await this.db.query(
        `SELECT user_id AS "userId", device_hash AS "deviceHash", paper FROM exam_attempts WHERE id = $1`,
        [attemptId],
      );
      if (!row) throw new NotFoundException('No such attempt of yours. Open the exam from your list.');
      parts = row;
      if (this.frozen.size >= 20_000) this.frozen.delete(this.frozen.keys().next().value!);
      this.frozen.set(attemptId, parts);
    }
    if (parts.userId !== principal.userId) throw new NotFoundException('No such attempt of yours. Open the exam from your list.');
    return parts;
  }

  /**
   * Saves one answer if `baseRevision` is the stored one and the attempt is still open (see `AnswerWriter`,
   * which writes it with the saves arriving at the same time in one commit).
   */
  async save(principal: Principal, attemptId: string, item: number, answer: MemberAnswer, baseRevision: number, device: string) {
    const parts = await this.frozenParts(principal, attemptId);
    if (deviceHash(device) !== parts.deviceHash) {
      await this.event(attemptId, 'refused', principal.userId, { action: 'save', item, reason: 'other_device' });
      throw otherDevice();
    }
    const question = parts.paper[item];
    if (!question) throw new NotFoundException(`This paper has questions 0 to ${parts.paper.length - 1}; there is no question ${item}.`);
    const checked = validateAnswer(question, answer);
    if (!checked.ok) throw refuse('invalid_answer', checked.error);

    const saved = await this.writer.write({ attemptId, item, answer: checked.answer, baseRevision, actorId: principal.userId });
    if (saved) {
      return {
        item,
        revision: saved.revision,
        savedAt: saved.savedAt.toISOString(),
        remainingSec: remainingSeconds(saved.deadlineAt, saved.now),
      } satisfies SaveAnswerResult;
    }
    return this.refusedSave(principal, attemptId, item);
  }

  /** Why a save wrote nothing: the attempt is over (submitted, or out of time), or the revision moved on. */
  private async refusedSave(principal: Principal, attemptId: string, item: number): Promise<never> {
    const attempt = await this.attempt(principal, attemptId);
    if (attempt.status !== 'in_progress') {
      await this.event(attemptId, 'refused', principal.userId, { action: 'save', item, reason: attempt.submitReason ?? attempt.status });
      if (attempt.status === 'voided') throw voided();
      throw attempt.submitReason === 'time_out' ? timeUp() : alreadySubmitted();
    }
    if (!acceptsWrite(attempt.deadlineAt, attempt.now)) throw timeUp();
    const [stored]: Array<{ revision: number }> = await this.db.query(
      `SELECT revision FROM exam_answers WHERE attempt_id = $1 AND item = $2`,
      [attemptId, item],
    );
    const revision = stored?.revision ?? 0;
    throw refuse(
      'stale',
      `This answer was saved again in the meantime (now revision ${revision}). Your page will load it; then save again.`,
      { revision },
    );
  }

  async submit(principal: Principal, attemptId: string, device: string): Promise<AttemptResult> {
    const before = await this.attempt(principal, attemptId);
    if (before.status === 'in_progress') {
      if (deviceHash(device) !== before.deviceHash) {
        await this.event(attemptId, 'refused', principal.userId, { action: 'submit', reason: 'other_device' });
        throw otherDevice();
      }
      const submitted = await this.db.transaction(async (m) => {
        const [late] = await m.query(
          `SELECT 1 FROM exam_attempts a WHERE a.id = $1 AND a.status = 'in_progress' AND ${OVERDUE} FOR UPDATE`,
          [attemptId],
        );
        return this.submission.submitIn(m, attemptId, late ? 'time_out' : 'member', late ? null : principal.userId).then((done) => ({
          done,
          late: Boolean(late),
        }));
      });
      if (submitted.late) throw timeUp();
    } else if (before.submitReason === 'time_out') {
      throw timeUp();
    } else if (before.status === 'voided') {
      throw voided();
    }
    this.frozen.delete(attemptId);
    return attemptResult(await this.attempt(principal, attemptId), await this.answers(attemptId));
  }
}
