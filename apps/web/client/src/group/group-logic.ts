import { GROUP_SESSION_LIMITS, type RosterEntry } from '#contracts';

const DIGITS = GROUP_SESSION_LIMITS.codeDigits;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What was typed, as the code's digits only: full-width digits (Chinese input methods) count, anything else is dropped. */
export function codeDigits(typed: string): string {
  return typed
    .replace(/[\uFF10-\uFF19]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xff10 + 48))
    .replace(/\D/g, '')
    .slice(0, DIGITS);
}

export const isWholeCode = (code: string) => new RegExp(`^\\d{${DIGITS}}$`).test(code);

/** The QR link's session and code (`/checkin?s=<id>&c=<code>`), when both are well-formed. */
export function checkinLink(search: string): { sessionId: string; code: string } | null {
  const params = new URLSearchParams(search);
  const sessionId = params.get('s') ?? '';
  const code = codeDigits(params.get('c') ?? '');
  return UUID.test(sessionId) && isWholeCode(code) ? { sessionId, code } : null;
}

/**
 * When the screen asks for the next code: a few seconds before `validUntil`, so the room never sees an expired one
 * (the previous code is still taken for one more period, which covers a clock that differs from the server's).
 * Never sooner than 2 s, never later than one period.
 */
export function codeRefreshDelayMs(validUntil: string, nowMs: number, periodSec: number): number {
  const until = Date.parse(validUntil);
  const period = Math.max(5, periodSec) * 1000;
  if (!Number.isFinite(until)) return period;
  return Math.min(period, Math.max(2000, until - nowMs - 3000));
}

/** Roster entries whose name or login contains every word typed (case and width of letters ignored). */
export function filterRoster<T extends Pick<RosterEntry, 'name' | 'login'>>(entries: readonly T[], query: string): T[] {
  const words = query.normalize('NFKC').toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [...entries];
  return entries.filter((entry) => {
    const text = `${entry.name} ${entry.login}`.normalize('NFKC').toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** A roster entry's state as one word: present, checked out (was present and left), or absent. */
export function rosterState(entry: Pick<RosterEntry, 'present' | 'firstInAt' | 'lastOutAt'>): 'present' | 'checkedOut' | 'absent' {
  if (entry.present) return 'present';
  return entry.firstInAt && entry.lastOutAt ? 'checkedOut' : 'absent';
}

export type TimesProblem = 'needTimes' | 'endBeforeStart';

/**
 * An in-person session's start and end from the form's date and times (local time of the browser), as ISO strings,
 * or what is wrong with them.
 */
export function sessionTimes(date: string, start: string, end: string): { startsAt: string; endsAt: string } | { problem: TimesProblem } {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const from = /^(\d{2}):(\d{2})$/.exec(start);
  const to = /^(\d{2}):(\d{2})$/.exec(end);
  if (!day || !from || !to) return { problem: 'needTimes' };
  const at = (time: RegExpExecArray) => new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]), Number(time[1]), Number(time[2]));
  const startsAt = at(from);
  const endsAt = at(to);
  if (Number.isNaN(startsAt.getTime()) || Number.isNaN(endsAt.getTime())) return { problem: 'needTimes' };
  if (endsAt <= startsAt) return { problem: 'endBeforeStart' };
  return { startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() };
}

/** `YYYY-MM-DD` and `HH:MM` of a moment in the browser's time zone, as date and time inputs take them. */
export function localDateTime(moment: Date): { date: string; time: string } {
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}`,
    time: `${pad(moment.getHours())}:${pad(moment.getMinutes())}`,
  };
}

/** The dark modules of a QR symbol as one SVG path, one unit per module, inside a quiet zone of `margin`. */
export function qrPath(size: number, dark: (row: number, col: number) => boolean, margin = 4): string {
  let path = '';
  for (let row = 0; row < size; row += 1) {
    let col = 0;
    while (col < size) {
      if (!dark(row, col)) {
        col += 1;
        continue;
      }
      const start = col;
      while (col < size && dark(row, col)) col += 1;
      path += `M${start + margin} ${row + margin}h${col - start}v1h${start - col}z`;
    }
  }
  return path;
}
