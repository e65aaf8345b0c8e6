import { describe, expect, it } from '@jest/globals';
import { materialLinkKey, signMaterialLink, verifyMaterialLink, type MaterialGrant } from './material-link.js';

const key = materialLinkKey(Buffer.from('a'.repeat(32)));
const previous = materialLinkKey(Buffer.from('b'.repeat(32)));
const grant: MaterialGrant = { materialId: 'm1', userId: 'u1', variant: 'read', expiresAt: 2000 };

describe('material links', () => {
  it('accept their own material, variant and time, under the current or the previous key', () => {
    expect(verifyMaterialLink([key], signMaterialLink(key, grant), 'm1', 'read', 1999)).toEqual({ ok: true, grant });
    expect(verifyMaterialLink([key, previous], signMaterialLink(previous, grant), 'm1', 'read', 1999).ok).toBe(true);
  });

  it.each([
    ['another material', 'm2', 'read', 1999, 'wrong_material'],
    ['the other file of the material', 'm1', 'download', 1999, 'wrong_material'],
    ['after they expire', 'm1', 'read', 2000, 'expired'],
  ] as const)('refuse %s', (_what, material, variant, now, problem) => {
    expect(verifyMaterialLink([key], signMaterialLink(key, grant), material, variant, now)).toEqual({ ok: false, problem });
  });

  it('refuse changed, truncated and foreign tokens', () => {
    const token = signMaterialLink(key, grant);
    const [body, signature] = token.split('.');
    const longer = Buffer.from(JSON.stringify(['m1', 'u1', 'read', 9999])).toString('base64url');
    for (const bad of [`${longer}.${signature}`, body, `${token}.x`, signMaterialLink(previous, grant), '', 'a.b']) {
      expect(verifyMaterialLink([key], bad, 'm1', 'read', 1999)).toEqual({ ok: false, problem: 'forged' });
    }
  });
});
