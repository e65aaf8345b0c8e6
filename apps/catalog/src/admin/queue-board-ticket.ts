import { createHmac, timingSafeEqual } from 'node:crypto';

/** The cookie carrying the ticket: sent only to the board's own path, never readable by scripts. */
export const QUEUE_BOARD_COOKIE = 'lectern_queue_board';
export const QUEUE_BOARD_PATH = '/api/admin/queues';
/** Long enough to look into a problem; the page issues a new ticket each time the board is opened. */
export const QUEUE_BOARD_TICKET_SECONDS = 30 * 60;

/**
 * The board is a server-rendered page the browser loads by itself, so it cannot send the web app's
 * bearer token. A ticket is what stands in for it: the account and an expiry, signed with a key
 * of its own derived from JWT_SECRET, so neither an access token nor a playback token passes for one.
 */
export function ticketKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('lectern queue board ticket').digest();
}

const sign = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest('base64url');

export function issueTicket(key: Buffer, userId: string, nowMs: number, ttlSeconds = QUEUE_BOARD_TICKET_SECONDS): string {
  const payload = `${userId}.${nowMs + ttlSeconds * 1000}`;
  return `${payload}.${sign(key, payload)}`;
}

/** The ticket's account while it is unexpired and its signature holds; null otherwise. */
export function ticketHolder(key: Buffer, ticket: string | undefined, nowMs: number): string | null {
  const match = /^([0-9a-f-]{36})\.(\d{13,15})\.([A-Za-z0-9_-]{43})$/.exec(ticket ?? '');
  if (!match) return null;
  const [, userId, expires, signature] = match;
  const expected = Buffer.from(sign(key, `${userId}.${expires}`));
  const given = Buffer.from(signature!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return Number(expires) > nowMs ? userId! : null;
}

/** One cookie's value from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), scoped to the board's path. */
export function ticketCookie(ticket: string, secure: boolean, ttlSeconds = QUEUE_BOARD_TICKET_SECONDS): string {
  return [
    `${QUEUE_BOARD_COOKIE}=${ticket}`,
    `Path=${QUEUE_BOARD_PATH}`,
    `Max-Age=${ttlSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
