import type {
  ChapterImportView,
  ChapterRowProblem,
  ChapterVersionList,
  ChapterVersionView,
  LectureChapter,
  LectureChaptersView,
  RestoreChapterVersionInput,
  SaveChaptersInput,
  StoppedInChapter,
  WithStoppedInChapter,
} from '#contracts';
import { request } from './api.js';

export type {
  ChapterImportView,
  ChapterRowProblem,
  ChapterVersionList,
  ChapterVersionView,
  LectureChapter,
  LectureChaptersView,
  StoppedInChapter,
};

const path = (lectureId: string) => `/api/lectures/${encodeURIComponent(lectureId)}/chapters`;

/** The lecture's current chapters, sorted by start; for the player and the chapter editor. */
export function getChapters(lectureId: string): Promise<LectureChaptersView> {
  return request('GET', path(lectureId));
}

/** Replaces the whole list; a 400 answer carries `problems` by row. */
export function saveChapters(lectureId: string, input: SaveChaptersInput): Promise<LectureChaptersView> {
  return request('PUT', path(lectureId), input);
}

/** The chapters the lecture's uploaded file carries, proposed for review; nothing is saved. */
export function importChapters(lectureId: string, lang: 'zh-CN' | 'en'): Promise<ChapterImportView> {
  return request('POST', `${path(lectureId)}/import?lang=${encodeURIComponent(lang)}`, {}, { timeoutMs: 60_000 });
}

/** The lists saved before the current one, newest first (editors only). */
export function getChapterVersions(lectureId: string): Promise<ChapterVersionList> {
  return request('GET', `${path(lectureId)}/versions`);
}

export function getChapterVersion(lectureId: string, revision: number): Promise<ChapterVersionView> {
  return request('GET', `${path(lectureId)}/versions/${revision}`);
}

/** Saves an earlier list as the current one; `revision` is the list the page shows (409 when another was saved since). */
export function restoreChapterVersion(lectureId: string, revision: number, current: number): Promise<LectureChaptersView> {
  const body: RestoreChapterVersionInput = { revision: current };
  return request('POST', `${path(lectureId)}/versions/${revision}/restore`, body);
}

/** The chapter My study says a lecture was left in, when the catalog sent one. */
export const stoppedInOf = (lecture: object): StoppedInChapter | null => (lecture as WithStoppedInChapter).stoppedIn ?? null;
