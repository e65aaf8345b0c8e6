// Chapters of a lecture: what the player, the studio's chapter editor and My study exchange with the catalog.
import { chapterAt } from '../../media/src/chapters.js';

/** One chapter: where it starts (seconds from the start of the lecture, to the millisecond) and its title. */
export interface LectureChapter {
  title: string;
  startSec: number;
}

/** A lecture's current chapter list, sorted by start (`GET /api/lectures/:id/chapters`). */
export interface LectureChaptersView {
  lectureId: string;
  lectureTitle: string;
  courseId: string;
  courseTitle: string;
  /** The lecture's length when its media is ready, else null (the end is then not checked on saving). */
  durationSec: number | null;
  /** Number of the current list (0: none was ever saved); a save may name it to refuse overwriting a newer one. */
  revision: number;
  chapters: LectureChapter[];
  /** When and by whom the current list was saved; null when none was. The saver's name is shown to editors only. */
  savedAt: string | null;
  savedBy: string | null;
  /** Lists saved before and since replaced, kept on record. */
  previousLists: number;
  /** The caller may change the chapters (an editor of the course). */
  mayEdit: boolean;
}

/** `PUT /api/lectures/:id/chapters`: the whole list, in any order; the saved list comes back sorted. */
export interface SaveChaptersInput {
  chapters: LectureChapter[];
  /** The revision the editor started from; when another list was saved since, the save is refused (409). */
  revision?: number;
}

/** A refused row of a chapter list, in a 400 answer's `problems` (row counts from 0 in the order sent). */
export interface ChapterRowProblem {
  row: number | null;
  field: 'title' | 'startSec' | null;
  code: 'too_many' | 'title_empty' | 'title_too_long' | 'start_invalid' | 'start_negative' | 'start_too_late' | 'same_second';
  message: string;
}

/** `POST /api/lectures/:id/chapters/import`: chapters read from the uploaded file, proposed for review; nothing is saved. */
export interface ChapterImportView {
  /** Empty when the file carries no chapters of its own; `message` then says so. */
  chapters: LectureChapter[];
  /** How many chapters the file named, before those past the end or in the same second were left out. */
  foundInFile: number;
  message: string;
}

/** Where a member stopped, in chapters: "stopped in chapter 3, «…»". `number` counts from 1 in start order. */
export interface StoppedInChapter {
  number: number;
  title: string;
  startSec: number;
}

/** A lecture on My study, with the chapter the member stopped in (null: no chapters, or stopped before the first). */
export interface WithStoppedInChapter {
  stoppedIn?: StoppedInChapter | null;
}

/**
 * The chapter a member stopped in at `positionSec`, for the resume prompt and My study. Null when the lecture has no
 * chapters, the position is not a number, or it lies before the first chapter. `chapters` must be sorted by start,
 * as the catalog answers them. Pure and dependency-free beyond the chapter rules: the server imports it as
 * `#contracts`, the browser app by its path.
 */
export function stoppedInChapter(chapters: readonly LectureChapter[], positionSec: number): StoppedInChapter | null {
  if (!Number.isFinite(positionSec)) return null;
  const found = chapterAt(chapters, Math.max(0, positionSec));
  return found ? { number: found.index + 1, title: found.chapter.title, startSec: found.chapter.startSec } : null;
}

/** A chapter list saved earlier and since replaced, kept on record. */
export interface ChapterVersionSummary {
  revision: number;
  savedAt: string;
  savedByName: string;
  chapterCount: number;
  /** When and by whom it was replaced. */
  archivedAt: string;
  archivedByName: string;
}

/** `GET /api/lectures/:id/chapters/versions`: the earlier lists of a lecture, newest first (editors only). */
export interface ChapterVersionList {
  lectureId: string;
  /** Number of the current list (0: none); a restore may name it to refuse a stale one (409). */
  revision: number;
  versions: ChapterVersionSummary[];
}

/** `GET /api/lectures/:id/chapters/versions/:revision`: one earlier list, read-only. */
export interface ChapterVersionView extends ChapterVersionSummary {
  chapters: LectureChapter[];
}

/** `POST /api/lectures/:id/chapters/versions/:revision/restore`: saves that list as the current one. */
export interface RestoreChapterVersionInput {
  /** The current list's number the editor saw; when another list was saved since, the restore is refused (409). */
  revision?: number;
}
