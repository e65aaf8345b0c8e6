import { describe, expect, it } from '@jest/globals';
import { MAX_LOCK_SECONDS, addressBucket, lockSeconds, lockedMessage } from './login-throttle-policy.js';

describe('lockSeconds', () => {
  it.each([
    [900, 1, 900],
    [900, 2, 1800],
    [900, 3, 3600],
    [900, 7, 57_600],
    [900, 8, MAX_LOCK_SECONDS],
    [900, 1000, MAX_LOCK_SECONDS],
    [2, 1, 2],
    [2, 3, 8],
    [900, 0, 900],
  ])('with a %d s window, lock-out %d lasts %d s', (window, level, seconds) => {
    expect(lockSeconds(window, level)).toBe(seconds);
  });
});

describe('lockedMessage', () => {
  it.each([
    [0.2, 'Too many failed attempts. Try again in 1 second.'],
    [2, 'Too many failed attempts. Try again in 2 seconds.'],
    [59.5, 'Too many failed attempts. Try again in 1 minute.'],
    [60, 'Too many failed attempts. Try again in 1 minute.'],
    [61, 'Too many failed attempts. Try again in 2 minutes.'],
    [900, 'Too many failed attempts. Try again in 15 minutes.'],
  ])('after %d s says %s', (seconds, message) => {
    expect(lockedMessage(seconds)).toBe(message);
  });
});

describe('addressBucket', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    [undefined, 'unknown'],
    ['', 'unknown'],
  ])('counts %s as %s', (address, bucket) => {
    expect(addressBucket(address)).toBe(bucket);
  });
});
