import type { Language } from '../i18n/index.js';
import { percentText as sharedPercent, shareText as sharedShare } from './duration.js';

const formats = new Map<string, Intl.NumberFormat>();

function numberFormat(lang: Language, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(lang, options);
    formats.set(key, format);
  }
  return format;
}

/** Hours as a number: "32", "1.5", "0.25"; tiny amounts keep two decimals so that some study never reads as "0". */
export function hoursNumber(value: number, lang: Language): string {
  const v = Number.isFinite(value) ? value : 0;
  if (v > 0 && v < 0.01) return numberFormat(lang, { maximumFractionDigits: 2 }).format(0.01).replace(/^/, '<');
  return numberFormat(lang, { maximumFractionDigits: v >= 100 ? 0 : v >= 10 ? 1 : 2 }).format(v);
}

/** A 0..100 figure with one decimal, "45.5%", as the report exports write it (the shared rule). */
export function percentText(value: number, _lang?: Language): string {
  return sharedPercent(value);
}

/** A 0..1 share: "75.0%". */
export function shareText(value: number, _lang?: Language): string {
  return sharedShare(value);
}

export function count(value: number, lang: Language): string {
  return numberFormat(lang, { maximumFractionDigits: 0 }).format(value);
}

const dayStyles: Record<'long' | 'medium' | 'short', Intl.DateTimeFormatOptions> = {
  long: { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' },
  // For table cells: "Nov 24, 2026", "2026年11月24日".
  medium: { dateStyle: 'medium', timeZone: 'UTC' },
  // For chart axes: "11/24".
  short: { month: 'numeric', day: 'numeric', timeZone: 'UTC' },
};

/** "2026-03-01" in the reader's language; the date is a calendar day, so no time zone may shift it. */
export function day(iso: string | null, lang: Language, style: 'long' | 'medium' | 'short' = 'long'): string {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  return new Intl.DateTimeFormat(lang, dayStyles[style]).format(new Date(Date.UTC(y, m - 1, d)));
}

/** Today as YYYY-MM-DD on the reader's calendar. */
export function todayIso(now = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** YYYY-MM-DD `n` days after `iso` (negative: before). */
export function addDays(iso: string, n: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const value = new Date(Date.UTC(y!, m! - 1, d! + n));
  return value.toISOString().slice(0, 10);
}
