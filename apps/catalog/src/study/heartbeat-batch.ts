import type { AttentionCheckinPrompt, HeartbeatAnswer } from '#contracts';
import {
  advanceCheckins,
  blockedWindow,
  creditHeartbeat,
  DEFAULT_CREDIT_POLICY,
  NO_CHECKIN,
  pendingCheckin,
  sessionStanding,
  type Checkin,
  type CheckinRange,
  type CheckinState,
  type Heartbeat,
  type Interval,
} from '#watch';
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
  /** Attention check-ins: the latest asked, and hidden or audio listening since the opening or the latest answer. */
  readonly checkins: CheckinState;
  /** How often the member's open plans ask while listening with the screen off; null: never. */
  readonly checkinRange: CheckinRange | null;
  /** The check-in as the session row holds it, compared before writing (the state may come from the previous session). */
  readonly stored: { readonly checkinId: string | null; readonly answeredAtMs: number | null };
}

/** What asking check-ins needs beside a session's state: the settings, the server's draw and fresh ids. */
export interface AttentionContext {
  /** One unit of a plan's check-in range (ms): a minute, or a second in tests. */
  readonly unitMs: number;
  /** Time to answer a check-in (ms). */
  readonly graceMs: number;
  /** The draw in [0, 1) deciding when the session's n-th check-in (0-based) is due; unpredictable to the player. */
  drawFor(sessionId: string, n: number): number;
  newId(): string;
}

/** Minutes and three minutes to answer, drawn at the middle: for callers that do not ask check-ins themselves. */
export const DEFAULT_ATTENTION: AttentionContext = {
  unitMs: 60_000,
  graceMs: 180_000,
  drawFor: () => 0.5,
  newId: () => globalThis.crypto.randomUUID(),
};

/** One session's change in a batch: the state it was computed from and the state to commit. */
export interface SessionWrite {
  readonly before: LiveSession;
  readonly after: LiveSession;
  /** Seconds credited by the batch's heartbeats, added to today's study_daily row. */
  readonly creditedSec: number;
  /** The part of it earned with the page hidden or on audio only (study_daily.audio_sec). */
  readonly audioSec: number;
  /** The part of it earned at a playback rate above 1× (study_daily.speedup_sec). */
  readonly speedupSec: number;
  /** Listening not credited past the current check-in's deadline, added to its audit row. */
  readonly uncreditedSec: number;
  /** A check-in asked by this batch, to be recorded; null if none. */
  readonly asked: Checkin | null;
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
export function creditSessionGroup(
  session: LiveSession | undefined,
  heartbeats: readonly Heartbeat[],
  nowMs: number,
  attention: AttentionContext = DEFAULT_ATTENTION,
): SessionGroupResult {
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
  let audioMs = 0;
  let speedupMs = 0;
  let uncreditedMs = 0;
  let suspicious = 0;
  const policy = { range: session.checkinRange, unitMs: attention.unitMs, graceMs: attention.graceMs };
  const drawFor = (n: number) => attention.drawFor(session.id, n);
  const answers = heartbeats.map((heartbeat): HeartbeatAnswer => {
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
      {},
      blockedWindow(state.checkins),
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
    const heartbeatMs = Math.round(result.creditedSec * 1000);
    creditedMs += heartbeatMs;
    if (result.attention) audioMs += heartbeatMs;
    if (heartbeat.playbackRate > 1) speedupMs += heartbeatMs;
    uncreditedMs += Math.round(result.uncreditedSec * 1000);
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
      // A superseded screen asks nothing more: its heartbeats answer 409 and it is no longer listened on.
      checkins: session.ended
        ? state.checkins
        : advanceCheckins(state.checkins, heartbeat, heartbeatMs, creditAtMs, policy, drawFor, attention.newId),
    };
    return answer;
  });
  // Every answer carries the check-in still to be answered after the group, so the player shows it at once.
  const waiting = pendingCheckin(state.checkins);
  const outcomes = answers.map((answer) => withCheckin(answer, waiting));
  const asked = state.checkins.current && state.checkins.current.id !== session.checkins.current?.id ? state.checkins.current : null;
  if (state !== session) {
    state = {
      ...state,
      stored: { checkinId: state.checkins.current?.id ?? null, answeredAtMs: state.checkins.current?.answeredAtMs ?? null },
    };
  }
  const write =
    state === session
      ? null
      : {
          before: session,
          after: state,
          creditedSec: creditedMs / 1000,
          audioSec: audioMs / 1000,
          speedupSec: speedupMs / 1000,
          uncreditedSec: uncreditedMs / 1000,
          asked,
          suspicious,
        };
  // In a superseded session's grace, heartbeats are credited (once committed) but still answer 409,
  // so a screen that is still open learns at once that study time is counted elsewhere now.
  if (session.ended === 'superseded') return { outcomes: heartbeats.map(() => new HeartbeatRejection(409, SUPERSEDED_COUNTED)), write };
  return { outcomes, write };
}

/** The prompt a heartbeat answer carries while a check-in waits for its answer. */
export function checkinPrompt(checkin: Checkin): AttentionCheckinPrompt {
  return { id: checkin.id, askedAt: new Date(checkin.askedAtMs).toISOString(), answerBy: new Date(checkin.answerByMs).toISOString() };
}

function withCheckin(answer: HeartbeatAnswer, waiting: Checkin | null): HeartbeatAnswer {
  if (waiting) return { ...answer, checkin: checkinPrompt(waiting) };
  if (!answer.checkin) return answer;
  const { checkin: _answered, ...rest } = answer;
  return rest;
}

export { NO_CHECKIN };
