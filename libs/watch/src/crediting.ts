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
 * clock between accepted heartbeats, and coverage only ever records what was actually credited.
 */

/** What the server keeps per member + lecture (coverage, total) and per playback session (clock, seq). */
export interface CreditState {
  /** Union of everything credited for this member and lecture, `[start, end)` seconds. */
  coverage: readonly Interval[];
  lectureDurationSec: number;
  /** Total credited for this lecture so far, in seconds. */
  creditedSec: number;
  /** Server time (ms) of the previous accepted heartbeat in this session, or the session's open time. */
  lastAcceptedAtMs: number;
  /** seq of the previous accepted heartbeat in this session; null before the first. */
  lastSeq: number | null;
}

export interface CreditPolicy {
  /** Coverage share at which the lecture counts as completed. */
  completionThreshold: number;
  /** Media seconds creditable per wall-clock second; 1 so that 2× speed earns real time, not media time. */
  rateTolerance: number;
  /** Flat allowance per heartbeat for network/timer jitter, capped by `graceFraction` of the gap. */
  graceMaxSec: number;
  /** Cap of the jitter allowance as a share of the gap, so rapid-fire heartbeats cannot farm `graceMaxSec`. */
  graceFraction: number;
  /** Fastest rate a real player offers; claims beyond it (plus `suspicionGraceSec`) are flagged. */
  maxPlaybackRate: number;
  suspicionGraceSec: number;
}

/**
 * Honest players beat every ~10–15 s; the gap the server sees differs from the span the player
 * measured by the change in network delay between two requests plus timer/`timeupdate` granularity
 * (~0.25 s), normally well under a second. min(2 s, 10 % of the gap) absorbs that (1 s at a 10 s
 * cadence, the full 2 s from 20 s on) while bounding any session's credit by 1.1 × its wall-clock time.
 */
export const DEFAULT_CREDIT_POLICY: CreditPolicy = {
  completionThreshold: DEFAULT_COMPLETION_THRESHOLD,
  rateTolerance: 1,
  graceMaxSec: 2,
  graceFraction: 0.1,
  maxPlaybackRate: 4,
  suspicionGraceSec: 2,
};

/** The fields of a parsed heartbeat that crediting reads. */
export type CreditableHeartbeat = Pick<Heartbeat, 'seq' | 'intervals' | 'position' | 'visible' | 'muted'>;

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
  /** seq ≤ lastSeq: nothing changed; the caller should answer with the stored previous response. */
  replay: boolean;
  /** Reported position clamped to the lecture, for resuming. */
  position: number;
  /** Media seconds the heartbeat claimed to have played (unclamped), for audit logs. */
  claimedSec: number;
  /** State to persist; identical (same object) to the input on a replay. */
  state: CreditState;
}

/** Jitter allowance and wall-clock cap for one gap, in whole ms (rounded down so it never over-grants). */
export function allowedCreditMs(elapsedMs: number, policy: CreditPolicy = DEFAULT_CREDIT_POLICY): number {
  const graceMs = Math.min(policy.graceMaxSec * 1000, elapsedMs * policy.graceFraction);
  return Math.max(0, Math.floor(elapsedMs * policy.rateTolerance + graceMs));
}

/** Defaults for every option left out or passed as undefined (a plain spread would let undefined through). */
function resolvePolicy(options: Partial<CreditPolicy>): CreditPolicy {
  // The common call passes no options: every heartbeat goes through here.
  if (Object.keys(options).length === 0) return DEFAULT_CREDIT_POLICY;
  const policy = { ...DEFAULT_CREDIT_POLICY };
  for (const key of Object.keys(policy) as (keyof CreditPolicy)[]) {
    const value = options[key];
    if (value !== undefined) policy[key] = value;
  }
  return policy;
}

export function creditHeartbeat(
  state: CreditState,
  heartbeat: CreditableHeartbeat,
  nowMs: number,
  options: Partial<CreditPolicy> = {},
): CreditResult {
  const policy = resolvePolicy(options);
  const durationSec = Number.isFinite(state.lectureDurationSec) ? Math.max(0, state.lectureDurationSec) : 0;
  const position = Math.min(Math.max(0, heartbeat.position), durationSec);
  const claimedMs = measureMs(heartbeat.intervals);
  const summary = (coverage: readonly Interval[]) => {
    const ratio = coverageRatio(coverage, durationSec);
    return {
      coverage,
      coverageRatio: ratio,
      completed: isCompletedAt(ratio, durationSec, policy.completionThreshold),
      position,
      claimedSec: msToSec(claimedMs),
    };
  };

  if (state.lastSeq !== null && heartbeat.seq <= state.lastSeq) {
    return {
      creditedSec: 0,
      totalCreditedSec: state.creditedSec,
      suspicious: false,
      replay: true,
      ...summary(state.coverage),
      state,
    };
  }

  // Written as comparisons so a NaN or backwards server clock grants nothing and never moves the clock back.
  const elapsedMs = nowMs > state.lastAcceptedAtMs ? nowMs - state.lastAcceptedAtMs : 0;
  const suspicious = claimedMs > elapsedMs * policy.maxPlaybackRate + policy.suspicionGraceSec * 1000;

  // Hidden pages earn nothing (muted or not); muted alone still earns (captions, hearing-impaired members).
  const candidates = heartbeat.visible ? subtractIntervals(clampIntervals(heartbeat.intervals, 0, durationSec), state.coverage) : [];
  const creditedMsBefore = secToMs(state.creditedSec);
  const creditMs = Math.max(
    0,
    Math.min(measureMs(candidates), allowedCreditMs(elapsedMs, policy), secToMs(durationSec) - creditedMsBefore),
  );
  // Coverage grows only by the credited part (earliest media first), so seconds cut off by the
  // wall clock stay uncovered and can still be earned by really watching them later.
  const coverage = creditMs > 0 ? unionIntervals(state.coverage, takeFirstSeconds(candidates, msToSec(creditMs))) : state.coverage;
  const totalCreditedSec = msToSec(creditedMsBefore + creditMs);

  return {
    creditedSec: msToSec(creditMs),
    totalCreditedSec,
    suspicious,
    replay: false,
    ...summary(coverage),
    state: {
      coverage,
      lectureDurationSec: state.lectureDurationSec,
      creditedSec: totalCreditedSec,
      lastAcceptedAtMs: nowMs > state.lastAcceptedAtMs ? nowMs : state.lastAcceptedAtMs,
      lastSeq: heartbeat.seq,
    },
  };
}
