import { describe, expect, it } from '@jest/globals';
import { STUDY_RECORD_CODE, groupRecordCode, normaliseRecordCode } from '#contracts';
import { checkRecordLink, newRecordCode, recordLinkKey, signRecordLink } from './record-code.js';

describe('record codes', () => {
  it('are 26 Crockford base32 characters and differ each time', () => {
    const codes = new Set(Array.from({ length: 200 }, newRecordCode));
    expect(codes.size).toBe(200);
    for (const code of codes) expect(code).toMatch(STUDY_RECORD_CODE);
  });

  it.each<[string, string | null]>([
    ['0123456789ABCDEFGHJKMNPQRS', '0123456789ABCDEFGHJKMNPQRS'],
    ['0123-4567-89ab-cdef-ghjk-mnpq-rs', '0123456789ABCDEFGHJKMNPQRS'],
    [' o123 4567 89AB CDEF GHJK MNPQ RS ', '0123456789ABCDEFGHJKMNPQRS'],
    ['I123456789ABCDEFGHJKMNPQRS', '1123456789ABCDEFGHJKMNPQRS'],
    ['0123456789ABCDEFGHJKMNPQR', null],
    ['0123456789ABCDEFGHJKMNPQRU', null],
    ['../../etc/passwd', null],
    ['', null],
  ])('%j normalises to %j', (input, expected) => {
    expect(normaliseRecordCode(input)).toBe(expected);
  });

  it('groups by four', () => {
    expect(groupRecordCode('0123456789ABCDEFGHJKMNPQRS')).toBe('0123-4567-89AB-CDEF-GHJK-MNPQ-RS');
  });
});

describe('record links', () => {
  const key = recordLinkKey(Buffer.from('x'.repeat(32)));
  const code = '0123456789ABCDEFGHJKMNPQRS';
  it.each<[string, (t: string) => string, number, string]>([
    ['valid', (t) => t, 100, 'ok'],
    ['expired', (t) => t, 2000, 'expired'],
    ['longer expiry, same signature', (t) => t.replace(/^\d+/, '9999'), 100, 'forged'],
    ['no signature', (t) => t.split('.')[0]!, 100, 'forged'],
    ['extra part', (t) => `${t}.x`, 100, 'forged'],
  ])('%s', (_name, change, now, expected) => {
    expect(checkRecordLink(key, code, change(signRecordLink(key, code, 1000)), now)).toBe(expected);
  });
  it('is bound to its record', () => {
    expect(checkRecordLink(key, code.replace('0', '1'), signRecordLink(key, code, 1000), 100)).toBe('forged');
  });
});
