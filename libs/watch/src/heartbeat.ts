import type { Interval } from './intervals.js';

/**
 * Validation of the heartbeat the player sends. Hand-written rather than a schema library so that
 * every rejection reads as one plain sentence naming the field ("intervals[2]: end must be ≥ start"),
 * because the body is untrusted and its errors are shown to player developers and in logs.
 */

export const HEARTBEAT_EVENTS = ['tick', 'pause', 'seek', 'ended', 'hide'] as const;
export type HeartbeatEvent = (typeof HEARTBEAT_EVENTS)[number];

export const HEARTBEAT_LIMITS = {
  /** seq is stored in a signed 32-bit column; a player sending ~1 beat/s never gets near. */
  maxSeq: 2 ** 31 - 1,
  /** A tick covers a few seconds; 50 pieces is plenty for seeking back and forth and bounds the work per request. */
  maxIntervals: 50,
  /** No lecture is longer than a day; also bounds `position`. */
  maxMediaSec: 24 * 3600,
  minPlaybackRate: 0.25,
  maxPlaybackRate: 4,
} as const;

export interface Heartbeat {
  /** Playback session opened by the server; lowercased. */
  sessionId: string;
  /** Per-session counter; a seq at or below the last accepted one is a replay. */
  seq: number;
  /** Media spans played since the previous heartbeat, `[start, end)` in seconds; empty while paused. */
  intervals: Interval[];
  /** Current media position in seconds, for resuming. */
  position: number;
  playbackRate: number;
  /** Whether the page was visible for the whole span reported. */
  visible: boolean;
  muted: boolean;
  /**
   * Playing sound only: an audio lecture or the audio-only rendition. Hidden audio earns like visible
   * playback, under attention check-ins; hidden video earns nothing.
   */
  audio: boolean;
  event: HeartbeatEvent;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Names what was received without echoing it back verbatim (it may be huge or hostile). */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'undefined';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

interface NumberRule {
  integer?: boolean;
  min: number;
  max: number;
}

/** One error message for the first rule `value` breaks, or null; `subject` is e.g. "seq: " or "intervals[2]: start ". */
function checkNumber(value: unknown, subject: string, rule: NumberRule): string | null {
  if (value === undefined) return `${subject}is required`;
  if (typeof value !== 'number') return `${subject}must be a number, got ${describe(value)}`;
  if (!Number.isFinite(value)) return `${subject}must be a finite number, got ${describe(value)}`;
  if (rule.integer && !Number.isInteger(value)) return `${subject}must be an integer, got ${value}`;
  if (value < rule.min) return `${subject}must be ≥ ${rule.min}, got ${value}`;
  if (value > rule.max) return `${subject}must be ≤ ${rule.max}, got ${value}`;
  return null;
}

function checkBoolean(value: unknown, subject: string): string | null {
  if (value === undefined) return `${subject}is required`;
  return typeof value === 'boolean' ? null : `${subject}must be true or false, got ${describe(value)}`;
}

function parseIntervals(value: unknown, errors: string[]): Interval[] {
  if (value === undefined) {
    errors.push('intervals: is required (send [] while paused)');
    return [];
  }
  if (!Array.isArray(value)) {
    errors.push(`intervals: must be an array of [start, end] pairs, got ${describe(value)}`);
    return [];
  }
  if (value.length > HEARTBEAT_LIMITS.maxIntervals) {
    // Stop here: listing errors for thousands of items would make the rejection itself expensive.
    errors.push(`intervals: at most ${HEARTBEAT_LIMITS.maxIntervals} intervals per heartbeat, got ${value.length}`);
    return [];
  }
  const range = { min: 0, max: HEARTBEAT_LIMITS.maxMediaSec };
  const intervals: Interval[] = [];
  value.forEach((item: unknown, i) => {
    const at = `intervals[${i}]: `;
    if (!Array.isArray(item) || item.length !== 2) {
      errors.push(`${at}must be a [start, end] pair, got ${describe(item)}`);
      return;
    }
    const [start, end] = item as [unknown, unknown];
    const startError = checkNumber(start, `${at}start `, range);
    const endError = checkNumber(end, `${at}end `, range);
    if (startError) errors.push(startError);
    if (endError) errors.push(endError);
    if (startError || endError) return;
    if ((end as number) < (start as number)) {
      errors.push(`${at}end must be ≥ start, got [${start as number}, ${end as number}]`);
      return;
    }
    intervals.push([start as number, end as number]);
  });
  return intervals;
}

export function parseHeartbeat(body: unknown): ParseResult<Heartbeat> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, errors: [`body: must be a JSON object, got ${describe(body)}`] };
  }
  const input = body as Record<string, unknown>;
  const errors: string[] = [];
  const add = (error: string | null) => {
    if (error) errors.push(error);
  };

  const { sessionId } = input;
  if (sessionId === undefined) errors.push('sessionId: is required');
  else if (typeof sessionId !== 'string' || !UUID.test(sessionId)) {
    errors.push(`sessionId: must be a UUID string, got ${typeof sessionId === 'string' ? 'a malformed string' : describe(sessionId)}`);
  }

  const seqError = checkNumber(input.seq, 'seq: ', { integer: true, min: 0, max: HEARTBEAT_LIMITS.maxSeq });
  // Past the limit a player has to start over: say how, not only what.
  add(
    seqError && typeof input.seq === 'number' && input.seq > HEARTBEAT_LIMITS.maxSeq
      ? `${seqError}; reopen the lecture to start a new session`
      : seqError,
  );
  const intervals = parseIntervals(input.intervals, errors);
  add(checkNumber(input.position, 'position: ', { min: 0, max: HEARTBEAT_LIMITS.maxMediaSec }));
  add(
    checkNumber(input.playbackRate, 'playbackRate: ', {
      min: HEARTBEAT_LIMITS.minPlaybackRate,
      max: HEARTBEAT_LIMITS.maxPlaybackRate,
    }),
  );
  add(checkBoolean(input.visible, 'visible: '));
  // Optional so a minimal player need not track it; absent means unmuted.
  if (input.muted !== undefined) add(checkBoolean(input.muted, 'muted: '));
  // Optional for players that predate listening with the screen off; absent means video.
  if (input.audio !== undefined) add(checkBoolean(input.audio, 'audio: '));

  const { event } = input;
  if (event === undefined) errors.push('event: is required');
  else if (!HEARTBEAT_EVENTS.includes(event as HeartbeatEvent)) {
    errors.push(
      `event: must be one of ${HEARTBEAT_EVENTS.join(', ')}, got ${typeof event === 'string' ? JSON.stringify(event.slice(0, 20)) : describe(event)}`,
    );
  }

  if (errors.length > 0) return { ok: false, errors };
  // Only known fields are copied, so extra keys from newer players are dropped, not trusted.
  return {
    ok: true,
    value: {
      sessionId: (sessionId as string).toLowerCase(),
      seq: input.seq as number,
      intervals,
      position: input.position as number,
      playbackRate: input.playbackRate as number,
      visible: input.visible as boolean,
      muted: (input.muted as boolean | undefined) ?? false,
      audio: (input.audio as boolean | undefined) ?? false,
      event: event as HeartbeatEvent,
    },
  };
}
