// Public API of #watch: pure rules for crediting watch time and measuring study-plan progress.
export {
  clampIntervals,
  measure,
  normalizeIntervals,
  subtractIntervals,
  takeFirstSeconds,
  unionIntervals,
  type Interval,
} from './intervals.js';
export { HEARTBEAT_EVENTS, HEARTBEAT_LIMITS, parseHeartbeat, type Heartbeat, type HeartbeatEvent, type ParseResult } from './heartbeat.js';
export {
  creditHeartbeat,
  DEFAULT_CREDIT_POLICY,
  openingAllowanceMs,
  resolvePolicy,
  seqStanding,
  sessionStanding,
  type CreditableHeartbeat,
  type CreditPolicy,
  type CreditResult,
  type CreditState,
  type SeqStanding,
  type SessionEnd,
  type SessionStanding,
} from './crediting.js';
export { coverageRatio, DEFAULT_COMPLETION_THRESHOLD, isCompleted, isCompletedAt } from './completion.js';
export {
  hoursProgress,
  periodElapsedShare,
  planProgress,
  type LectureProgress,
  type PlanMode,
  type PlanProgress,
  type PlanRules,
  type PlanStatus,
} from './plan-progress.js';
export {
  advanceCheckins,
  answerCheckin,
  blockedWindow,
  checkinDueAfterMs,
  checkinOutcome,
  DEFAULT_CHECKIN_RANGE,
  elapsedOutsideMs,
  isAttentionMode,
  NO_CHECKIN,
  pendingCheckin,
  strictestCheckinRange,
  type AttentionPolicy,
  type BlockedWindow,
  type Checkin,
  type CheckinOutcome,
  type CheckinRange,
  type CheckinState,
  type PlanCheckinRule,
} from './attention.js';
export {
  acceptScreenBeat,
  entitledMedia,
  playShare,
  presentMsWithin,
  takeInPlayOrder,
  type PresencePeriod,
  type ScreenBeat,
  type ScreenBeatResult,
  type ScreenPlay,
  type ScreenState,
} from './overlap.js';
