// Learning reflections, their review and the reflections wall.

export const REFLECTION_STATUSES = ['draft', 'submitted', 'returned', 'read', 'excellent', 'withdrawn'] as const;
export type ReflectionStatus = (typeof REFLECTION_STATUSES)[number];

export const REFLECTION_VERDICTS = ['read', 'excellent', 'returned'] as const;
export type ReflectionVerdict = (typeof REFLECTION_VERDICTS)[number];

export const REFLECTION_LIMITS = { title: 100, body: 5000, comment: 1000 } as const;

/** What a reflection was written for: a lecture, a course or a plan, each with its title. */
export interface ReflectionSubject {
  kind: 'lecture' | 'course' | 'plan';
  id: string;
  title: string;
}

export interface ReflectionListItem {
  id: string;
  title: string;
  status: ReflectionStatus;
  subject: ReflectionSubject | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  acceptedAt: string | null;
}

export interface ReflectionVersionView {
  version: number;
  title: string;
  body: string;
  submittedAt: string;
  review: ReflectionReviewView | null;
}

export interface ReflectionReviewView {
  verdict: ReflectionVerdict;
  comment: string;
  reviewerName: string;
  reviewedAt: string;
}

export interface ReflectionView extends ReflectionListItem {
  body: string;
  author: { id: string; name: string; unitName: string };
  /** Set when the author agreed to show it on a wall (excellent ones only). */
  consentAt: string | null;
  /** Walls it is shown on now. */
  publishedOn: Array<{ unitId: string; unitName: string; publishedAt: string }>;
  /** Every submitted version, oldest first, with its review. */
  history: ReflectionVersionView[];
  /** What the caller may do with it now. */
  can: { edit: boolean; submit: boolean; withdraw: boolean; consent: boolean; review: boolean; publish: boolean; unpublish: boolean };
}

export interface MyReflectionsView {
  items: ReflectionListItem[];
  /** The caller reviews someone's reflections (a link to the review queue). */
  isReviewer: boolean;
}

export interface SaveReflectionInput {
  title?: string;
  body: string;
  lectureId?: string;
  courseId?: string;
  planId?: string;
}

export interface ReviewInput {
  verdict: ReflectionVerdict;
  comment?: string;
}

export interface ReviewQueueItem {
  id: string;
  title: string;
  author: { id: string; name: string; unitName: string };
  subject: ReflectionSubject | null;
  version: number;
  submittedAt: string;
  /** A reflection sent again after it was returned. */
  resubmitted: boolean;
}

export interface ReviewQueueView {
  /** False when the caller reviews nobody's reflections. */
  isReviewer: boolean;
  /** Units whose members' reflections the caller reviews. */
  units: Array<{ id: string; name: string }>;
  items: ReviewQueueItem[];
}

export interface WallItem {
  id: string;
  title: string;
  body: string;
  authorName: string;
  authorUnitName: string;
  subject: ReflectionSubject | null;
  wallUnitName: string;
  publishedAt: string;
}

export interface ReflectionsReportRow {
  unitId: string;
  name: string;
  path: string;
  depth: number;
  /** Reflections submitted at least once (drafts not counted), by members of the unit and units below. */
  written: number;
  /** Reviews given (each returned, read or excellent verdict). */
  reviewed: number;
  accepted: number;
  returned: number;
  pending: number;
  /** Hours from submission to review, over the reviews given; null when none. */
  medianWaitHours: number | null;
  p90WaitHours: number | null;
  /** How long the oldest pending one has waited, in hours; null when none is pending. */
  oldestPendingHours: number | null;
}

export interface ReflectionsReportView {
  unit: { id: string; name: string; path: string };
  columns: Array<{ key: string; label: string }>;
  items: ReflectionsReportRow[];
}
