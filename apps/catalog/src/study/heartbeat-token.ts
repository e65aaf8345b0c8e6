import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Heartbeats authenticate with a per-session key instead of the access token, because
 * navigator.sendBeacon (page hide) cannot set an Authorization header.
 */
export function heartbeatToken(key: Buffer, sessionId: string): string {
  return createHmac('sha256', key).update(`heartbeat:${sessionId}`).digest('base64url');
}

function matches(expected: Buffer, token: unknown): boolean {
  if (typeof token !== 'string') return false;
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Checks heartbeat tokens, remembering each recent session's expected token: a playing session
 * sends one every few seconds, and the HMAC is most of the cost of checking one. While JWT_SECRET is
 * rotated there are two keys, so a lecture opened before the rotation keeps being credited.
 */
export class HeartbeatTokenCheck {
  private readonly expected = new Map<string, Buffer[]>();
  private readonly keys: readonly Buffer[];

  constructor(
    keys: Buffer | readonly Buffer[],
    private readonly capacity = 100_000,
  ) {
    this.keys = Buffer.isBuffer(keys) ? [keys] : keys;
  }

  isValid(sessionId: string, token: unknown): boolean {
    let expected = this.expected.get(sessionId);
    if (!expected) {
      if (this.expected.size >= this.capacity) this.expected.clear();
      expected = this.keys.map((key) => Buffer.from(heartbeatToken(key, sessionId)));
      this.expected.set(sessionId, expected);
    }
    return expected.some((candidate) => matches(candidate, token));
  }
}
