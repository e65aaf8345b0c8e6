// Lecture chapters: the editor's list checked row by row, the chapter at a playback position (player, resume), the
// progress bar's markers, and chapters read from the media file's own chapter track (ffprobe -show_chapters).
// A lecture need not have a chapter at 0: before the first chapter starts, no chapter is current.

/** Most chapters one lecture may have. */
export const CHAPTER_MAX_COUNT = 200;
/** Longest chapter title, in characters, after trimming. */
export const CHAPTER_TITLE_MAX_CHARS = 100;

export interface Chapter {
  title: string;
  /** Seconds from the start of the lecture, to the millisecond. */
  startSec: number;
}

export interface ChapterInput {
  title: string;
  startSec: number;
}

export type ChapterProblemCode =
  'too_many' | 'title_empty' | 'title_too_long' | 'start_invalid' | 'start_negative' | 'start_too_late' | 'same_second';

/**
 * `row` is the 0-based index in the input (null: the list as a whole); `field` names the input to mark. Messages
 * number chapters from 1 in the order the editor gave them.
 */
export interface ChapterProblem {
  row: number | null;
  field: 'title' | 'startSec' | null;
  code: ChapterProblemCode;
  message: string;
}

export type ChapterValidation = { ok: true; chapters: Chapter[] } | { ok: false; errors: ChapterProblem[] };

/** 750 → "12:30", 3723.4 → "1:02:03": whole seconds, hours only when there are any. */
export function formatChapterTime(sec: number): string {
  const total = Math.max(0, Math.floor(sec));
  const h = Math.floor(total / 3600);
  const m = Math.floor(total / 60) % 60;
  const s = total % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/**
 * What an editor types for a start time: "90", "12:30", "1:02:03" or with a fraction ("12:30.5"). Seconds (to the
 * millisecond), or null when it is not a time. Minutes and seconds after the first field must be below 60.
 */
export function parseChapterTime(text: string): number | null {
  const match = /^(?:(\d+):)??(?:(\d+):)?(\d+)(?:[.,](\d{1,3}))?$/.exec(text.trim());
  if (!match) return null;
  const [, h, m, s, frac] = match;
  if (m !== undefined && (s.length !== 2 || Number(s) > 59)) return null;
  if (h !== undefined && (m.length !== 2 || Number(m) > 59)) return null;
  const ms = (Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s)) * 1000 + Number((frac ?? '').padEnd(3, '0'));
  return Number.isSafeInteger(ms) ? ms / 1000 : null;
}

const tidyTitle = (title: unknown) => (typeof title === 'string' ? title.replace(/\s+/g, ' ').trim() : '');
const toMs = (sec: number) => Math.round(sec * 1000);

/**
 * Checks the editor's chapter list against a lecture of `durationSec` (null when the media is not ready yet: then
 * only the end is not checked). Titles are trimmed with inner whitespace collapsed and must have 1–100 characters;
 * starts are rounded to the millisecond and must lie in [0, duration); no two chapters may start in the same whole
 * second; at most 200 chapters. On success the chapters come back sorted by start. Checking its own output again
 * gives the same chapters.
 */
