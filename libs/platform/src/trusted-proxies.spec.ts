import { describe, expect, it } from '@jest/globals';
import { trustedProxiesProblem } from '#config';
import { trustOneHopFrom } from './trusted-proxies.js';

describe('trustOneHopFrom', () => {
  it.each([
    ['loopback', '127.0.0.1', 0, true],
    ['loopback', '::1', 0, true],
    ['loopback', '::ffff:127.0.0.1', 0, true],
    ['loopback', '10.0.0.5', 0, false],
    // Only the gateway's own hop: whatever it forwards from further out is the client's claim.
    ['loopback', '127.0.0.1', 1, false],
    ['10.1.0.0/16, 192.168.1.7', '10.1.200.3', 0, true],
    ['10.1.0.0/16, 192.168.1.7', '192.168.1.7', 0, true],
    ['10.1.0.0/16, 192.168.1.7', '192.168.1.8', 0, false],
    ['10.1.0.0/16, 192.168.1.7', '127.0.0.1', 0, false],
    ['uniquelocal', '172.20.0.2', 0, true],
    ['fd00::/8', 'fd00::1', 0, true],
    ['none', '127.0.0.1', 0, false],
  ])('with %s trusts %s at hop %d: %s', (spec, address, hop, trusted) => {
    expect(trustOneHopFrom(spec)(address, hop)).toBe(trusted);
  });

  it.each(['', 'everyone', '10.0.0.0/33', '1.2.3', '10.0.0.0/8/1'])('refuses the list %j', (spec) => {
    expect(trustedProxiesProblem(spec)).not.toBeNull();
    expect(() => trustOneHopFrom(spec)).toThrow('Invalid trusted proxies');
  });
});
