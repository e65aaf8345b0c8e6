import type {
  AttemptAudit,
  AttemptStatus,
  AttemptSummary,
  ExamMemberRow,
  ExamOutcome,
  ExamReport,
  ExamReportListItem,
  ExamView,
  ExtraAttemptView,
  GradeInput,
  GradingAnswer,
  GradingQueueItem,
  CursorPage,
} from '#contracts';
import { request } from './api.js';

export type {
  AttemptAudit,
  AttemptEvent,
  AttemptStatus,
  AttemptSummary,
  ExamMemberRow,
  ExamOutcome,
  ExamQuestionRow,
  ExamReport,
  ExamReportListItem,
  ExamUnitRow,
  ExamView,
  ExtraAttemptView,
  GradingAnswer,
  GradingQueueItem,
} from '#contracts';

export const EXAM_OUTCOMES: readonly ExamOutcome[] = ['passed', 'failed', 'grading', 'not_taken'];

export type { CursorPage } from '#contracts';

const id = encodeURIComponent;

function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

// ---- grading -------------------------------------------------------------------------------------

export const gradingQueue = () => request<GradingQueueItem[]>('GET', '/api/grading/queue');

export const gradingAnswers = (examId: string, questionId: string) =>
  request<GradingAnswer[]>('GET', `/api/grading/exams/${id(examId)}/questions/${id(questionId)}`);

export const gradeAnswer = (input: GradeInput) => request<GradingAnswer>('POST', '/api/grading/answers', input);

// ---- integrity -----------------------------------------------------------------------------------

export const examAttempts = (
  examId: string,
  params: { unitId?: string; userId?: string; status?: AttemptStatus; limit?: number; cursor?: string | null } = {},
) => request<CursorPage<AttemptSummary>>('GET', `/api/exams/${id(examId)}/attempts${query(params)}`);

/** One member's attempts at an exam, oldest first (the list is read to its end, keeping only theirs). */
export async function memberAttempts(examId: string, userId: string): Promise<AttemptSummary[]> {
  const found: AttemptSummary[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const answer: CursorPage<AttemptSummary> = await examAttempts(examId, { userId, limit: 100, cursor });
    found.push(...answer.items.filter((a) => a.member.id === userId));
    cursor = answer.nextCursor ?? null;
    if (!cursor) break;
  }
  return found.sort((a, b) => a.number - b.number);
}

export const attemptAudit = (attemptId: string) => request<AttemptAudit>('GET', `/api/exam-attempts/${id(attemptId)}/audit`);

export const voidAttempt = (attemptId: string, reason: string) =>
  request<AttemptSummary>('POST', `/api/exam-attempts/${id(attemptId)}/void`, { reason });

export const grantExtraAttempt = (examId: string, userId: string, reason: string) =>
  request<ExtraAttemptView>('POST', `/api/exams/${id(examId)}/extra-attempts`, { userId, reason });

// ---- reports -------------------------------------------------------------------------------------

export const examReportList = () => request<ExamReportListItem[]>('GET', '/api/reports/exams');

export const examReport = (examId: string, unitId?: string) =>
  request<ExamReport>('GET', `/api/reports/exams/${id(examId)}${query({ unitId })}`);

export interface MemberQuery {
  unitId?: string;
  outcome?: ExamOutcome | '';
  limit?: number;
  cursor?: string | null;
}

export const examReportMembers = (examId: string, params: MemberQuery) =>
  request<CursorPage<ExamMemberRow>>('GET', `/api/reports/exams/${id(examId)}/members${query({ ...params })}`);

/** The export of the members table; the server reads `format` (and `lang`) as the other reports do. */
export const examExportPath = (examId: string, unitId?: string) => `/api/reports/exams/${id(examId)}/export${query({ unitId })}`;

/** Published exams, e.g. for a plan to require (the first page is plenty for a picker). */
export const publishedExams = () => request<CursorPage<ExamView>>('GET', '/api/exams?status=published&limit=100');

export const getExam = (examId: string) => request<ExamView>('GET', `/api/exams/${id(examId)}`);
