// A member's progress through a course: filled in by the course-progress endpoint.

/** One lecture of the course as the caller studied it. */
export interface LectureProgress {
  lectureId: string;
  /** The lecture's length, from its media. */
  durationSec: number;
  /** Seconds of the lecture watched at least once (each part counted once). */
  coveredSec: number;
  /** Where the caller stopped last time. */
  positionSec: number;
  /** covered / duration, 0–100, a whole number, never above 100. */
  percent: number;
  completed: boolean;
  /** ISO time, or null for a lecture never started. */
  lastStudiedAt: string | null;
}

/** The lecture to go on with, and where in it. */
export interface ContinuePoint {
  lectureId: string;
  /** The lecture's number in the course, from 1. */
  position: number;
  title: string;
  positionSec: number;
}

export interface CourseProgress {
  courseId: string;
  /** In the course's order; archived lectures and lectures without media are left out. */
  lectures: LectureProgress[];
  completedCount: number;
  lectureCount: number;
  /** null once every lecture is finished. */
  continue: ContinuePoint | null;
}

/** The caller's share of one course, for the course list. */
export interface CourseShare {
  courseId: string;
  /** Watched seconds over the course's length, 0–100, whole. */
  percent: number;
  completedCount: number;
  lectureCount: number;
}
