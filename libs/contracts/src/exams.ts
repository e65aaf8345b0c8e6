/**
 * Exams: the question bank, exams and their papers, a member's attempts, grading, and the exam reports.
 * The server builds these answers and the web client reads them.
 *
 * Endpoints (all under /api; "editor" = role editor, "admin" = role admin, scope = the caller's subtree):
 *
 * Question bank (editor; admin reads)
 *   GET    /exam-questions?q&kind&topic&courseId&difficulty&includeRetired&limit&cursor   → CursorPage<QuestionView>
 *   GET    /exam-questions/topics                                                        → string[]
 *   POST   /exam-questions                      QuestionInput                            → QuestionView
 *   GET    /exam-questions/:id                                                           → QuestionView
 *   PUT    /exam-questions/:id                  QuestionInput                            → QuestionView
 *   POST   /exam-questions/:id/retire | /restore                                         → QuestionView
 *   POST   /exam-images   (raw body: image/png|jpeg|webp|gif, ≤ 2 MiB)                    → { id: string }
 *   GET    /exam-images/:id   (any signed-in user; the bytes)
 *   POST   /exam-question-imports?fileName&ownerUnitId  (raw body: .xlsx or .csv)        → QuestionImportPreview
 *   POST   /exam-question-imports/:id/confirm                                            → QuestionImportResult
 *   GET    /exam-question-imports/template.xlsx | template.csv
 *
 * Exams (editor manages; admin reads)
 *   GET    /exams?status&limit&cursor                                                    → CursorPage<ExamView>
 *   POST   /exams                               ExamInput                                → ExamView
 *   GET    /exams/:id                                                                    → ExamView
 *   PUT    /exams/:id                           ExamInput  (a published exam with attempts keeps its paper) → ExamView
 *   POST   /exams/:id/publish | /archive                                                 → ExamView
 *   GET    /exams/:id/sample                    a paper as a member would get it, with answers → SamplePaper
 *
 * Taking (member; editors may take exams too). Every call carries `X-Exam-Device: <key>` (a random key
 * the browser keeps); saves and submits from another device are refused (409 `other_device`).
 *   GET    /me/exams                                                                     → MyExamView[]
 *   GET    /me/exams/:examId                                                             → MyExamView
 *   POST   /me/exams/:examId/attempts           start, or resume the open attempt        → AttemptPaper
 *   GET    /me/attempts/:attemptId                                                       → AttemptPaper | AttemptResult once submitted
 *   PUT    /me/attempts/:attemptId/answers/:item   SaveAnswerInput                       → SaveAnswerResult
 *   POST   /me/attempts/:attemptId/submit                                                → AttemptResult
 *   GET    /me/attempts/:attemptId/result                                                → AttemptResult
 *
 * Grading (editors and admins whose subtree holds the member)
 *   GET    /grading/queue                                                                → GradingQueueItem[]
 *   GET    /grading/exams/:examId/questions/:questionId                                  → GradingAnswer[]
 *   POST   /grading/answers                     GradeInput                               → GradingAnswer
 *
 * Integrity (admin of the member's subtree)
 *   GET    /exams/:id/attempts?unitId&status&limit&cursor                                → CursorPage<AttemptSummary>
 *   GET    /exam-attempts/:id/audit                                                      → AttemptAudit
 *   POST   /exam-attempts/:id/void              { reason }                               → AttemptSummary
 *   POST   /exams/:id/extra-attempts            { userId, reason }                       → ExtraAttemptView
 *
 * Reports (admin, inspector; by the caller's subtree)
 *   GET    /reports/exams                                                                → ExamReportListItem[]
 *   GET    /reports/exams/:id?unitId                                                     → ExamReport
 *   GET    /reports/exams/:id/members?unitId&outcome&limit&cursor                        → CursorPage<ExamMemberRow>
 *   GET    /reports/exams/:id/export.csv | export.xlsx ?unitId   (the members table's columns)
 */

/** One page of a list read by cursor: pass `nextCursor` back for the next page; null at the end. */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

export type QuestionKind = 'single' | 'multiple' | 'true_false' | 'fill_blank' | 'short_answer';
export const QUESTION_KINDS: readonly QuestionKind[] = ['single', 'multiple', 'true_false', 'fill_blank', 'short_answer'];

