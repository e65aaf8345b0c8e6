import { isIP } from 'node:net';

/** The longest a login or an address stays locked, however often it was locked before. */
export const MAX_LOCK_SECONDS = 24 * 3600;

export interface ThrottleLimits {
  /** Failures of one login name within the window that lock it. */
  maxFailuresPerLogin: number;
  /** Failures from one client address within the window that lock it. */
  maxFailuresPerAddress: number;
  /** How long failures are counted, and the first lock-out. */
  windowSeconds: number;
}

/** The n-th lock-out (1, 2, …) lasts the window, then twice as long each time, up to a day. */
export function lockSeconds(windowSeconds: number, level: number): number {
  const doubled = windowSeconds * 2 ** Math.min(Math.max(level, 1) - 1, 30);
  return Math.min(doubled, Math.max(MAX_LOCK_SECONDS, windowSeconds));
}

/** What a refused person reads: how long to wait, in minutes once it is a minute or more. */
export function lockedMessage(retryAfterSeconds: number): string {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  if (seconds < 60) return `Too many failed attempts. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
  const minutes = Math.ceil(seconds / 60);
  return `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

/**
 * The address a failure is counted against: an IPv4 address itself (also when seen through an IPv6
 * socket), an IPv6 address by its /64, which one subscriber usually holds whole.
 */
export function addressBucket(address: string | undefined): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address ?? '');
  if (mapped) return mapped[1]!;
  if (!address || isIP(address) !== 6) return address || 'unknown';
  const [head = '', tail] = address.toLowerCase().split('%')[0]!.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
