import { createHmac, timingSafeEqual } from 'node:crypto';

const sign = (key: Buffer, body: string) => createHmac('sha256', key).update(body).digest('base64url');

const signedBy = (key: Buffer, body: string, signature: string) => {
  const expected = Buffer.from(sign(key, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
};

/**
 * A compact token that sits in a URL path: the fields as base64url JSON, a dot, and their HMAC-SHA256 under `key`.
 * Links and playback tokens sign with keys of their own, so one never passes for the other.
 */
export function signFields(key: Buffer, fields: readonly unknown[]): string {
  const body = Buffer.from(JSON.stringify(fields)).toString('base64url');
  return `${body}.${sign(key, body)}`;
}

/**
 * The `count` fields of a token signed by any of `keys` (the current key and, while the secret is being rotated,
 * the previous one), or null when it is forged: not two parts, a wrong signature, or not `count` fields.
 */
export function verifiedFields(keys: readonly Buffer[], token: string, count: number): unknown[] | null {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return null;
  if (!keys.some((key) => signedBy(key, body, signature))) return null;
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  return Array.isArray(fields) && fields.length === count ? (fields as unknown[]) : null;
}
