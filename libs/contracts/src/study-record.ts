/**
 * The personal study record (a PDF a member downloads) and its public verification. Each download issues
 * a record: a row keeping a snapshot of exactly what the PDF says, under a random code that the PDF's
 * QR code links to (`/verify/<code>`).
 */
import type { PlanStatus } from './api.js';

/**
 * Which rule counted a plan's hours (My study's breakdown):
 * - `watch_time`: a watch-time plan's credited seconds of lectures other than its compulsory ones, in the period;
 * - `per_lecture`: a per-lecture plan's fixed hours for each lecture completed in the period, other than its compulsory ones;
 * - `compulsory`: the plan's compulsory lectures, counted by the plan's own rule, in the period;
 * - `makeup`: study in the make-up window (after the period, for members granted it), by the plan's rule;
 * - `exam`: the stated credit hours of the required exams passed (each once; a passing attempt handed in on a
 *   day that counts: in the period, or in the make-up window for members granted it);
 * - `frozen`: a closed plan's result, frozen when it was closed.
 * The parts of one plan add up to its earned hours.
 */
export type HoursRule = 'watch_time' | 'per_lecture' | 'compulsory' | 'makeup' | 'exam' | 'frozen';

export interface HoursByRule {
  rule: HoursRule;
  hours: number;
  /** Lectures that contributed (0 for `frozen`, whose lectures are not kept, and for `exam`). */
  lectures: number;
}

/** A record number: 26 characters of Crockford base32 (130 random bits), shown in groups. */
export const STUDY_RECORD_CODE = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Normalises a typed or scanned record number (case, spaces, dashes) to its stored form; null if it cannot be one. */
export function normaliseRecordCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, '').toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
  return STUDY_RECORD_CODE.test(code) ? code : null;
}

/** "ABCD-EFGH-…": easier to read aloud and to compare with a printed copy. */
export function groupRecordCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}

export interface StudyRecordLecture {
  courseTitle: string;
  lectureTitle: string;
  /** Day the lecture was completed, YYYY-MM-DD in the organisation's time zone. */
  completedOn: string;
  /** Seconds credited toward the plan for this lecture (watch time) or its fixed hours × 3600 (per lecture). */
  creditedSec: number;
}

export interface StudyRecordPlan {
  planId: string;
  name: string;
  periodStart: string;
  periodEnd: string;
  mode: 'watch_time' | 'per_lecture';
  /** Per-lecture plans: the hours each completed lecture earns. */
  creditHoursPerLecture: number | null;
  requiredHours: number;
  earnedHours: number;
  status: PlanStatus;
  /** Set for a closed plan: the figures are its frozen result. */
  closedAt: string | null;
  hoursByRule: HoursByRule[];
  /** Lectures completed that count toward the plan (for a closed plan: as far as they can be told from the study records). */
  lectures: StudyRecordLecture[];
}

/** An exam the member passed: their best graded attempt. */
export interface StudyRecordExam {
  examId: string;
  title: string;
  /** Day the passing attempt was graded, YYYY-MM-DD in the organisation's time zone. */
  passedOn: string;
  score: number;
  maxScore: number;
  /** Score as a percent of the paper, 0..100. */
  percent: number;
}

/** What a record says: kept as issued, and what the PDF was drawn from. */
export interface StudyRecordSnapshot {
  name: string;
  login: string;
  /** Unit names from the root down, e.g. ["市委", "东区分会", "第一小组"]. */
  unitPath: string[];
  plans: StudyRecordPlan[];
  /** Exams passed (absent from records issued before exams were kept on them). */
  exams?: StudyRecordExam[];
}

export interface IssuedStudyRecord {
  code: string;
  issuedAt: string;
  lang: 'zh-CN' | 'en';
  timeZone: string;
  snapshot: StudyRecordSnapshot;
}

/** What the record page shows before downloading: the snapshot as it would be issued now. */
export interface StudyRecordPreview {
  timeZone: string;
  snapshot: StudyRecordSnapshot;
}

/**
 * The public answer for a record number. Withheld from verifiers: the login, the user id, and anything
 * beyond the record itself; name and unit path identify the person as the paper does.
 */
export interface StudyRecordVerification {
  code: string;
  issuedAt: string;
  lang: 'zh-CN' | 'en';
  timeZone: string;
  name: string;
  unitPath: string[];
  plans: Array<Omit<StudyRecordPlan, 'planId' | 'lectures'> & { lectureCount: number; lectures: StudyRecordLecture[] }>;
  exams: StudyRecordExam[];
  current: {
    /** Whether the member's figures computed now (hours, statuses, lectures) are still those the record shows. */
    sameAsIssued: boolean;
  };
}
