/**
 * Shapes of the catalog API that the browser app reads too: one definition for the server that
 * answers and the client that renders (the client imports them as types only).
 */
import type { HoursByRule } from './study-record.js';
import type { ExamOutcome, PlanExamStatus } from './exams.js';
import type { AttentionCheckinPrompt } from './listening.js';
import type { StudyCounting } from './progress.js';

export type PlanStatus = 'met' | 'on_track' | 'behind' | 'not_started';

export interface CategoryView {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface CourseCard {
  id: string;
  title: string;
  description: string;
  category: CategoryView;
  compulsory: boolean;
  coverUrl: string | null;
  lectureCount: number;
  totalDurationSec: number;
  publishedAt: string | null;
  /** Set by a search when a lecture of the course says the searched words (see captions.ts). */
  spoken?: import('./captions.js').SpokenMatch;
}

export interface LectureSummary {
  id: string;
  title: string;
  speaker: string;
  description: string;
  position: number;
  durationSec: number | null;
  posterUrl: string | null;
}

export interface CourseDetail extends CourseCard {
  lectures: LectureSummary[];
}

export interface PlaybackDownload {
  quality: 'standard' | 'high' | 'audio';
  url: string;
  /** Null only for media published before file sizes were recorded, when storage could not say either. */
  bytes: number | null;
  fileName: string;
  width?: number;
  height?: number;
}

export interface PlaybackSessionView {
  sessionId: string;
  lectureId: string;
  lectureTitle: string;
  courseId: string;
  courseTitle: string;
  resumePositionSec: number;
  durationSec: number;
  /** An audio lecture has no picture: the player offers no separate listening mode for it. */
  kind: 'video' | 'audio';
  masterUrl: string;
  audioOnlyUrl: string | null;
  /** The high-quality (or only) offline file; `downloads` lists every one. */
  downloadUrl: string | null;
  /** Offline files, smallest video first, then sound only; each a signed link served as an attachment named `fileName`. */
  downloads: PlaybackDownload[];
  posterUrl: string | null;
  expiresAt: string;
  creditedSec: number;
  /** Signs this session's heartbeats; navigator.sendBeacon cannot send an Authorization header. */
  heartbeatToken: string;
}

export interface MyPlan {
  id: string;
  name: string;
  periodStart: string;
  periodEnd: string;
  daysLeft: number;
  mode: 'watch_time' | 'per_lecture';
  requiredHours: number;
  earnedHours: number;
  remainingHours: number;
  percent: number;
  status: PlanStatus;
  compulsoryMissing: Array<{ lectureId: string; title: string; courseId: string; courseTitle: string }>;
  /** Set only for a member granted the make-up window (one who fell short in the period). */
  makeupUntil: string | null;
  /**
   * When an admin closed the plan. A closed plan shows the member's result frozen then (earned, required,
   * status 'met' or not) and nothing later changes it; make-up study is reported beside it (`makeupHours`).
   */
  closedAt: string | null;
  /** Closed plans, for members granted the make-up window: hours studied in it, apart from the frozen result. */
  makeupHours: number | null;
  /** Per-lecture plans: the hours each completed lecture earns. */
  creditHoursPerLecture: number | null;
  /** The earned hours split by the rule that counted them; the parts add up to `earnedHours`. */
  hoursByRule: HoursByRule[];
  /**
   * Exams the plan requires, with the member's result: the plan is met only once each is passed. A closed
   * plan shows the results frozen when it closed.
   */
  exams: PlanExamStatus[];
  /** Open plans: how the member's study time was counted (kinds, what the plan excluded, the daily limit, the conversion). */
  counting: StudyCounting | null;
}

export interface MyLecture {
  lectureId: string;
  title: string;
  courseId: string;
  courseTitle: string;
  positionSec: number;
  durationSec: number;
  creditedSec: number;
  coverageRatio: number;
  completed: boolean;
  lastStudiedAt: string;
  posterUrl: string | null;
}

export interface MyStudy {
  plans: MyPlan[];
  continueWatching: MyLecture[];
  lectures: MyLecture[];
}

/** One member's standing against a study plan, as the plan reports list it. */
export interface MemberStanding {
  userId: string;
  name: string;
  login: string;
  category: string | null;
  unitId: string;
  unitPath: string;
  earnedHours: number;
  requiredHours: number;
  remainingHours: number;
  compulsoryMissing: number;
  lastStudyDay: string | null;
  status: PlanStatus;
  /** Closed plans only: study in the make-up window, reported beside the frozen result. */
  makeupHours: number | null;
  /** Earned, remaining and make-up study in whole seconds (unrounded), for the shared duration rule. */
  earnedSec: number;
  remainingSec: number;
  makeupSec: number | null;
  /** Exams the plan requires, with the member's result (a closed plan's as frozen); empty when it requires none. */
  exams?: PlanMemberExam[];
  /** How many of them the member has not passed. */
  examsMissing?: number;
}

/**
 * A report table as its JSON answer carries it: the labelled columns (what the files head them) and each
 * row once, typed; the screen formats them. (`format=table` answers the same columns with text cells.)
 */
export interface ReportTableAnswer<Item> {
  columns: Array<{ key: string; label: string }>;
  items: Item[];
}

/** One page of a plan's members, filtered and sorted on the server; the files carry every page. */
export interface MemberReportPage extends ReportTableAnswer<MemberStanding> {
  page: number;
  limit: number;
  /** Members the filter keeps, on every page. */
  total: number;
  /** How many of them stand at each status. */
  counts: Record<PlanStatus, number>;
  /** 'rollup': from the plan rollup, as of `asOf`; 'live': computed on request; 'frozen': a closed plan's results. */
  source: 'rollup' | 'live' | 'frozen';
  asOf: string | null;
}

/** A member's result in one exam a plan requires, as the plan reports list it. */
export interface PlanMemberExam {
  examId: string;
  title: string;
  outcome: ExamOutcome;
  score: number | null;
  maxScore: number | null;
  percent: number | null;
}

/** A unit's figures for a plan, over its whole subtree. */
export interface UnitRollup {
  unitId: string;
  parentId: string | null;
  name: string;
  path: string;
  depth: number;
  members: number;
  met: number;
  percentMet: number;
  onTrack: number;
  behind: number;
  notStarted: number;
  totalHours: number;
  averageHours: number;
  /** The same two figures in whole seconds, for the shared duration rule (`formatDuration`). */
  totalSec: number;
  averageSec: number;
  compulsoryCompleted: number;
}

/** A point of a lecture's audience retention: the share (0..1) of its viewers who watched `position` (seconds). */
export interface RetentionPoint {
  position: number;
  share: number;
}

/** One lecture's figures over the caller's subtree, with its audience retention. */
export interface LectureReport {
  lectureId: string;
  title: string;
  courseTitle: string;
  durationSec: number;
  viewers: number;
  completions: number;
  completionRate: number;
  averageCoverage: number;
  totalHours: number;
  /** Credited study in whole seconds, for the shared duration rule. */
  totalSec: number;
  retention: RetentionPoint[];
}

/** Who a member is, as the member detail heads it. */
export interface MemberFacts {
  id: string;
  name: string;
  login: string;
  category: string | null;
  active: boolean;
  unitPath: string;
  unitName: string;
  /** The unit's path of names from the reader's own unit down ("东区分会 / 东区第一小组"); the JSON report only. */
  unitTrail?: string;
}

/** A lecture a member has studied, as the member detail lists it. */
export interface MemberLecture {
  lectureId: string;
  title: string;
  courseTitle: string;
  creditedSec: number;
  durationSec: number;
  /** 0..1: the share of the lecture the member has watched. */
  coverageRatio: number;
  completed: boolean;
  /** ISO 8601. */
  lastStudiedAt: string;
  /** The calendar day of `lastStudiedAt` in the platform's time zone, YYYY-MM-DD. */
  lastStudiedDay: string;
}

/** The answer to an accepted (or replayed) heartbeat: what it earned and the lecture's total so far. */
export interface HeartbeatAnswer {
  seq: number;
  creditedSec: number;
  lectureCreditedSec: number;
  coverageRatio: number;
  completed: boolean;
  position: number;
  /** A "still listening?" check-in waiting for its answer; present on every answer until it is answered. */
  checkin?: AttentionCheckinPrompt;
}
