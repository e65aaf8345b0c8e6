import { elapsedOutsideMs, isAttentionMode, type BlockedWindow } from './attention.js';
import { coverageRatio, DEFAULT_COMPLETION_THRESHOLD, isCompletedAt } from './completion.js';
import type { Heartbeat } from './heartbeat.js';
import {
  clampIntervals,
  measureMs,
  msToSec,
  secToMs,
  subtractIntervals,
  takeFirstSeconds,
  unionIntervals,
  type Interval,
} from './intervals.js';

/**
 * Crediting rules. Members need study hours, so they have a reason to forge heartbeats: the
 * client only says *which* media it played; *how much* it may earn is bounded by the server's
 * clock since the session opened, and coverage only ever records what was actually credited.
 *
 * The wall-clock bound is an allowance: a session opens with `openingAllowanceSec`, every
 * millisecond of server time since its latest accepted heartbeat adds a millisecond, and every
 * credited millisecond spends one. What a heartbeat leaves unspent is carried to the next, up to
 * `maxCarrySec`. So over a whole session, credit ≤ wall time since it opened + the opening
 * allowance, whatever the playback rate, the jitter or the order heartbeats arrive in; a heartbeat
 * that arrives early borrows what a late one left; and a long pause banks at most `maxCarrySec`
 * beyond the gap itself.
 */

/** What the server keeps per member + lecture (coverage, total, position) and per playback session (clock, allowance, seqs). */
export interface CreditState {
  /** Union of everything credited for this member and lecture, `[start, end)` seconds. */
  coverage: readonly Interval[];
  lectureDurationSec: number;
  /** Total credited for this lecture so far, in seconds. */
  creditedSec: number;
  /** Saved position for resuming, in seconds. */
  position: number;
  /** Server time (ms) of the latest accepted heartbeat in this session, or the session's open time. */
  clockMs: number;
  /** Unspent wall-clock allowance (ms) at `clockMs`; `openingAllowanceMs(policy)` when the session opens. */
  carryMs: number;
  /** Highest seq accepted in this session; null before the first. */
  lastSeq: number | null;
  /** Bit i set: seq `lastSeq − 1 − i` was accepted (the reordering window below `lastSeq`). */
  seenMask: number;
}

export interface CreditPolicy {
  /** Coverage share at which the lecture counts as completed. */
  completionThreshold: number;
  /** Allowance a session opens with: the constant in "credit ≤ wall time + constant". */
  openingAllowanceSec: number;
  /** Unspent allowance carried from one heartbeat to the next, at most. */
  maxCarrySec: number;
  /** Seqs below the highest accepted that may still arrive and be credited, once each. */
  seqWindow: number;
  /** Fastest rate a real player offers; claims beyond it (plus `suspicionGraceSec`) are flagged. */
  maxPlaybackRate: number;
  suspicionGraceSec: number;
  /** A session with no accepted heartbeat for this long has ended; its heartbeats are refused. */
  inactivitySec: number;
  /** A session superseded by a newer one still takes heartbeats this long, credited up to the moment it was superseded. */
  supersededGraceSec: number;
}

/**
 * Honest players beat every ~10 s; the gap the server sees differs from the span the player
 * measured by the change in network delay between two requests plus timer granularity, well
 * under a second, and what one heartbeat borrows the next one returns. 2 s at the opening covers
 * the player's first beat; 30 s of carry covers a heartbeat delayed behind the next few.
 */
export const DEFAULT_CREDIT_POLICY: CreditPolicy = {
  completionThreshold: DEFAULT_COMPLETION_THRESHOLD,
  openingAllowanceSec: 2,
  maxCarrySec: 30,
  seqWindow: 32,
  maxPlaybackRate: 4,
  suspicionGraceSec: 2,
  inactivitySec: 600,
  supersededGraceSec: 30,
};

/** The fields of a parsed heartbeat that crediting reads; `audio` absent means video. */
export type CreditableHeartbeat = Pick<Heartbeat, 'seq' | 'intervals' | 'position' | 'visible' | 'muted'> & { audio?: boolean };

/** How a heartbeat's seq relates to the session: the next one, a late one inside the window, or one already answered. */
export type SeqStanding = 'next' | 'late' | 'duplicate';

