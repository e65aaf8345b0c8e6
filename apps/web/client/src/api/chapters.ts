import type {
  ChapterImportView,
  ChapterRowProblem,
  LectureChapter,
  LectureChaptersView,
  SaveChaptersInput,
  StoppedInChapter,
  WithStoppedInChapter,
} from '#contracts';
import { request } from './api.js';

export type { ChapterImportView, ChapterRowProblem, LectureChapter, LectureChaptersView, StoppedInChapter };

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

/** The chapter My study says a lecture was left in, when the catalog sent one. */
export const stoppedInOf = (lecture: object): StoppedInChapter | null => (lecture as WithStoppedInChapter).stoppedIn ?? null;
