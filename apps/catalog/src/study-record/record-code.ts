import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new record number: 26 characters of Crockford base32 drawn uniformly, 130 random bits. */
export function newRecordCode(): string {
  let code = '';
  for (let i = 0; i < 26; i++) code += ALPHABET[randomInt(32)];
  return code;
}

/** A key for record links only, derived from the service secret. */
export function recordLinkKey(secret: Buffer): Buffer {
  return createHmac('sha256', secret).update('lectern study record links v1').digest();
}

const sign = (key: Buffer, code: string, expiresAt: number) => createHmac('sha256', key).update(`${code}.${expiresAt}`).digest('base64url');

/** `<expiry seconds>.<signature>`: lets a plain link (no Authorization header) open one issued record's PDF for a while. */
export function signRecordLink(key: Buffer, code: string, expiresAt: number): string {
  return `${expiresAt}.${sign(key, code, expiresAt)}`;
}

export function checkRecordLink(key: Buffer, code: string, token: string, nowSec: number): 'ok' | 'forged' | 'expired' {
  const [expires, signature, extra] = token.split('.');
  const expiresAt = Number(expires);
  if (!signature || extra !== undefined || !/^\d{1,12}$/.test(expires ?? '')) return 'forged';
  const expected = Buffer.from(sign(key, code, expiresAt));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'forged';
  return expiresAt > nowSec ? 'ok' : 'expired';
}
