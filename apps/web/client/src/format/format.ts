import type { CourseCategory } from '../api/types.js';
import type { Language } from '../i18n/index.js';

/** Player-style time: "4:05", or "1:02:03" from an hour on. */
export function clock(totalSec: number): string {
  const sec = Math.max(0, Math.floor(Number.isFinite(totalSec) ? totalSec : 0));
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = String(sec % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export type DurationParts =
  | { key: 'format.hoursMinutes'; h: number; m: number }
  | { key: 'format.hours'; h: number }
  | { key: 'format.minutes'; m: number }
  | { key: 'format.seconds'; s: number };

/** A length in words: seconds under a minute, else rounded to whole minutes ("1 h 5 min" as parts for i18n). */
export function durationParts(totalSec: number): DurationParts {
  const sec = Math.max(0, Math.round(Number.isFinite(totalSec) ? totalSec : 0));
  if (sec < 60) return { key: 'format.seconds', s: sec };
  const minutes = Math.round(sec / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return { key: 'format.minutes', m };
  return m === 0 ? { key: 'format.hours', h } : { key: 'format.hoursMinutes', h, m };
}

const units = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** "830 KB", "1.4 GB": one decimal below 10 units, none above. */
export function bytes(count: number): string {
  let value = Math.max(0, count);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

export function categoryName(category: Pick<CourseCategory, 'nameZh' | 'nameEn'>, lang: Language): string {
  return lang === 'en' ? category.nameEn : category.nameZh;
}

export function date(iso: string, lang: Language): string {
  const value = new Date(iso);
  if (Number.isNaN(value.getTime())) return '';
  return new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', day: 'numeric' }).format(value);
}
