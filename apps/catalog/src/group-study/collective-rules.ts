import {
  clampIntervals,
  DEFAULT_COMPLETION_THRESHOLD,
  isCompleted,
  measure,
  subtractIntervals,
  takeFirstSeconds,
  unionIntervals,
  type Interval,
} from '#watch';

/** A group session as the screen's refusals read it. */
export interface ScreenSession {
  kind: string;
  status: string;
}

export type ScreenRefusal = { status: 403 | 409; message: string };

/**
 * Why the screen's heartbeat or stream is refused (null: go on). `manages`: the caller leads the session's unit
 * (`leadsUnit`). Managers first, so others learn nothing of its state.
 */
export function screenRefusal(manages: boolean, session: ScreenSession): ScreenRefusal | null {
  if (!manages) return { status: 403, message: 'Only the leaders of this session’s unit and its admins run its screen.' };
  if (session.kind !== 'collective') {
    return { status: 409, message: 'This is an in-person session: it has no screen to play. Record its attendance instead.' };
  }
  if (session.status === 'ended') {
    return {
      status: 409,
      message: 'This collective viewing has ended: what the screen plays now is not credited. Start a new session to watch on.',
    };
  }
  if (session.status === 'cancelled')
    return { status: 409, message: 'This collective viewing was cancelled. Start a new session to watch.' };
  if (session.status !== 'live') return { status: 409, message: 'This collective viewing has not started yet. Start it before playing.' };
  return null;
}

export interface AttendeeStanding {
  /** What the member is entitled to from all the screen's plays and their presence (`entitledMedia`). */
  entitled: readonly Interval[];
  /** What this session has credited them already. */
  creditedCoverage: readonly Interval[];
  /** Their coverage of the lecture however earned (alone, or in any session). */
  progressCoverage: readonly Interval[];
  progressCreditedSec: number;
  durationSec: number;
}

export interface AttendeeCredit {
  /** Media newly credited, `[start, end)` seconds; empty when there is nothing new. */
  fresh: Interval[];
  creditSec: number;
  progressCoverage: Interval[];
  progressCreditedSec: number;
  creditedCoverage: Interval[];
  completed: boolean;
}

/**
 * What a heartbeat credits one attendee: their entitlement less what this session credited them and less
 * what they had already earned (alone or elsewhere), inside the lecture, never past its length in total.
 * Recomputed from the record every time, so running it again credits nothing.
 */
export function attendeeCredit(standing: AttendeeStanding, threshold = DEFAULT_COMPLETION_THRESHOLD): AttendeeCredit {
  const durationSec = Number.isFinite(standing.durationSec) ? Math.max(0, standing.durationSec) : 0;
  const candidates = subtractIntervals(
    subtractIntervals(clampIntervals(standing.entitled, 0, durationSec), standing.creditedCoverage),
    standing.progressCoverage,
  );
  const roomMs = Math.max(0, Math.round(durationSec * 1000) - Math.round(standing.progressCreditedSec * 1000));
  const fresh = takeFirstSeconds(candidates, Math.min(measure(candidates), roomMs / 1000));
  const creditSec = measure(fresh);
  const progressCoverage = unionIntervals(standing.progressCoverage, fresh);
  return {
    fresh,
    creditSec,
    progressCoverage,
    progressCreditedSec: (Math.round(standing.progressCreditedSec * 1000) + Math.round(creditSec * 1000)) / 1000,
    creditedCoverage: unionIntervals(standing.creditedCoverage, fresh),
    completed: isCompleted(progressCoverage, durationSec, threshold),
  };
}
