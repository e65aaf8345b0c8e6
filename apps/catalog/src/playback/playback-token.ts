import { createHmac } from 'node:crypto';
import { signFields, verifiedFields } from './signed-token.js';

export interface PlaybackGrant {
  assetId: string;
  sessionId: string;
  userId: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

export type TokenProblem = 'missing' | 'forged' | 'expired' | 'wrong_asset';

/** A key for playback tokens only, derived from the service secret so the two never stand in for each other. */
export function playbackKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('lectern playback tokens v1').digest();
}

/** A compact signed grant that sits in the URL path, so every relative segment URI inherits it. */
export function signPlaybackToken(key: Buffer, grant: PlaybackGrant): string {
  return signFields(key, [grant.assetId, grant.sessionId, grant.userId, grant.expiresAt]);
}

/**
 * Checks a token against one key or, while JWT_SECRET is being rotated, the current key and the
 * previous one (`PlaybackOptions.verifyKeys`), so links handed out before the rotation keep playing.
 */
export function verifyPlaybackToken(
  keys: Buffer | readonly Buffer[],
  token: string | undefined,
  assetId: string,
  nowSec: number,
): { ok: true; grant: PlaybackGrant } | { ok: false; problem: TokenProblem } {
  if (!token) return { ok: false, problem: 'missing' };
  const fields = verifiedFields(Buffer.isBuffer(keys) ? [keys] : keys, token, 4);
  if (!fields || typeof fields[3] !== 'number') return { ok: false, problem: 'forged' };
  const grant: PlaybackGrant = {
    assetId: String(fields[0]),
    sessionId: String(fields[1]),
    userId: String(fields[2]),
    expiresAt: fields[3],
  };
  if (grant.assetId !== assetId) return { ok: false, problem: 'wrong_asset' };
  if (grant.expiresAt <= nowSec) return { ok: false, problem: 'expired' };
  return { ok: true, grant };
}
