// Listening with the screen off: attention check-ins during hidden or audio-only playback.

/** What a heartbeat answer carries when the member is asked "still listening?". */
export interface AttentionCheckinPrompt {
  /** The check-in to answer. */
  id: string;
  askedAt: string;
  /** Unanswered by then, time listened is not credited until it is answered. */
  answerBy: string;
}

export interface AttentionCheckinAnswer {
  /** The playback session's heartbeat token, as heartbeats carry it. */
  token: string;
}

export const CHECKIN_OUTCOMES = ['answered', 'late', 'missed', 'pending'] as const;
export type CheckinOutcome = (typeof CHECKIN_OUTCOMES)[number];

/** One check-in in a member's audit trail, for admins of their unit. */
export interface AttentionCheckinView {
  id: string;
  lecture: { id: string; title: string };
  askedAt: string;
  answerBy: string;
  answeredAt: string | null;
  outcome: CheckinOutcome;
  /** Seconds of listening not credited because the check-in was missed or late. */
  uncreditedSec: number;
}
