// Time members spend reading course materials in the page, and the plan rule that may count a material as read.

/**
 * POST /api/materials/:id/reading, every ~30 s while the reader is visible (and once when it opens, with 0).
 * `seconds`: the time the page was visible since the previous report, as the reader measured it. The server
 * credits at most its own clock's time since the previous accepted report of this member and material.
 */
export interface ReadingReportInput {
  seconds: number;
  /** The page on screen (PDFs), for the record only. */
  page?: number;
}

/** Bounds of a reading report. */
export const READING_LIMITS = {
  /** Most seconds one report may claim (a report every 30 s, a few missed). */
  maxReportSec: 120,
  /** `material_read_minutes` of a plan: 1 … 600. */
  minReadMinutes: 1,
  maxReadMinutes: 600,
} as const;

export interface ReadingReportAnswer {
  materialId: string;
  /** Seconds of reading credited to this member for this material, in all. */
  secondsRead: number;
  /** Seconds this report added (after the server's bound). */
  creditedSec: number;
  firstOpenedAt: string;
  lastReadAt: string;
}

/** One material of a plan's courses the member has opened, for My study. */
export interface MaterialReadView {
  materialId: string;
  title: string;
  courseId: string;
  courseTitle: string;
  /** Seconds read on days that count toward the plan. */
  secondsRead: number;
  /** At least the plan's minutes: the material counts as read. */
  read: boolean;
  /** The study-calendar day the reading reached the plan's minutes; null while not read. */
  readOn: string | null;
}

/** GET /api/me/material-reading: per open plan that counts reading, the materials opened and which count as read. */
export interface MyMaterialReading {
  plans: Array<{
    planId: string;
    planName: string;
    /** Minutes of reading that make a material read. */
    readMinutes: number;
    materials: MaterialReadView[];
    readCount: number;
  }>;
}
