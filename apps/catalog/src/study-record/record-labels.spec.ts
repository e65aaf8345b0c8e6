import { describe, expect, it } from '@jest/globals';
import { RECORD_LABELS, fill, issuedText, localDateTime } from './record-labels.js';

describe('record labels', () => {
  it.each<[string, string, string]>([
    ['2026-12-04T01:05:00Z', 'Asia/Shanghai', '2026-12-04 09:05'],
    ['2026-12-03T16:00:00Z', 'Asia/Shanghai', '2026-12-04 00:00'],
    ['2026-07-01T12:30:00Z', 'Europe/London', '2026-07-01 13:30'],
  ])('%s in %s is %s', (iso, zone, expected) => {
    expect(localDateTime(iso, zone)).toBe(expected);
  });

  it.each<[string, 'zh-CN' | 'en', string]>([
    ['Asia/Shanghai', 'zh-CN', '2026-12-04 09:05（北京时间）'],
    ['Asia/Shanghai', 'en', '2026-12-04 09:05 (Beijing time)'],
    ['UTC', 'en', '2026-12-04 01:05 (UTC)'],
  ])('issued in %s, %s', (zone, lang, expected) => {
    expect(issuedText('2026-12-04T01:05:00Z', zone, lang)).toBe(expected);
  });

  it('fills placeholders', () => {
    expect(fill(RECORD_LABELS.en.footer, { code: 'AB', page: 1, pages: 2 })).toBe('Record number AB · page 1 of 2');
  });

  it('has the same words in both languages', () => {
    const keys = (o: object): string[] =>
      Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v).map((x) => `${k}.${x}`) : [k]));
    expect(keys(RECORD_LABELS.en).sort()).toEqual(keys(RECORD_LABELS['zh-CN']).sort());
  });
});
