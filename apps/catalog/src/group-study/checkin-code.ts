import { createHmac, timingSafeEqual } from 'node:crypto';
import { GROUP_SESSION_LIMITS } from '#contracts';

const PERIOD_MS = GROUP_SESSION_LIMITS.codePeriodSec * 1000;
const MODULUS = 10n ** BigInt(GROUP_SESSION_LIMITS.codeDigits);

/** The code period a server time (ms) falls in: a new code every `codePeriodSec`. */
export const codePeriod = (nowMs: number): number => Math.floor(nowMs / PERIOD_MS);

/** When the period of `nowMs` ends, as ms: the code shown now is taken until one period after that. */
export const periodEndsAt = (nowMs: number): number => (codePeriod(nowMs) + 1) * PERIOD_MS;

/**
 * The six-digit code of a period: HMAC-SHA256 keyed by the session's secret over the period number (8 bytes,
 * big-endian), its first 64 bits reduced modulo 10⁶ (a bias below 10⁶/2⁶⁴, none to speak of), zero-padded.
 */
export function checkinCode(secret: Buffer, period: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt.asUintN(64, BigInt(period)));
  const digest = createHmac('sha256', secret).update(counter).digest();
  return (digest.readBigUInt64BE(0) % MODULUS).toString().padStart(GROUP_SESSION_LIMITS.codeDigits, '0');
}

/** The code shown at `nowMs`. */
export const currentCode = (secret: Buffer, nowMs: number): string => checkinCode(secret, codePeriod(nowMs));

/** Six digits, as typed or carried by the QR link (spaces are trimmed by the schema). */
export const isCodeShaped = (code: string): boolean => new RegExp(`^\\d{${GROUP_SESSION_LIMITS.codeDigits}}$`).test(code);

/** Whether `code` is the code of the current or the previous period at `nowMs` (compared in constant time). */
export function codeMatches(secret: Buffer, code: string, nowMs: number): boolean {
  if (!isCodeShaped(code)) return false;
  const given = Buffer.from(code);
  const period = codePeriod(nowMs);
  let match = false;
  for (const p of [period, period - 1]) match = timingSafeEqual(Buffer.from(checkinCode(secret, p)), given) || match;
  return match;
}