/** One choice of a single or multiple choice question. `key` is a stable letter ("A", "B", ...). */
export interface QuestionOption {
  key: string;
  text: string;
}

/**
 * The correct answer of a question, by kind. Kept on the server; a member sees it only after grading, and
 * only if the exam shows answers.
 * - single: `{ keys: ["B"] }`; multiple: `{ keys: ["A", "C"] }`;
 * - true_false: `{ value: true }`;
 * - fill_blank: `{ blanks: [["北京", "北京市"], ["1921"]] }`: for each blank, the accepted answers;
 * - short_answer: `{ reference: "..." }`: guidance for the grader (may be empty).
 */
export type QuestionAnswerKey = { keys: string[] } | { value: boolean } | { blanks: string[][] } | { reference: string };

/** What a member answers, by kind: the chosen keys, true/false, one text per blank, or a text. */
export type MemberAnswer = { keys: string[] } | { value: boolean } | { blanks: string[] } | { text: string };

export interface QuestionInput {
  kind: QuestionKind;
  stem: string;
  options: QuestionOption[];
  answer: QuestionAnswerKey;
  points: number;
  explanation: string;
  topic: string | null;
  courseId: string | null;
  lectureId: string | null;
  difficulty: number | null;
  tags: string[];
  imageId: string | null;
  /** The unit owning the question; the caller's own unit when omitted. */
  ownerUnitId?: string;
}

export interface QuestionView extends Omit<QuestionInput, 'ownerUnitId'> {
  id: string;
  ownerUnit: { id: string; name: string };
  courseTitle: string | null;
  lectureTitle: string | null;
  /** `/api/exam-images/<id>`, or null. */
  imageUrl: string | null;
  retiredAt: string | null;
  /** How many exams' papers use it (fixed items, or attempts that were given it). */
  usedBy: number;
  createdAt: string;
  updatedAt: string;
}

// ---- import ------------------------------------------------------------------------------------

/**
 * The import's columns, in the template's order (headers in Chinese or English are both read):
 * 题型/kind, 题干/stem, 选项A..选项H/option A..H, 答案/answer, 分值/points, 解析/explanation, 主题/topic,
 * 难度/difficulty, 标签/tags. Answers: "B", "AC" or "A,C"; 对/错, 正确/错误, true/false; blanks separated
 * by "||" with accepted alternatives separated by "|".
 */
export interface QuestionImportRow {
  /** The row number in the file (header = 1). */
  row: number;
  /** The question as read, when the row is valid. */
  question: QuestionInput | null;
  /** What is wrong with the row, in words that say how to fix it; empty when valid. */
  errors: string[];
}

export interface QuestionImportPreview {
  batchId: string;
  fileName: string;
  encoding: 'utf-8' | 'utf-8-bom' | 'gb18030' | 'xlsx';
  acceptCount: number;
  rejectCount: number;
  rows: QuestionImportRow[];
  expiresAt: string;
}

export interface QuestionImportResult {
  created: number;
  rejected: number;
  questionIds: string[];
}

// ---- exams -------------------------------------------------------------------------------------

export interface FixedItemInput {
  questionId: string;
  /** Overrides the question's points on this paper. */
  points?: number | null;
}

/** "10 single-choice from topic X": questions drawn from the bank for each member. */
export interface DrawRuleInput {
  kind: QuestionKind;
  topic?: string | null;
  courseId?: string | null;
  difficulty?: number | null;
  count: number;
  points?: number | null;
}

export interface ExamAudience {
  unitIds: string[];
  categories: string[];
  positions: string[];
  classIds: string[];
}

export interface ExamInput {
  title: string;
  description: string;
  paperKind: 'fixed' | 'drawn';
  fixedItems: FixedItemInput[];
  drawRules: DrawRuleInput[];
  timeLimitMin: number;
  passPercent: number;
  maxAttempts: number;
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  multipleScoring: 'all_or_nothing' | 'partial';
  opensAt: string;
  closesAt: string;
  showAnswers: boolean;
  creditHours: number | null;
  requiresCourseId: string | null;
  requiresPlanId: string | null;
  requiresShare: number | null;
  preExamId: string | null;
  audience: ExamAudience;
  ownerUnitId?: string;
}

