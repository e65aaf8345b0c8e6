import type { ContinuePoint } from '#contracts';
import { resumeFrom } from '../playback/playback.service.js';

/** Closer to the start than this, the player starts from the beginning (see the web player's resume offer). */
export const RESUME_FROM_START_BELOW_SEC = 5;

/** A lecture of the course as read for the caller, in course order. */
export interface StudiedLecture {
  lectureId: string;
  title: string;
  durationSec: number;
  coveredSec: number;
  positionSec: number;
  completed: boolean;
  /** null for a lecture never started. */
  lastStudiedAt: Date | null;
}

/** covered / duration as a whole percentage, rounded down so a lecture reads 100% only when all of it was watched. */
export function percentOf(coveredSec: number, durationSec: number): number {
  if (!(durationSec > 0) || !(coveredSec > 0)) return 0;
  return Math.min(100, Math.floor((coveredSec / durationSec) * 100));
}

/** Where the lecture page will resume: the server's rule, and the beginning when that is only a moment in. */
export function resumePosition(positionSec: number, durationSec: number): number {
  const at = resumeFrom(positionSec, durationSec);
  return at < RESUME_FROM_START_BELOW_SEC ? 0 : at;
}

/**
 * The lecture to continue: the most recently studied unfinished lecture at its resume position; else
 * the first unfinished lecture from its start; null when every lecture is finished (or there are none).
 */
export function chooseContinue(lectures: StudiedLecture[]): ContinuePoint | null {
  let latest = -1;
  lectures.forEach((lecture, index) => {
    if (lecture.completed || lecture.lastStudiedAt === null) return;
    if (latest < 0 || lecture.lastStudiedAt.getTime() > lectures[latest]!.lastStudiedAt!.getTime()) latest = index;
  });
  if (latest >= 0) {
    const lecture = lectures[latest]!;
    return {
      lectureId: lecture.lectureId,
      position: latest + 1,
      title: lecture.title,
      positionSec: resumePosition(lecture.positionSec, lecture.durationSec),
    };
  }
  const index = lectures.findIndex((lecture) => !lecture.completed);
  if (index < 0) return null;
  return { lectureId: lectures[index]!.lectureId, position: index + 1, title: lectures[index]!.title, positionSec: 0 };
}

/** The course's share watched: each lecture's covered seconds (up to its length) over the course's length. */
export function courseShare(lectures: Array<Pick<StudiedLecture, 'durationSec' | 'coveredSec' | 'completed'>>): number {
  if (lectures.length > 0 && lectures.every((l) => l.completed)) return 100;
  const total = lectures.reduce((sum, l) => sum + Math.max(0, l.durationSec), 0);
  const covered = lectures.reduce((sum, l) => sum + Math.min(Math.max(0, l.coveredSec), Math.max(0, l.durationSec)), 0);
  return Math.min(99, percentOf(covered, total));
}
