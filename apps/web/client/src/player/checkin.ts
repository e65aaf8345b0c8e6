import type { AttentionCheckinPrompt } from '#contracts';

/**
 * "Still listening?": a check-in the server asks in a heartbeat answer while sound plays with the screen
 * off (or sound only). Pure rules of what the player holds and shows; times in this device's ms.
 */

/** A check-in waiting for the member's answer, with what answering it takes. */
export interface HeldCheckin extends AttentionCheckinPrompt {
  /** The playback session it was asked in, and that session's heartbeat token (which answers it). */
  sessionId: string;
  token: string;
  /**
   * When `answerBy` falls on this device's clock, which may differ from the server's: the time given to
   * answer (answerBy − askedAt) counted from when the player first heard of it.
   */
  deadlineMs: number;
}

/** `pending`: still in time; `missed`: past its deadline, so listening is not counted until it is answered. */
export type CheckinPhase = 'pending' | 'missed';

/**
 * The check-in to hold after a heartbeat answer. Every answer carries the session's unanswered check-in,
 * so an answer without one means there is none (answered, here or on another screen). `answered` lists
 * the ids this page has answered: an answer to a heartbeat sent before that still carries it.
 */
export function heldAfterAnswer(
  held: HeldCheckin | null,
  prompt: AttentionCheckinPrompt | undefined,
  session: { sessionId: string; heartbeatToken: string },
  receivedAtMs: number,
  answered: ReadonlySet<string>,
): HeldCheckin | null {
  if (!prompt || answered.has(prompt.id)) {
    // An answer under another session says nothing of a check-in asked in this one.
    return held && held.sessionId !== session.sessionId ? held : null;
  }
  if (held && held.id === prompt.id) return held;
  const given = Date.parse(prompt.answerBy) - Date.parse(prompt.askedAt);
  return {
    id: prompt.id,
    askedAt: prompt.askedAt,
    answerBy: prompt.answerBy,
    sessionId: session.sessionId,
    token: session.heartbeatToken,
    deadlineMs: receivedAtMs + (Number.isFinite(given) && given > 0 ? given : 0),
  };
}

/** Whether the check-in can still be answered in time at `nowMs`. */
export function checkinPhase(held: Pick<HeldCheckin, 'deadlineMs'>, nowMs: number): CheckinPhase {
  return nowMs < held.deadlineMs ? 'pending' : 'missed';
}

/** Milliseconds until the check-in is missed (0 once it is), for the one timer that re-renders then. */
export function msUntilMissed(held: Pick<HeldCheckin, 'deadlineMs'>, nowMs: number): number {
  return Math.max(0, held.deadlineMs - nowMs);
}