export type ExamStatus = 'draft' | 'published' | 'archived';

export interface ExamView extends Omit<ExamInput, 'ownerUnitId'> {
  id: string;
  status: ExamStatus;
  ownerUnit: { id: string; name: string };
  /** Questions a member gets, and the paper's total points. */
  questionCount: number;
  maxScore: number;
  /** Post-tests that name this exam as their pre-test. */
  postExamIds: string[];
  attemptCount: number;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

/**
 * A paper drawn for the editor's preview (`GET /exams/:id/sample`): each question as a member would get it,
 * with its key and explanation; a drawn exam gives a different draw each time.
 */
export interface SamplePaper {
  items: Array<PaperQuestion & { key: QuestionAnswerKey; explanation: string }>;
  maxScore: number;
}

// ---- taking ------------------------------------------------------------------------------------

/** Why a member may not start an exam now; null when they may. */
export type ExamBlock =
  'not_open' | 'closed' | 'no_attempts_left' | 'prerequisite' | 'in_progress_elsewhere' | 'not_in_audience' | 'archived';

export type AttemptStatus = 'in_progress' | 'grading' | 'graded' | 'voided';

export interface MyExamView {
  examId: string;
  title: string;
  description: string;
  opensAt: string;
  closesAt: string;
  timeLimitMin: number;
  passPercent: number;
  questionCount: number;
  maxScore: number;
  maxAttempts: number;
  /** Attempts used (voided ones do not count) and left, with extra attempts granted. */
  attemptsUsed: number;
  attemptsLeft: number;
  /** The attempt in progress, if any (to resume). */
  openAttemptId: string | null;
  block: ExamBlock | null;
  /** For `prerequisite`: the share required and the member's share done, 0..1. */
  prerequisite: { courseTitle: string | null; planName: string | null; requiredShare: number; doneShare: number } | null;
  /** The best result so far (graded), or the latest pending one. */
  result: {
    attemptId: string;
    status: AttemptStatus;
    score: number | null;
    maxScore: number;
    percent: number | null;
    passed: boolean | null;
  } | null;
  /** 'pre' or 'post' when the exam is one of a pair. */
  pairRole: 'pre' | 'post' | null;
  creditHours: number | null;
}

/** A question as a member sees it while sitting: no answer, no explanation, options in the member's order. */
export interface PaperQuestion {
  /** Index in the member's paper; answers are saved by it. */
  item: number;
  kind: QuestionKind;
  stem: string;
  options: QuestionOption[];
  /** For fill_blank: how many blanks. */
  blanks: number;
  points: number;
  imageUrl: string | null;
}

export interface SavedAnswer {
  item: number;
  answer: MemberAnswer;
  revision: number;
  savedAt: string;
}

export interface AttemptPaper {
  attemptId: string;
  examId: string;
  title: string;
  number: number;
  startedAt: string;
  deadlineAt: string;
  /** Seconds left by the server's clock when this answer was made. */
  remainingSec: number;
  /** The server's time when this answer was made, so the page counts down from the server's clock. */
  serverNow: string;
  questions: PaperQuestion[];
  answers: SavedAnswer[];
}

export interface SaveAnswerInput {
  answer: MemberAnswer;
  /** The revision this save replaces (0 for the first save); an older one is refused as stale. */
  baseRevision: number;
}

export interface SaveAnswerResult {
  item: number;
  revision: number;
  savedAt: string;
  remainingSec: number;
}

export interface ResultQuestion extends PaperQuestion {
  answer: MemberAnswer | null;
  /** Points given; null while a short answer waits for a grader. */
  awarded: number | null;
  correct: boolean | null;
  graderComment: string | null;
  /** Only when the exam shows answers, after grading. */
  key: QuestionAnswerKey | null;
  explanation: string | null;
}

export interface AttemptResult {
  attemptId: string;
  examId: string;
  title: string;
  number: number;
  status: AttemptStatus;
  submittedAt: string | null;
  submitReason: 'member' | 'time_out' | null;
  score: number | null;
  autoScore: number | null;
  maxScore: number;
  percent: number | null;
  passPercent: number;
  passed: boolean | null;
  /** Short answers still waiting for a grader. */
  pendingItems: number;
  showAnswers: boolean;
  questions: ResultQuestion[];
}

// ---- grading -----------------------------------------------------------------------------------

export interface GradingQueueItem {
  examId: string;
  examTitle: string;
  questionId: string;
  stem: string;
  points: number;
  pending: number;
}

export interface GradingAnswer {
  attemptId: string;
  item: number;
  member: { id: string; name: string; unitName: string };
  stem: string;
  reference: string;
  text: string;
  points: number;
  awarded: number | null;
  comment: string | null;
  gradedBy: { id: string; name: string } | null;
  gradedAt: string | null;
  submittedAt: string;
}

export interface GradeInput {
  attemptId: string;
  item: number;
  points: number;
  comment: string;
}

// ---- integrity ---------------------------------------------------------------------------------

export interface AttemptSummary {
  attemptId: string;
  examId: string;
  member: { id: string; name: string; login: string; unitName: string };
  number: number;
  status: AttemptStatus;
  startedAt: string;
  submittedAt: string | null;
  submitReason: 'member' | 'time_out' | null;
  score: number | null;
  maxScore: number;
  passed: boolean | null;
  voidReason: string | null;
}

export type AttemptEventKind = 'started' | 'resumed' | 'saved' | 'refused' | 'submitted' | 'timed_out' | 'graded' | 'voided';

export interface AttemptEvent {
  at: string;
  kind: AttemptEventKind;
  actor: { id: string; name: string } | null;
  detail: Record<string, unknown>;
}

export interface AttemptAudit {
  attempt: AttemptSummary;
  events: AttemptEvent[];
  extraAttempts: ExtraAttemptView[];
}

export interface ExtraAttemptView {
  id: string;
  examId: string;
  userId: string;
  grantedBy: { id: string; name: string };
  reason: string;
  grantedAt: string;
}

// ---- reports -----------------------------------------------------------------------------------

export type ExamOutcome = 'passed' | 'failed' | 'grading' | 'not_taken';

export interface ExamReportListItem {
  examId: string;
  title: string;
  opensAt: string;
  closesAt: string;
  status: ExamStatus;
  audienceCount: number;
  taken: number;
  passed: number;
}

export interface ExamUnitRow {
  unit: { id: string; name: string; path: string };
  audience: number;
  taken: number;
  passed: number;
  failed: number;
  grading: number;
  notTaken: number;
  /** Mean of members' best scores as a percent of the paper, over members who have a graded attempt. */
  averagePercent: number | null;
}

export interface ExamQuestionRow {
  questionId: string;
  stem: string;
  kind: QuestionKind;
  topic: string | null;
  courseTitle: string | null;
  lectureTitle: string | null;
  answered: number;
  /** Share of answers given full points, 0..1. */
  correctShare: number | null;
  /** Mean points given as a share of the question's points, 0..1. */
  averageShare: number | null;
}

export interface ExamReport {
  examId: string;
  title: string;
  passPercent: number;
  maxScore: number;
  totals: Omit<ExamUnitRow, 'unit'>;
  units: ExamUnitRow[];
  questions: ExamQuestionRow[];
  /** For a post-test: its pre-test, and the members' average gain in percentage points. */
  prePost: {
    preExamId: string;
    preTitle: string;
    paired: number;
    averageBefore: number | null;
    averageAfter: number | null;
    averageGain: number | null;
  } | null;
}

export interface ExamMemberRow {
  member: { id: string; name: string; login: string; unitName: string; unitPath: string };
  outcome: ExamOutcome;
  attempts: number;
  bestScore: number | null;
  bestPercent: number | null;
  lastSubmittedAt: string | null;
  /** For a post-test: the member's pre-test percent, and the gain in percentage points. */
  beforePercent: number | null;
  gain: number | null;
}

// ---- study plans -------------------------------------------------------------------------------

/** An exam a plan requires, as My study and the plan views show it for one member. */
export interface PlanExamStatus {
  examId: string;
  title: string;
  opensAt: string;
  closesAt: string;
  attemptsLeft: number;
  outcome: ExamOutcome;
  score: number | null;
  maxScore: number;
  percent: number | null;
  creditHours: number | null;
}
