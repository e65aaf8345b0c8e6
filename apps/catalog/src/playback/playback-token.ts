import { createHmac, timingSafeEqual } from 'node:crypto';

export interface PlaybackGrant {
  assetId: string;
  sessionId: string;
  userId: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

export type TokenProblem = 'missing' | 'forged' | 'expired' | 'wrong_asset';

const sign = (key: Buffer, body: string) => createHmac('sha256', key).update(body).digest('base64url');

/** A key for playback tokens only, derived from the service secret so the two never stand in for each other. */
export function playbackKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('lectern playback tokens v1').digest();
}

/** A compact signed grant that sits in the URL path, so every relative segment URI inherits it. */
export function signPlaybackToken(key: Buffer, grant: PlaybackGrant): string {
  const body = Buffer.from(JSON.stringify([grant.assetId, grant.sessionId, grant.userId, grant.expiresAt])).toString('base64url');
  return `${body}.${sign(key, body)}`;
}

const signedBy = (key: Buffer, body: string, signature: string) => {
  const expected = Buffer.from(sign(key, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
};

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
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return { ok: false, problem: 'forged' };
  if (!(Buffer.isBuffer(keys) ? [keys] : keys).some((key) => signedBy(key, body, signature))) return { ok: false, problem: 'forged' };
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, problem: 'forged' };
  }
  if (!Array.isArray(fields) || fields.length !== 4 || typeof fields[3] !== 'number') return { ok: false, problem: 'forged' };
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
