import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Heartbeats authenticate with a per-session key instead of the access token, because
 * navigator.sendBeacon (page hide) cannot set an Authorization header.
 */
export function heartbeatToken(key: Buffer, sessionId: string): string {
  return createHmac('sha256', key).update(`heartbeat:${sessionId}`).digest('base64url');
}

export function isHeartbeatToken(key: Buffer, sessionId: string, token: unknown): boolean {
  if (typeof token !== 'string') return false;
  const expected = Buffer.from(heartbeatToken(key, sessionId));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
