import { Injectable, type Provider } from '@nestjs/common';
import { z } from 'zod';
import { GROUP_SESSION_LIMITS } from '#contracts';
import { MEDIA_EVENTS_OPTIONS } from '../media/media-events.consumer.js';

export const GROUP_SESSION_OPTIONS = Symbol('GROUP_SESSION_OPTIONS');

export interface GroupSessionOptions {
  /** A past in-person session's attendance may be recorded this many days after its end. */
  recordAfterDays: number;
  /** A first check-in this many minutes after the start is late. */
  lateAfterMin: number;
  /** Wrong codes a member may type per minute before check-in answers 429 for the rest of that minute. */
  wrongCodesPerMinute: number;
  /** Redis key prefix (QUEUE_PREFIX): the wrong-code counts are shared by every catalog process. */
  keyPrefix: string;
}

const count = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/** The group study settings of the environment; empty means unset. */
export const groupSessionEnvSchema = z.object({
  GROUP_RECORD_AFTER_DAYS: count(0, 366, GROUP_SESSION_LIMITS.recordAfterDays),
  GROUP_LATE_AFTER_MINUTES: count(0, 24 * 60, 10),
  GROUP_CHECKIN_WRONG_CODES_PER_MINUTE: count(1, 1000, 10),
});

export function groupSessionOptions(source: NodeJS.ProcessEnv, keyPrefix: string): GroupSessionOptions {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const parsed = groupSessionEnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new Error(`Invalid group study settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return {
    recordAfterDays: parsed.data.GROUP_RECORD_AFTER_DAYS,
    lateAfterMin: parsed.data.GROUP_LATE_AFTER_MINUTES,
    wrongCodesPerMinute: parsed.data.GROUP_CHECKIN_WRONG_CODES_PER_MINUTE,
    keyPrefix,
  };
}

/** The clock group sessions decide by (ms since the epoch); tests move it instead of waiting. */
@Injectable()
export class GroupSessionsClock {
  now: () => number = Date.now;
}

export const groupSessionOptionsProvider: Provider = {
  provide: GROUP_SESSION_OPTIONS,
  inject: [MEDIA_EVENTS_OPTIONS],
  useFactory: (media: { prefix: string }) => groupSessionOptions(process.env, media.prefix),
};
