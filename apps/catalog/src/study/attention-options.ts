import { createHmac } from 'node:crypto';
import { z } from 'zod';

export const ATTENTION_OPTIONS = Symbol('ATTENTION_OPTIONS');

/** How attention check-ins are timed in this catalog. */
export interface AttentionOptions {
  /** Seconds in one unit of a plan's check-in range (`checkin_min_minutes`…`checkin_max_minutes`): 60 in production. */
  unitSec: number;
  /** Seconds a member has to answer a check-in. */
  graceSec: number;
}

/**
 * The catalog's settings for check-ins:
 * - `ATTENTION_CHECKIN_UNIT_SEC` (default 60): a plan's "10–20 minutes" are 10–20 of these; tests and
 *   rehearsals set 1, so check-ins come within seconds;
 * - `ATTENTION_ANSWER_GRACE_SEC` (default 180): time to answer, from the moment a check-in is asked.
 */
export const attentionEnvSchema = z.object({
  ATTENTION_CHECKIN_UNIT_SEC: z.coerce
    .number('must be a whole number of seconds')
    .int('must be a whole number of seconds')
    .min(1, 'must be at least 1 second')
    .max(3600, 'must be at most 3600 seconds')
    .default(60),
  ATTENTION_ANSWER_GRACE_SEC: z.coerce
    .number('must be a whole number of seconds')
    .int('must be a whole number of seconds')
    .min(1, 'must be at least 1 second')
    .max(3600, 'must be at most 3600 seconds')
    .default(180),
});

export function attentionOptionsFrom(source: NodeJS.ProcessEnv = process.env): AttentionOptions {
  const parsed = attentionEnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid attention check-in settings: ${problems}`);
  }
  return { unitSec: parsed.data.ATTENTION_CHECKIN_UNIT_SEC, graceSec: parsed.data.ATTENTION_ANSWER_GRACE_SEC };
}

/**
 * The draw in [0, 1) that decides when a session's n-th check-in is due: a keyed hash of the session
 * and the number, so it is fixed for the server (every process agrees, a retry draws the same) and
 * unknowable to the player, which never holds the key.
 */
export function checkinDraw(key: Buffer, sessionId: string, n: number): number {
  const digest = createHmac('sha256', key).update(`attention-checkin:${sessionId}:${n}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}
