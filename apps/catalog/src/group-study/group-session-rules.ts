import type { GroupSessionKind, GroupSessionStatus } from '#contracts';
import { REVIEWING_POSITIONS } from '../reflections/reflection-rules.js';

/** Positions whose holders lead group study for their unit's subtree: the same as review reflections. */
export const LEADING_POSITIONS = REVIEWING_POSITIONS;

/** A member may check in to an in-person session from this many minutes before it starts. */
export const CHECKIN_OPENS_BEFORE_MIN = 30;

export interface HeldPosition {
  unitPath: string;
  positionCode: string;
}

export interface Leader {
  role: string;
  /** The caller's own unit (an admin leads its subtree). */
  orgPath: string;
  positions: readonly HeldPosition[];
}

const within = (path: string, scope: string) => path === scope || path.startsWith(`${scope}/`);

/** The unit paths under which a person leads sessions: an admin's subtree and the units of leading positions, outermost only. */
export function leadScopes(leader: Leader): string[] {
  const scopes = leader.positions.filter((p) => (LEADING_POSITIONS as readonly string[]).includes(p.positionCode)).map((p) => p.unitPath);
  if (leader.role === 'admin') scopes.push(leader.orgPath);
  return [...new Set(scopes)].filter((s, _, all) => !all.some((o) => o !== s && within(s, o))).sort();
}

/** Whether a session of the unit at `unitPath` is within one of `scopes`. */
export const leadsUnit = (scopes: readonly string[], unitPath: string): boolean => scopes.some((s) => within(unitPath, s));

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Where an in-person session stands by the clock: before its start planned, until its end live, then ended. */
export function inPersonStatusAt(startsAt: number, endsAt: number, now: number): Exclude<GroupSessionStatus, 'cancelled'> {
  if (now < startsAt) return 'planned';
  return now < endsAt ? 'live' : 'ended';
}

export type NewInPerson = { status: GroupSessionStatus; recordedAfterwards: boolean } | { error: string; status: 400 | 409 };

/**
 * A new in-person session: one in the future is planned, one under way is live, one already over is recorded
 * afterwards (ended) — allowed only within `recordAfterDays` of its end, and never a start in the future after its end.
 */
export function classifyNewInPerson(startsAt: number, endsAt: number, now: number, recordAfterDays: number): NewInPerson {
  if (!(endsAt > startsAt)) return { status: 400, error: 'endsAt must be after startsAt: give when the session ended.' };
  if (endsAt - startsAt > DAY) return { status: 400, error: 'A session lasts at most 24 hours: check startsAt and endsAt.' };
  const status = inPersonStatusAt(startsAt, endsAt, now);
  if (status !== 'ended') return { status, recordedAfterwards: false };
  if (now - endsAt > recordAfterDays * DAY) {
    return {
      status: 409,
      error: `This session ended more than ${recordAfterDays} days ago, so its attendance can no longer be recorded. Sessions are recorded within ${recordAfterDays} days of their end.`,
    };
  }
  return { status: 'ended', recordedAfterwards: true };
}

/** Until when attendance of an ended in-person session may still be recorded (ms); null for sessions not over or collective. */
export function recordUntil(
  kind: GroupSessionKind,
  status: GroupSessionStatus,
  endsAt: number | null,
  recordAfterDays: number,
): number | null {
  if (kind !== 'in_person' || status !== 'ended' || endsAt === null) return null;
  return endsAt + recordAfterDays * DAY;
}

/** Late: the first check-in more than `lateAfterMin` minutes after the start. Recorded afterwards is never late. */
export const isLate = (startsAt: number | null, firstInAt: number, lateAfterMin: number): boolean =>
  startsAt !== null && firstInAt - startsAt > lateAfterMin * MINUTE;

export interface SessionClockState {
  kind: GroupSessionKind;
  status: GroupSessionStatus;
  startsAt: number | null;
  endsAt: number | null;
}

/**
 * Whether members may check themselves in (code or QR) at `now`; null when they may, else a message saying why not.
 * Collective: while live. In person: from `CHECKIN_OPENS_BEFORE_MIN` before the start until the end.
 */
export function selfCheckinRefusal(session: SessionClockState, now: number): string | null {
  if (session.status === 'cancelled') return 'This session was cancelled.';
  if (session.status === 'ended') return 'This session has ended, so check-in is closed. Ask the person who led it to record you.';
  if (session.kind === 'in_person' && session.startsAt !== null && now < session.startsAt - CHECKIN_OPENS_BEFORE_MIN * MINUTE) {
    return `Check-in opens ${CHECKIN_OPENS_BEFORE_MIN} minutes before the session starts.`;
  }
  return null;
}

export type TickMode = { mode: 'live' } | { mode: 'afterwards' } | { refusal: string };

/**
 * How a leader's roster tick is taken at `now`: live (presence from now, or check-out now), or afterwards (an ended
 * in-person session within its window: present for the whole session).
 */
export function tickMode(session: SessionClockState, now: number, recordAfterDays: number, present: boolean): TickMode {
  if (session.status === 'cancelled') return { refusal: 'This session was cancelled, so nobody can be checked in.' };
  if (session.status !== 'ended') {
    if (session.kind === 'in_person' && session.startsAt !== null && now < session.startsAt - CHECKIN_OPENS_BEFORE_MIN * MINUTE) {
      return { refusal: `Members can be checked in from ${CHECKIN_OPENS_BEFORE_MIN} minutes before the session starts.` };
    }
    return { mode: 'live' };
  }
  if (session.kind === 'collective') return { refusal: 'This viewing has ended, so its attendance can no longer be changed.' };
  const until = recordUntil(session.kind, session.status, session.endsAt, recordAfterDays);
  if (until === null || now > until) {
    return { refusal: `Attendance is recorded within ${recordAfterDays} days of a session's end; this one can no longer be changed.` };
  }
  if (!present) return { refusal: 'This session has ended: a member cannot be checked out now. To take back a wrong tick, undo it.' };
  return { mode: 'afterwards' };
}

export interface PresencePeriod {
  from: number;
  /** null while the member is present. */
  to: number | null;
}

/**
 * In-person credit: the seconds of [startsAt, endsAt] the member was present, as of `asOf` (ms): a period still open
 * counts until `asOf`, nothing counts past the end, overlapping periods once.
 */
export function presenceCreditSec(startsAt: number, endsAt: number, periods: readonly PresencePeriod[], asOf: number): number {
  const limit = Math.min(endsAt, asOf);
  const clipped = periods
    .map((p) => [Math.max(p.from, startsAt), Math.min(p.to ?? asOf, limit)] as const)
    .filter(([from, to]) => to > from)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let reached = -Infinity;
  for (const [from, to] of clipped) {
    const start = Math.max(from, reached);
    if (to > start) total += to - start;
    reached = Math.max(reached, to);
  }
  return total / 1000;
}
