// The chapter editor's rows: what the editor typed, turned into the list the catalog checks, and each problem as the
// words to show beside its row. Pure; the same rules (`validateChapters`) run again on the server.
import type { LectureChapter } from '#contracts';
import { formatChapterTime, parseChapterTime, validateChapters, type ChapterProblem } from '../../../../../libs/media/src/chapters.js';

export interface ChapterRow {
  /** Stable identity for rendering and focus, not saved. */
  key: number;
  time: string;
  title: string;
  /** The start the row was loaded with: kept to the millisecond while the typed time still reads as it. */
  loadedSec: number | null;
}

let nextKey = 1;
export const newRow = (time = '', title = '', loadedSec: number | null = null): ChapterRow => ({ key: nextKey++, time, title, loadedSec });

/** Rows for a saved or imported list. */
export const rowsOf = (chapters: readonly LectureChapter[]): ChapterRow[] =>
  chapters.map((c) => newRow(formatChapterTime(c.startSec), c.title, c.startSec));

/** The start a row's time stands for: its loaded start while the text is unchanged, NaN when it is not a time. */
export function startOf(row: ChapterRow): number {
  if (row.loadedSec !== null && row.time.trim() === formatChapterTime(row.loadedSec)) return row.loadedSec;
  return parseChapterTime(row.time) ?? Number.NaN;
}

/** The list as the catalog takes it, in the editor's order (null for a time that cannot be read). */
export const chaptersOf = (rows: readonly ChapterRow[]): Array<{ title: string; startSec: number | null }> =>
  rows.map((row) => {
    const start = startOf(row);
    return { title: row.title, startSec: Number.isFinite(start) ? start : null };
  });

/** Checks the rows as the catalog will: [] when they may be saved. */
export function checkRows(rows: readonly ChapterRow[], durationSec: number | null): ChapterProblem[] {
  const result = validateChapters(
    rows.map((row) => ({ title: row.title, startSec: startOf(row) })),
    durationSec,
  );
  return result.ok ? [] : result.errors;
}

export interface ProblemText {
  /** i18n key under `chapters.problem`. */
  key: `chapters.problem.${ChapterProblem['code']}`;
  params: { number: number; time: string; end: string };
}

/** The words for a problem, numbered as the rows are shown (from 1). */
export function problemText(
  problem: Pick<ChapterProblem, 'row' | 'code'>,
  rows: readonly ChapterRow[],
  durationSec: number | null,
): ProblemText {
  const row = problem.row === null ? undefined : rows[problem.row];
  const start = row ? startOf(row) : Number.NaN;
  return {
    key: `chapters.problem.${problem.code}`,
    params: {
      number: (problem.row ?? 0) + 1,
      time: Number.isFinite(start) ? formatChapterTime(start) : '',
      end: durationSec === null ? '' : formatChapterTime(durationSec),
    },
  };
}

/** Moves the row at `index` one place up or down; the same rows when it cannot move. */
export function moveRow<T>(rows: readonly T[], index: number, direction: 'up' | 'down'): T[] {
  const to = direction === 'up' ? index - 1 : index + 1;
  if (index < 0 || index >= rows.length || to < 0 || to >= rows.length) return [...rows];
  const next = [...rows];
  [next[index], next[to]] = [next[to]!, next[index]!];
  return next;
}
