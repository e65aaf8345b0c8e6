import type { HeartbeatAnswer } from '#contracts';
import { creditHeartbeat, type Heartbeat, type Interval } from '#watch';
import type { SessionEndReason } from '../playback/playback-sessions.js';

export type { HeartbeatAnswer };

export class HeartbeatRejection extends Error {
  constructor(
    readonly status: 403 | 404 | 409 | 503,
    message: string,
  ) {
    super(message);
  }
}

const SESSION_SUPERSEDED = 'This lecture was opened on another screen; study time is counted there now.';
const ACCOUNT_DEACTIVATED = 'This account was deactivated, so study time is no longer counted. Ask your administrator.';

/**
 * Everything crediting needs of one playback session and its member's progress on the lecture,
 * as last committed: the session row (clock, seq, last credit) joined with the progress row.
 */
export interface LiveSession {
  readonly id: string;
  readonly userId: string;
  readonly lectureId: string;
  readonly durationSec: number;
  /** Why the session stopped counting: a newer session of the member, or the account's deactivation; null while live. */
  readonly ended: SessionEndReason | null;
  /** seq of the last accepted heartbeat; null before the first. */
  readonly lastSeq: number | null;
  /** Server time (ms) of the last accepted heartbeat, or of the session's opening. */
  readonly clockMs: number;
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
  if (session.ended) {
    const ended =
      session.ended === 'deactivated' ? new HeartbeatRejection(403, ACCOUNT_DEACTIVATED) : new HeartbeatRejection(409, SESSION_SUPERSEDED);
    return { outcomes: heartbeats.map(() => ended), write: null };
  }
  let state = session;
  let creditedMs = 0;
  let suspicious = 0;
  const outcomes = heartbeats.map((heartbeat): HeartbeatAnswer => {
    const result = creditHeartbeat(
      {
        coverage: state.coverage,
        lectureDurationSec: state.durationSec,
        creditedSec: state.lectureCreditedSec,
        lastAcceptedAtMs: state.clockMs,
        lastSeq: state.lastSeq,
      },
      heartbeat,
      nowMs,
    );
    if (result.replay) {
      return (
        state.lastResponse ?? {
          seq: heartbeat.seq,
          creditedSec: 0,
          lectureCreditedSec: state.lectureCreditedSec,
          coverageRatio: 0,
          completed: state.completed,
          position: state.position,
        }
      );
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
    state = {
      ...state,
      lastSeq: heartbeat.seq,
      clockMs: result.state.lastAcceptedAtMs,
      lastResponse: answer,
      sessionCreditedSec: (Math.round(state.sessionCreditedSec * 1000) + Math.round(result.creditedSec * 1000)) / 1000,
      coverage: result.coverage,
      lectureCreditedSec: result.totalCreditedSec,
      // Completion is never taken back, even if the lecture's length changes afterwards.
      completed: state.completed || result.completed,
      position: result.position,
    };
    return answer;
  });
  return { outcomes, write: state === session ? null : { before: session, after: state, creditedSec: creditedMs / 1000, suspicious } };
}
