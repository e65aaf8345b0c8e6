import type { HeartbeatAnswer } from '#contracts';
import { creditHeartbeat, DEFAULT_CREDIT_POLICY, sessionStanding, type Heartbeat, type Interval } from '#watch';
import type { SessionEndReason } from '../playback/playback-sessions.js';

export type { HeartbeatAnswer };

export class HeartbeatRejection extends Error {
  constructor(
    readonly status: 403 | 404 | 409 | 410 | 503,
    message: string,
  ) {
    super(message);
  }
}

const SESSION_SUPERSEDED = 'This lecture was opened on another screen; study time is counted there now.';
const SUPERSEDED_COUNTED = `${SESSION_SUPERSEDED} What this screen played until then was counted.`;
const ACCOUNT_DEACTIVATED = 'This account was deactivated, so study time is no longer counted. Ask your administrator.';
const COURSE_WITHDRAWN =
  'This lecture is no longer open to you (its course was unpublished or its audience changed), so study time is no longer counted.';
const SESSION_EXPIRED = `This playback session ended after ${DEFAULT_CREDIT_POLICY.inactivitySec / 60} minutes without heartbeats. Reopen the lecture to continue; the player does so by itself.`;

/**
 * Everything crediting needs of one playback session and its member's progress on the lecture,
 * as last committed: the session row (clock, seq, last credit) joined with the progress row.
 */
export interface LiveSession {
  readonly id: string;
  readonly userId: string;
  readonly lectureId: string;
  readonly durationSec: number;
  /** Why the session stopped counting: a newer session of the member, the account's deactivation, or its course; null while live. */
  readonly ended: SessionEndReason | null;
  /** Server time (ms) the session was ended; null while live. */
  readonly endedAtMs: number | null;
  /** Highest seq accepted; null before the first. */
  readonly lastSeq: number | null;
  /** Bit i set: seq lastSeq − 1 − i was accepted too. */
  readonly seenMask: number;
  /** Server time (ms) of the latest accepted heartbeat, or of the session's opening. */
  readonly clockMs: number;
  /** Unspent wall-clock allowance (ms) at clockMs. */
  readonly carryMs: number;
  readonly lastResponse: HeartbeatAnswer | null;
  /** Seconds this session has credited so far. */
  readonly sessionCreditedSec: number;
  readonly coverage: readonly Interval[];
  /** lecture_progress.credited_sec for this member and lecture. */
  readonly lectureCreditedSec: number;
  readonly completed: boolean;
  readonly position: number;
}

/** One session's change in a batch: the state it was computed from and the state to commit. */
export interface SessionWrite {
  readonly before: LiveSession;
  readonly after: LiveSession;
  /** Seconds credited by the batch's heartbeats, added to today's study_daily row. */
  readonly creditedSec: number;
  /** Accepted heartbeats that claimed more media than any real player can play in the time. */
  readonly suspicious: number;
}

export type HeartbeatOutcome = HeartbeatAnswer | HeartbeatRejection;

const REFUSALS = {
  superseded: () => new HeartbeatRejection(409, SESSION_SUPERSEDED),
  expired: () => new HeartbeatRejection(410, SESSION_EXPIRED),
  deactivated: () => new HeartbeatRejection(403, ACCOUNT_DEACTIVATED),
  withdrawn: () => new HeartbeatRejection(403, COURSE_WITHDRAWN),
} as const;

export interface SessionGroupResult {
  /** Outcome of each heartbeat, in the order given. */
  readonly outcomes: HeartbeatOutcome[];
  /** Null when nothing is to be written (replays and rejections). */
  readonly write: SessionWrite | null;
}

/**
 * Credits the heartbeats of one session (in arrival order) against its committed state at the
 * server time `nowMs`. Pure: the caller commits `write` and only then hands out the outcomes.
 */
export function creditSessionGroup(session: LiveSession | undefined, heartbeats: readonly Heartbeat[], nowMs: number): SessionGroupResult {
  if (!session) {
    const missing = new HeartbeatRejection(404, 'No such playback session. Reopen the lecture.');
    return { outcomes: heartbeats.map(() => missing), write: null };
  }
  const standing = sessionStanding(session.clockMs, { reason: session.ended, atMs: session.endedAtMs }, nowMs);
  if (!standing.live) {
    const ended = REFUSALS[standing.reason]();
    return { outcomes: heartbeats.map(() => ended), write: null };
  }
  // A superseded session's late heartbeats are credited as of the moment it was superseded.
  const creditAtMs = standing.creditAtMs;
  let state = session;
  let creditedMs = 0;
  let suspicious = 0;
  const outcomes = heartbeats.map((heartbeat): HeartbeatAnswer => {
    const result = creditHeartbeat(
      {
        coverage: state.coverage,
        lectureDurationSec: state.durationSec,
        creditedSec: state.lectureCreditedSec,
        position: state.position,
        clockMs: state.clockMs,
        carryMs: state.carryMs,
        lastSeq: state.lastSeq,
        seenMask: state.seenMask,
      },
      heartbeat,
      creditAtMs,
    );
    if (result.replay) {
      // The newest seq gets its stored answer; an older one already answered, the state as it is now, with no credit.
      if (state.lastResponse && heartbeat.seq === state.lastSeq) return state.lastResponse;
      return {
        seq: heartbeat.seq,
        creditedSec: 0,
        lectureCreditedSec: state.lectureCreditedSec,
        coverageRatio: result.coverageRatio,
        completed: state.completed,
        position: state.position,
      };
    }
    if (result.suspicious) suspicious++;
    const answer: HeartbeatAnswer = {
      seq: heartbeat.seq,
      creditedSec: result.creditedSec,
      lectureCreditedSec: result.totalCreditedSec,
      coverageRatio: result.coverageRatio,
      completed: result.completed,
      position: result.position,
    };
    creditedMs += Math.round(result.creditedSec * 1000);
    const completed = state.completed || result.completed;
    state = {
      ...state,
      lastSeq: result.state.lastSeq,
      seenMask: result.state.seenMask,
      clockMs: result.state.clockMs,
      carryMs: result.state.carryMs,
      // A late heartbeat leaves the newest seq's answer in place, with the totals it now has.
      lastResponse:
        result.standing === 'late' && state.lastResponse
          ? { ...state.lastResponse, lectureCreditedSec: answer.lectureCreditedSec, coverageRatio: answer.coverageRatio, completed }
          : answer,
      sessionCreditedSec: (Math.round(state.sessionCreditedSec * 1000) + Math.round(result.creditedSec * 1000)) / 1000,
      coverage: result.coverage,
      lectureCreditedSec: result.totalCreditedSec,
      // Completion is never taken back, even if the lecture's length changes afterwards.
      completed,
      position: result.position,
    };
    return answer;
  });
  const write = state === session ? null : { before: session, after: state, creditedSec: creditedMs / 1000, suspicious };
  // In a superseded session's grace, heartbeats are credited (once committed) but still answer 409,
  // so a screen that is still open learns at once that study time is counted elsewhere now.
  if (session.ended === 'superseded') return { outcomes: heartbeats.map(() => new HeartbeatRejection(409, SUPERSEDED_COUNTED)), write };
  return { outcomes, write };
}