export interface CreditResult {
  /** Seconds credited by this heartbeat. */
  creditedSec: number;
  /** Total credited for the lecture after this heartbeat; never above its duration. */
  totalCreditedSec: number;
  /** Coverage after this heartbeat: the previous coverage plus exactly what was credited now. */
  coverage: readonly Interval[];
  coverageRatio: number;
  completed: boolean;
  /** The claim was faster than any real player can play: worth logging, credit is bounded anyway. */
  suspicious: boolean;
  /** The seq was already answered (or fell behind the window): nothing changed; answer with the stored response. */
  replay: boolean;
  standing: SeqStanding;
  /** Saved position after this heartbeat: moved only by the newest heartbeat that played something. */
  position: number;
  /** Media seconds the heartbeat claimed to have played (unclamped), for audit logs. */
  claimedSec: number;
  /** Hidden or audio-only playback: earned with the screen off, subject to attention check-ins. */
  attention: boolean;
  /** New listening not credited because it fell after an unanswered check-in's deadline (seconds). */
  uncreditedSec: number;
  /** State to persist; identical (same object) to the input on a replay. */
  state: CreditState;
}

/** The allowance a session opens with, in ms. */
export function openingAllowanceMs(policy: CreditPolicy = DEFAULT_CREDIT_POLICY): number {
  return secToMs(policy.openingAllowanceSec);
}

/** Defaults for every option left out or passed as undefined (a plain spread would let undefined through). */
export function resolvePolicy(options: Partial<CreditPolicy> = {}): CreditPolicy {
  // The common call passes no options: every heartbeat goes through here.
  if (Object.keys(options).length === 0) return DEFAULT_CREDIT_POLICY;
  const policy = { ...DEFAULT_CREDIT_POLICY };
  for (const key of Object.keys(policy) as (keyof CreditPolicy)[]) {
    const value = options[key];
    if (value !== undefined) policy[key] = value;
  }
  return policy;
}

/** Where `seq` stands against the seqs this session has accepted. */
export function seqStanding(
  state: Pick<CreditState, 'lastSeq' | 'seenMask'>,
  seq: number,
  policy: CreditPolicy = DEFAULT_CREDIT_POLICY,
): SeqStanding {
  if (state.lastSeq === null || seq > state.lastSeq) return 'next';
  if (seq === state.lastSeq) return 'duplicate';
  const behind = state.lastSeq - 1 - seq;
  const window = Math.min(policy.seqWindow, 32);
  if (behind >= window) return 'duplicate';
  return (state.seenMask >>> behind) & 1 ? 'duplicate' : 'late';
}

/** The window after accepting `seq` (a 32-bit mask, kept as a signed int32 to fit an integer column). */
function markSeen(state: Pick<CreditState, 'lastSeq' | 'seenMask'>, seq: number): { lastSeq: number; seenMask: number } {
  if (state.lastSeq === null) return { lastSeq: seq, seenMask: 0 };
  if (seq < state.lastSeq) return { lastSeq: state.lastSeq, seenMask: state.seenMask | (1 << (state.lastSeq - 1 - seq)) | 0 };
  const shift = seq - state.lastSeq;
  // JS shifts count mod 32, so the shifts by 32 or more are spelled out.
  const moved = shift >= 32 ? 0 : state.seenMask << shift;
  const previous = shift > 32 ? 0 : 1 << (shift - 1);
  return { lastSeq: seq, seenMask: moved | previous | 0 };
}

/**
 * Credits one heartbeat at server time `nowMs`. `blocked` is the window in which hidden or audio-only
 * listening earns nothing (from an unanswered check-in's deadline to its answer): that part of the
 * wall-clock gap adds no allowance to such a heartbeat. Visible video ignores it.
 */
