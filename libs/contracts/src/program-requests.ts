// Programs on demand: members' requests, votes and editors' answers.

export const PROGRAM_REQUEST_STATUSES = ['open', 'planned', 'answered', 'declined', 'withdrawn'] as const;
export type ProgramRequestStatus = (typeof PROGRAM_REQUEST_STATUSES)[number];

export const PROGRAM_REQUEST_LIMITS = { title: 120, detail: 500, note: 500, reason: 500, query: 120 } as const;

export interface ProgramRequestCategory {
  id: string;
  nameZh: string;
  nameEn: string;
}

/** A request as members read it: no requester's name, only whether it is the caller's own or has their vote. */
export interface ProgramRequestView {
  id: string;
  title: string;
  detail: string;
  category: ProgramRequestCategory | null;
  status: ProgramRequestStatus;
  votes: number;
  mine: boolean;
  voted: boolean;
  /** The editor's note on a planned (or answered) request. */
  answerNote: string | null;
  /** The course that now covers the request. */
  course: { id: string; title: string } | null;
  declineReason: string | null;
  /** The request this duplicate was merged into. */
  mergedInto: string | null;
  answeredAt: string | null;
  createdAt: string;
}

/** A similar request found while a member types. */
export interface SimilarRequest {
  id: string;
  title: string;
  status: ProgramRequestStatus;
  votes: number;
  mine: boolean;
  voted: boolean;
  /** Share of the typed terms the request contains, 0–1. */
  score: number;
}

export interface MyProgramRequests {
  requested: ProgramRequestView[];
  voted: ProgramRequestView[];
}

/** One row of the ranked demand: votes counted from members of the caller's subtree and the filters. */
export interface DemandItem {
  id: string;
  title: string;
  category: ProgramRequestCategory | null;
  status: ProgramRequestStatus;
  votes: number;
  createdAt: string;
  lastVoteAt: string;
  /** Null when the requester's unit lies outside the caller's subtree. */
  requester: { name: string; unitName: string; unitPath: string } | null;
}

export interface DemandDetail extends ProgramRequestView {
  /** Null when the requester's unit lies outside the caller's subtree. */
  requester: { name: string; unitName: string; unitPath: string; memberCategory: string | null } | null;
  /** Votes from the caller's subtree, by member category (null: no category). */
  votesByCategory: Array<{ category: string | null; votes: number }>;
}

export type ProgramRequestAnswer =
  { kind: 'planned'; note: string } | { kind: 'course'; courseId: string; note?: string } | { kind: 'declined'; reason: string };

export interface CourseChoice {
  id: string;
  title: string;
}

/** Open requests at the end of each week: all, and per course category (key: category id, or 'none'). */
export interface OpenWeekRow {
  week: string;
  total: number;
  byCategory: Record<string, number>;
}

export interface AnswerTimeRow {
  categoryId: string | null;
  categoryName: string;
  answered: number;
  medianDays: number | null;
  p90Days: number | null;
}

export interface ReportColumnView {
  key: string;
  label: string;
}

export interface OpenByWeekReport {
  columns: ReportColumnView[];
  items: OpenWeekRow[];
  categories: Array<{ key: string; name: string }>;
}

export interface AnswerTimesReport {
  columns: ReportColumnView[];
  items: AnswerTimeRow[];
}

/** What the staff pages filter by: units of the caller's subtree, member and course categories. */
export interface DemandFilterChoices {
  units: Array<{ id: string; name: string; path: string; depth: number }>;
  memberCategories: Array<{ code: string; nameZh: string; nameEn: string }>;
  courseCategories: ProgramRequestCategory[];
}
