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

/**
 * How a study plan counts study time (see `countStudy` in libs/watch): a daily maximum, a conversion from minutes
 * studied to study hours, a minimum lecture length for per-lecture plans, which kinds of study count, a cap on
 * in-person hours, and how often hidden-page or audio-only listening asks "still listening?".
 */
export interface PlanStudyRules {
  /** Most hours credited on one day (lectures and in-person together); null: no limit. */
  dailyLimitHours: number | null;
  /** Minutes of study that make one study hour (60: an hour is an hour). */
  minutesPerStudyHour: number;
  /** Per-lecture plans: only lectures at least this many minutes long earn their hours; null: any length. */
  minLectureMinutes: number | null;
  countsSpeedup: boolean;
  countsAudio: boolean;
  countsCollective: boolean;
  countsInPerson: boolean;
  /** Most in-person hours counted over the whole plan; null: no cap. */
  inPersonMaxHours: number | null;
  /** The check-in interval for hidden-page or audio-only listening, in minutes; null: no check-ins. */
  checkinMinutes: { min: number; max: number } | null;
  /** Minutes of reading that make a course material read; null (or absent): reading does not count. Never study hours. */
  materialReadMinutes?: number | null;
}

/**
 * How a member's study time was counted toward an open plan (My study), all in seconds of study time before
 * the conversion to study hours, except `studyHours`:
 * - `ownSec`: credited on the member's own screen (all credit less the collective part); `audioSec` and
 *   `speedupSec` are parts of it or of the collective part (they may overlap);
 * - `collectiveSec`: credited at collective viewings; `inPersonSec`: attended in person (on days that count);
 * - `excludedSec`: lecture time the plan does not count for its kind; `inPersonCountedSec`: in-person time counted
 *   (after the plan's cap and the daily limit);
 * - `cutSec` / `cutDays`: time the daily limit cut, in all and per day (YYYY-MM-DD);
 * - `studyHours`: the study hours the time earned (lecture credit of per-lecture plans and exam credit apart).
 */
export interface StudyCounting {
  rules: PlanStudyRules;
  ownSec: number;
  audioSec: number;
  speedupSec: number;
  collectiveSec: number;
  inPersonSec: number;
  inPersonCountedSec: number;
  excludedSec: number;
  cutSec: number;
  cutDays: Array<{ day: string; cutSec: number }>;
  studyHours: number;
}
