import type { AttemptResult, AttemptStatus, MemberAnswer, ResultQuestion, SavedAnswer } from '#contracts';
import { gradeAnswer, percentOf, toMemberQuestion, type MultipleScoring, type PaperItem } from '#exams';
import { examImageUrl } from './paper-of.js';

/** An attempt with its exam's settings, as the taking and grading parts read it. */
export interface AttemptRow {
  id: string;
  examId: string;
  userId: string;
  number: number;
  deviceHash: string;
  startedAt: Date;
  deadlineAt: Date;
  paper: PaperItem[];
  maxScore: number;
  status: AttemptStatus;
  submittedAt: Date | null;
  submitReason: 'member' | 'time_out' | null;
  autoScore: number | null;
  score: number | null;
  passed: boolean | null;
  title: string;
  passPercent: number;
  showAnswers: boolean;
  scoring: MultipleScoring;
  /** The database's clock when the row was read. */
  now: Date;
}

export const ATTEMPT_COLUMNS = `
  a.id, a.exam_id AS "examId", a.user_id AS "userId", a.number, a.device_hash AS "deviceHash",
  a.started_at AS "startedAt", a.deadline_at AS "deadlineAt", a.paper, a.max_score::float8 AS "maxScore", a.status,
  a.submitted_at AS "submittedAt", a.submit_reason AS "submitReason", a.auto_score::float8 AS "autoScore",
  a.score::float8 AS score, a.passed, e.title, e.pass_percent::float8 AS "passPercent", e.show_answers AS "showAnswers",
  e.multiple_scoring AS scoring, now() AS now`;

export interface AnswerRow {
  item: number;
  answer: MemberAnswer;
  revision: number;
  savedAt: Date;
  points: number | null;
  comment: string | null;
}

export const ANSWER_COLUMNS = `item, answer, revision, saved_at AS "savedAt", points::float8 AS points, grader_comment AS comment`;

export const savedAnswers = (rows: AnswerRow[]): SavedAnswer[] =>
  rows.map((r) => ({ item: r.item, answer: r.answer, revision: r.revision, savedAt: r.savedAt.toISOString() }));

/**
 * A submitted attempt as its member sees it. Keys and explanations are shown only once the attempt is
 * graded and the exam shows answers.
 */
export function attemptResult(attempt: AttemptRow, answers: AnswerRow[]): AttemptResult {
  const byItem = new Map(answers.map((a) => [a.item, a]));
  const reveal = attempt.status === 'graded' && attempt.showAnswers;
  const submitted = attempt.status === 'grading' || attempt.status === 'graded';
  let pending = 0;
  const questions = attempt.paper.map((item, i): ResultQuestion => {
    const saved = byItem.get(i) ?? null;
    const awarded = saved ? saved.points : submitted ? 0 : null;
    if (submitted && saved && saved.points === null) pending++;
    const correct =
      awarded === null
        ? null
        : item.kind === 'short_answer'
          ? awarded >= item.points
          : gradeAnswer(item, saved?.answer ?? null, attempt.scoring).correct;
    return {
      ...toMemberQuestion(item, i, examImageUrl),
      answer: saved?.answer ?? null,
      awarded,
      correct,
      graderComment: saved?.comment ?? null,
      key: reveal ? item.key : null,
      explanation: reveal ? item.explanation : null,
    };
  });
  return {
    attemptId: attempt.id,
    examId: attempt.examId,
    title: attempt.title,
    number: attempt.number,
    status: attempt.status,
    submittedAt: attempt.submittedAt?.toISOString() ?? null,
    submitReason: attempt.submitReason,
    score: attempt.score,
    autoScore: attempt.autoScore,
    maxScore: attempt.maxScore,
    percent: attempt.score === null ? null : percentOf(attempt.score, attempt.maxScore),
    passPercent: attempt.passPercent,
    passed: attempt.passed,
    pendingItems: pending,
    showAnswers: attempt.showAnswers,
    questions,
  };
}
