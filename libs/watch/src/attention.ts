/**
 * Attention check-ins: listening with the screen off (a hidden page, or the audio-only rendition)
 * earns study time like watching, so the server asks now and then "still listening?". Pure rules,
 * all times in server ms; the caller supplies the random draw and the ids.
 *
 * - A check-in is due after a random amount, between the range's minimum and maximum, of credited
 *   hidden or audio listening since the session opened or the latest answer. The draw comes from the
 *   server (a keyed hash of the session and the check-in's number), so the player cannot predict it.
 * - Until it is answered, listening up to `answerBy` is credited; from `answerBy` to the answer,
 *   hidden or audio listening earns nothing; after the answer, crediting resumes from the answer on
 *   (nothing earlier is credited again). Visible video is never asked and never held up.
 */

/** How often a plan asks, in units (minutes in production): a random point in `[min, max]`. */
export interface CheckinRange {
  min: number;
  max: number;
}

/** The check-in range of one plan covering the member; both null when the plan asks nothing. */
export interface PlanCheckinRule {
  min: number | null;
  max: number | null;
}

/** What a member in no plan is asked: every 10–20 minutes, the plans' default. */
export const DEFAULT_CHECKIN_RANGE: CheckinRange = { min: 10, max: 20 };

export interface AttentionPolicy {
  /** The member's range, or null when none of their open plans asks. */
  range: CheckinRange | null;
  /** Length of one unit of the range in ms (a minute in production; a second in tests). */
  unitMs: number;
  /** Time given to answer, from the moment it is asked. */
  graceMs: number;
}

/** The latest check-in of a session. */
export interface Checkin {
  id: string;
  askedAtMs: number;
  answerByMs: number;
  /** Null until answered. */
  answeredAtMs: number | null;
}

/** A session's check-in state, kept on its row beside the crediting clock. */
export interface CheckinState {
  /** Check-ins asked in this session so far; numbers the next draw. */
  count: number;
  /** The latest check-in asked, answered or not; null before the first. */
  current: Checkin | null;
  /** Credited hidden or audio listening (ms) since the session opened or the latest answer. */
  listenedMs: number;
}

export const NO_CHECKIN: CheckinState = { count: 0, current: null, listenedMs: 0 };

/** Server-time window `[from, until)` in which hidden or audio listening earns nothing; `until` is Infinity while unanswered. */
export type BlockedWindow = readonly [fromMs: number, untilMs: number];

/**
 * The strictest rule among the member's open plans: the smallest minimum and the smallest maximum of the
 * plans that ask (each plan has min ≤ max, so the result does too). No plan at all: the default range.
 * Plans that all ask nothing: null.
 */
export function strictestCheckinRange(plans: readonly PlanCheckinRule[]): CheckinRange | null {
  if (plans.length === 0) return DEFAULT_CHECKIN_RANGE;
  let range: CheckinRange | null = null;
  for (const plan of plans) {
    if (plan.min === null || plan.max === null) continue;
    range = range ? { min: Math.min(range.min, plan.min), max: Math.min(range.max, plan.max) } : { min: plan.min, max: plan.max };
  }
  return range;
}

/** Hidden or audio-only playback: what earns with the screen off and is subject to check-ins. */
export function isAttentionMode(heartbeat: { visible: boolean; audio?: boolean }): boolean {
  return heartbeat.audio === true || !heartbeat.visible;
}

/**
 * How much credited hidden or audio listening makes the next check-in due, for a draw in [0, 1):
 * a whole number of ms in `[min · unit, max · unit]`.
 */
export function checkinDueAfterMs(range: CheckinRange, unitMs: number, draw: number): number {
  const lowest = Math.round(range.min * unitMs);
  const highest = Math.round(range.max * unitMs);
  const share = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1) : 0;
  return Math.min(highest, lowest + Math.floor(share * (highest - lowest + 1)));
}

/** The window in which hidden or audio listening is not credited: from the latest check-in's deadline to its answer. */
export function blockedWindow(state: Pick<CheckinState, 'current'>): BlockedWindow | null {
  const current = state.current;
  if (!current) return null;
  const until = current.answeredAtMs ?? Infinity;
  return until > current.answerByMs ? [current.answerByMs, until] : null;
}

/** Milliseconds of `[fromMs, toMs)` outside `window`. */
export function elapsedOutsideMs(fromMs: number, toMs: number, window: BlockedWindow | null): number {
  if (!(toMs > fromMs)) return 0;
  const total = toMs - fromMs;
  if (!window) return total;
  const overlap = Math.min(toMs, window[1]) - Math.max(fromMs, window[0]);
  return overlap > 0 ? total - overlap : total;
}

/** The check-in the member still has to answer, or null. */
export function pendingCheckin(state: Pick<CheckinState, 'current'>): Checkin | null {
  return state.current && state.current.answeredAtMs === null ? state.current : null;
}

/**
 * The state after a heartbeat credited `creditedMs` at server time `atMs`: attention-mode credit counts
 * toward the next check-in, which is asked once enough has accumulated and none is waiting for an
 * answer. `drawFor(n)` is the draw in [0, 1) for the n-th check-in of the session (0-based); `newId` names it.
 */
export function advanceCheckins(
  state: CheckinState,
  heartbeat: { visible: boolean; audio?: boolean },
  creditedMs: number,
  atMs: number,
  policy: AttentionPolicy,
  drawFor: (n: number) => number,
  newId: () => string,
): CheckinState {
  if (!isAttentionMode(heartbeat) || policy.range === null) return state;
  const listenedMs = state.listenedMs + Math.max(0, creditedMs);
  if (pendingCheckin(state) || listenedMs < checkinDueAfterMs(policy.range, policy.unitMs, drawFor(state.count))) {
    return listenedMs === state.listenedMs ? state : { ...state, listenedMs };
  }
  return {
    count: state.count + 1,
    current: { id: newId(), askedAtMs: atMs, answerByMs: atMs + policy.graceMs, answeredAtMs: null },
    listenedMs,
  };
}

/** The state once the member answers the current check-in at `atMs`; the next is counted from the answer. */
export function answerCheckin(state: CheckinState, id: string, atMs: number): CheckinState {
  if (!state.current || state.current.id !== id || state.current.answeredAtMs !== null) return state;
  return { ...state, current: { ...state.current, answeredAtMs: atMs }, listenedMs: 0 };
}

export type CheckinOutcome = 'answered' | 'late' | 'missed' | 'pending';

/** How a check-in went, as of server time `nowMs`. */
export function checkinOutcome(checkin: Pick<Checkin, 'answerByMs' | 'answeredAtMs'>, nowMs: number): CheckinOutcome {
  if (checkin.answeredAtMs !== null) return checkin.answeredAtMs <= checkin.answerByMs ? 'answered' : 'late';
  return nowMs > checkin.answerByMs ? 'missed' : 'pending';
}