export function validateChapters(input: readonly ChapterInput[], durationSec: number | null): ChapterValidation {
  const errors: ChapterProblem[] = [];
  if (input.length > CHAPTER_MAX_COUNT) {
    errors.push({
      row: null,
      field: null,
      code: 'too_many',
      message: `There are ${input.length} chapters; a lecture may have at most ${CHAPTER_MAX_COUNT}. Remove some or merge short ones`,
    });
  }
  const knownDuration = durationSec !== null && Number.isFinite(durationSec) && durationSec > 0 ? durationSec : null;
  const rows: Array<{ row: number; chapter: Chapter }> = [];
  const bySecond = new Map<number, number>();
  input.forEach((raw, row) => {
    const n = row + 1;
    const title = tidyTitle(raw?.title);
    let valid = true;
    const length = [...title].length;
    if (length === 0) {
      errors.push({ row, field: 'title', code: 'title_empty', message: `Chapter ${n} has no title; give it a name` });
      valid = false;
    } else if (length > CHAPTER_TITLE_MAX_CHARS) {
      errors.push({
        row,
        field: 'title',
        code: 'title_too_long',
        message: `Chapter ${n}'s title has ${length} characters; the limit is ${CHAPTER_TITLE_MAX_CHARS}. Shorten it`,
      });
      valid = false;
    }
    const start = raw?.startSec;
    if (typeof start !== 'number' || !Number.isFinite(start)) {
      errors.push({ row, field: 'startSec', code: 'start_invalid', message: `Chapter ${n} has no start time; enter one like 12:30` });
      return;
    }
    const startMs = toMs(start) === 0 ? 0 : toMs(start); // no -0
    if (startMs < 0) {
      errors.push({
        row,
        field: 'startSec',
        code: 'start_negative',
        message: `Chapter ${n} starts before the lecture does; the earliest start is 00:00`,
      });
      return;
    }
    if (knownDuration !== null && startMs >= toMs(knownDuration)) {
      errors.push({
        row,
        field: 'startSec',
        code: 'start_too_late',
        message: `Chapter ${n} starts at ${formatChapterTime(startMs / 1000)}, but the lecture ends at ${formatChapterTime(knownDuration)}; start it earlier`,
      });
      return;
    }
    const second = Math.floor(startMs / 1000);
    const earlier = bySecond.get(second);
    if (earlier !== undefined) {
      errors.push({
        row,
        field: 'startSec',
        code: 'same_second',
        message: `Chapter ${n} starts at the same second (${formatChapterTime(second)}) as chapter ${earlier + 1}; move one of them`,
      });
      return;
    }
    bySecond.set(second, row);
    if (valid) rows.push({ row, chapter: { title, startSec: startMs / 1000 } });
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, chapters: rows.sort((a, b) => a.chapter.startSec - b.chapter.startSec).map((r) => r.chapter) };
}

/**
 * The chapter playing at `positionSec` (the last one started at or before it), for the player's label and for
 * resume ("you stopped in chapter 3"). Null before the first chapter, for no chapters, or a position that is not a
 * number. Chapters must be sorted by start, as `validateChapters` returns them.
 */
export function chapterAt<C extends Chapter>(chapters: readonly C[], positionSec: number): { index: number; chapter: C } | null {
  if (Number.isNaN(positionSec)) return null;
  let lo = 0;
  let hi = chapters.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (chapters[mid].startSec <= positionSec) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? null : { index: lo - 1, chapter: chapters[lo - 1] };
}

export interface ChapterSpan extends Chapter {
  index: number;
  /** Where the next chapter starts, or the end of the lecture. */
  endSec: number;
}

/** Chapters with their ends, for the chapter list (each chapter's length is `endSec - startSec`). */
export function chapterSpans(chapters: readonly Chapter[], durationSec: number): ChapterSpan[] {
  return chapters.map((chapter, index) => ({
    index,
    title: chapter.title,
    startSec: chapter.startSec,
    endSec: Math.max(chapter.startSec, index + 1 < chapters.length ? chapters[index + 1].startSec : durationSec),
  }));
}

/**
 * Where each chapter starts on the progress bar, as a fraction of the lecture in [0, 1), sorted. Chapters at or
 * after the end are left out; none when the duration is unknown.
 */
export function chapterMarkers(chapters: readonly Chapter[], durationSec: number): Array<{ index: number; fraction: number }> {
  if (!Number.isFinite(durationSec) || durationSec <= 0) return [];
  return chapters
    .map((chapter, index) => ({ index, startSec: chapter.startSec, fraction: chapter.startSec / durationSec || 0 }))
    .filter((m) => m.startSec >= 0 && m.startSec < durationSec && m.fraction < 1)
    .map(({ index, fraction }) => ({ index, fraction }))
    .sort((a, b) => a.fraction - b.fraction || a.index - b.index);
}

export interface ChaptersFromProbeOptions {
  /** Chapters starting at or after it are left out. */
  durationSec?: number | null;
  /** Title for a chapter the file names not; `n` counts from 1 in start order. Default "Chapter n". */
  untitled?: (n: number) => string;
}

/**
 * Chapters from `ffprobe -show_chapters -print_format json` output (the parsed object or its text): start times
 * from `start_time` (or `start` × `time_base`), titles from the `title` tag. The result always passes
 * `validateChapters` for the same duration: starts below 0 count as 0, the second of two chapters in one second
 * and anything past 200 are left out, titles are tidied and cut to 100 characters. Unreadable input gives none.
 */
export function chaptersFromProbe(probe: unknown, options: ChaptersFromProbeOptions = {}): Chapter[] {
  const untitled = options.untitled ?? ((n: number) => `Chapter ${n}`);
  const duration = options.durationSec ?? null;
  let data: unknown = probe;
  if (typeof probe === 'string') {
    try {
      data = JSON.parse(probe);
    } catch {
      return [];
    }
  }
  const list = isRecord(data) && Array.isArray(data.chapters) ? (data.chapters as unknown[]) : [];
  const found: Array<{ startMs: number; title: string; order: number }> = [];
  list.forEach((entry, order) => {
    if (!isRecord(entry)) return;
    const startSec = probeStart(entry);
    if (startSec === null) return;
    const startMs = Math.max(0, toMs(startSec));
    if (duration !== null && Number.isFinite(duration) && startMs >= toMs(duration)) return;
    const tags = isRecord(entry.tags) ? entry.tags : {};
    const titleKey = Object.keys(tags).find((k) => k.toLowerCase() === 'title');
    const title = [...tidyTitle(titleKey ? tags[titleKey] : '')].slice(0, CHAPTER_TITLE_MAX_CHARS).join('').trim();
    found.push({ startMs, title, order });
  });
  found.sort((a, b) => a.startMs - b.startMs || a.order - b.order);
  const seconds = new Set<number>();
  const chapters: Chapter[] = [];
  for (const { startMs, title } of found) {
    const second = Math.floor(startMs / 1000);
    if (seconds.has(second) || chapters.length === CHAPTER_MAX_COUNT) continue;
    seconds.add(second);
    chapters.push({ title, startSec: startMs / 1000 });
  }
  return chapters.map((chapter, i) => (chapter.title === '' ? { ...chapter, title: tidyFallback(untitled(i + 1), i + 1) } : chapter));
}

function tidyFallback(title: string, n: number): string {
  const tidy = [...tidyTitle(title)].slice(0, CHAPTER_TITLE_MAX_CHARS).join('').trim();
  return tidy === '' ? `Chapter ${n}` : tidy;
}

function probeStart(entry: Record<string, unknown>): number | null {
  const direct = toNumber(entry.start_time);
  if (direct !== null) return direct;
  const start = toNumber(entry.start);
  const base = typeof entry.time_base === 'string' ? /^(\d+)\/(\d+)$/.exec(entry.time_base) : null;
  if (start === null || !base || Number(base[2]) === 0) return null;
  return (start * Number(base[1])) / Number(base[2]);
}

function toNumber(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : null;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
