/**
 * How durations and shares read, wherever they are shown: on every page of the web app and in every
 * report export. One rule, so a lecture, a course, a plan's hours and a report cell never disagree.
 * Pure and dependency-free: the server imports it as `#contracts`, the browser app by its path.
 */

export type DisplayLang = 'zh-CN' | 'en';

const WORDS: Record<DisplayLang, { h: string; m: string; mOnly: string; s: string }> = {
  'zh-CN': { h: ' 小时', m: ' 分', mOnly: ' 分钟', s: ' 秒' },
  en: { h: ' h', m: ' min', mOnly: ' min', s: ' s' },
};

/** Below this a duration keeps its seconds ("1 分 30 秒"); from it on it reads in whole minutes. */
const SECONDS_SHOWN_BELOW = 10 * 60;

export interface DurationParts {
  h: number;
  m: number;
  s: number;
}

/**
 * A duration in seconds split as it is shown: under a minute in seconds; under 10 minutes in minutes and
 * seconds; under an hour in whole minutes (rounded); from an hour on in hours and whole minutes (rounded).
 * Negative, NaN and infinite values read as 0.
 */
export function durationParts(totalSec: number): DurationParts {
  const sec = Math.max(0, Math.round(Number.isFinite(totalSec) ? totalSec : 0));
  if (sec < SECONDS_SHOWN_BELOW) return { h: 0, m: Math.floor(sec / 60), s: sec % 60 };
  const minutes = Math.round(sec / 60);
  return { h: Math.floor(minutes / 60), m: minutes % 60, s: 0 };
}

/** "45 秒", "1 分 30 秒", "3 分钟", "2 小时 5 分", "2 小时"; in English "45 s", "1 min 30 s", "3 min", "2 h 5 min", "2 h". */
export function formatDuration(totalSec: number, lang: DisplayLang): string {
  const w = WORDS[lang] ?? WORDS['zh-CN'];
  const { h, m, s } = durationParts(totalSec);
  if (h > 0) return m > 0 ? `${h}${w.h} ${m}${w.m}` : `${h}${w.h}`;
  if (m === 0) return s > 0 ? `${s}${w.s}` : `0${w.mOnly}`;
  return s > 0 ? `${m}${w.m} ${s}${w.s}` : `${m}${w.mOnly}`;
}

/** A duration given in hours (plan requirements and totals are kept in hours), shown by the same rule. */
export function formatHours(hours: number, lang: DisplayLang): string {
  return formatDuration((Number.isFinite(hours) ? hours : 0) * 3600, lang);
}

/** Decimal hours for a column that is explicitly in hours (spreadsheets sum it): two decimals. */
export function decimalHours(totalSec: number): number {
  const sec = Math.max(0, Number.isFinite(totalSec) ? totalSec : 0);
  return Math.round(sec / 36) / 100;
}

/** A 0..100 figure with one decimal: "45.5%", "100.0%"; the same in both languages. */
export function percentText(value: number): string {
  return `${(Math.round((Number.isFinite(value) ? value : 0) * 10) / 10).toFixed(1)}%`;
}

/** A 0..1 share with one decimal: "75.0%". */
export function shareText(value: number): string {
  return percentText((Number.isFinite(value) ? value : 0) * 100);
}

/** Player-style time: "4:05", or "1:02:03" from an hour on; the player and the retention chart and table label positions so. */
export function clock(totalSec: number): string {
  const sec = Math.max(0, Math.floor(Number.isFinite(totalSec) ? totalSec : 0));
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = String(sec % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