export function creditHeartbeat(
  state: CreditState,
  heartbeat: CreditableHeartbeat,
  nowMs: number,
  options: Partial<CreditPolicy> = {},
  blocked: BlockedWindow | null = null,
): CreditResult {
  const policy = resolvePolicy(options);
  const attention = isAttentionMode(heartbeat);
  const durationSec = Number.isFinite(state.lectureDurationSec) ? Math.max(0, state.lectureDurationSec) : 0;
  const claimedMs = measureMs(heartbeat.intervals);
  const standing = seqStanding(state, heartbeat.seq, policy);
  // A position is only ever moved by playback, and only by the newest heartbeat (a late one played before it).
  const position =
    standing === 'next' && claimedMs > 0
      ? Math.min(Math.max(0, heartbeat.position), durationSec)
      : Math.min(Math.max(0, state.position), durationSec);
  const summary = (coverage: readonly Interval[]) => {
    const ratio = coverageRatio(coverage, durationSec);
    return {
      coverage,
      coverageRatio: ratio,
      completed: isCompletedAt(ratio, durationSec, policy.completionThreshold),
      claimedSec: msToSec(claimedMs),
      standing,
      attention,
    };
  };

  if (standing === 'duplicate') {
    return {
      creditedSec: 0,
      totalCreditedSec: state.creditedSec,
      suspicious: false,
      uncreditedSec: 0,
      replay: true,
      position: state.position,
      ...summary(state.coverage),
      state,
    };
  }

  // Written as comparisons so a NaN or backwards server clock grants nothing and never moves the clock back.
  const elapsedMs = nowMs > state.clockMs ? Math.floor(nowMs - state.clockMs) : 0;
  // A heartbeat of hidden or audio listening sent after an unanswered check-in's deadline (and before
  // its answer) spends nothing banked earlier either: from the deadline to the answer it earns nothing.
  const heldUp = attention && blocked !== null && state.clockMs >= blocked[0] && state.clockMs < blocked[1];
  const carryMs = Number.isFinite(state.carryMs) && !heldUp ? Math.max(0, state.carryMs) : 0;
  // Past an unanswered check-in's deadline, listening with the screen off gains no allowance until the answer.
  const earningMs =
    attention && blocked && elapsedMs > 0 ? Math.floor(elapsedOutsideMs(state.clockMs, state.clockMs + elapsedMs, blocked)) : elapsedMs;
  const allowanceMs = carryMs + earningMs;
  const suspicious = claimedMs > elapsedMs * policy.maxPlaybackRate + policy.suspicionGraceSec * 1000;

  // Hidden video earns nothing (muted or not); hidden audio earns like watching; muted but visible still
  // earns (captions, hearing-impaired members).
  const earns = heartbeat.visible || heartbeat.audio === true;
  const candidates = earns ? subtractIntervals(clampIntervals(heartbeat.intervals, 0, durationSec), state.coverage) : [];
  const creditedMsBefore = secToMs(state.creditedSec);
  const creditMs = Math.max(0, Math.min(measureMs(candidates), allowanceMs, secToMs(durationSec) - creditedMsBefore));
  const uncreditedMs = Math.max(0, Math.min(elapsedMs - earningMs, measureMs(candidates) - creditMs));
  // Coverage grows only by the credited part (earliest media first), so seconds cut off by the
  // wall clock stay uncovered and can still be earned by really watching them later.
  const coverage = creditMs > 0 ? unionIntervals(state.coverage, takeFirstSeconds(candidates, msToSec(creditMs))) : state.coverage;
  const totalCreditedSec = msToSec(creditedMsBefore + creditMs);

  return {
    creditedSec: msToSec(creditMs),
    totalCreditedSec,
    suspicious,
    uncreditedSec: msToSec(uncreditedMs),
    replay: false,
    position,
    ...summary(coverage),
    state: {
      coverage,
      lectureDurationSec: state.lectureDurationSec,
      creditedSec: totalCreditedSec,
      position,
      clockMs: nowMs > state.clockMs ? nowMs : state.clockMs,
      carryMs: Math.min(secToMs(policy.maxCarrySec), allowanceMs - creditMs),
      ...markSeen(state, heartbeat.seq),
    },
  };
}

/** Why a session takes no more heartbeats, or the server time its heartbeats are credited at. */
export type SessionStanding =
  { live: true; creditAtMs: number } | { live: false; reason: 'superseded' | 'expired' | 'deactivated' | 'withdrawn' };

export interface SessionEnd {
  /** Why the session was ended by the server (a newer session, the account, the course); null while open. */
  reason: 'superseded' | 'deactivated' | 'withdrawn' | null;
  /** Server time (ms) it was ended. */
  atMs: number | null;
}

/**
 * Whether a session still takes heartbeats at server time `nowMs`, and at what time they are credited:
 * - a session superseded by a newer one takes them for `supersededGraceSec` more, credited as of
 *   the moment it was superseded (its final heartbeat is often still on the way when the next lecture opens);
 * - a session ended for its account or its course takes none;
 * - a session with no accepted heartbeat for `inactivitySec` (up to when it was superseded) has expired.
 */
export function sessionStanding(clockMs: number, end: SessionEnd, nowMs: number, options: Partial<CreditPolicy> = {}): SessionStanding {
  const policy = resolvePolicy(options);
  if (end.reason === 'deactivated' || end.reason === 'withdrawn') return { live: false, reason: end.reason };
  let creditAtMs = nowMs;
  if (end.reason === 'superseded') {
    const atMs = end.atMs ?? -Infinity;
    if (!(nowMs <= atMs + policy.supersededGraceSec * 1000)) return { live: false, reason: 'superseded' };
    creditAtMs = Math.min(nowMs, atMs);
  }
  if (creditAtMs - clockMs > policy.inactivitySec * 1000) return { live: false, reason: 'expired' };
  return { live: true, creditAtMs };
}
