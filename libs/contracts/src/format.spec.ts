import { describe, expect, it } from '@jest/globals';
import { decimalHours, durationParts, formatDuration, formatHours, percentText, shareText } from './format.js';

describe('formatDuration: one rule for every duration shown', () => {
  it.each([
    [0, '0 分钟', '0 min'],
    [0.4, '0 分钟', '0 min'],
    [1, '1 秒', '1 s'],
    [45, '45 秒', '45 s'],
    [59.6, '1 分钟', '1 min'],
    [60, '1 分钟', '1 min'],
    [90, '1 分 30 秒', '1 min 30 s'],
    [180, '3 分钟', '3 min'],
    [108, '1 分 48 秒', '1 min 48 s'],
    [599, '9 分 59 秒', '9 min 59 s'],
    [600, '10 分钟', '10 min'],
    [629, '10 分钟', '10 min'],
    [630, '11 分钟', '11 min'],
    [45 * 60 + 20, '45 分钟', '45 min'],
    [3569, '59 分钟', '59 min'],
    [3570, '1 小时', '1 h'],
    [3600, '1 小时', '1 h'],
    [3600 + 5 * 60, '1 小时 5 分', '1 h 5 min'],
    [2 * 3600 + 15 * 60 + 29, '2 小时 15 分', '2 h 15 min'],
    [32 * 3600, '32 小时', '32 h'],
    [1234 * 3600 + 60, '1234 小时 1 分', '1234 h 1 min'],
    [-3, '0 分钟', '0 min'],
    [Number.NaN, '0 分钟', '0 min'],
    [Number.POSITIVE_INFINITY, '0 分钟', '0 min'],
  ])('%p s → %s / %s', (sec, zh, en) => {
    expect(formatDuration(sec, 'zh-CN')).toBe(zh);
    expect(formatDuration(sec, 'en')).toBe(en);
  });

  it('adds up: two 90 s lectures read 1 min 30 s each and 3 min together', () => {
    expect(formatDuration(90, 'zh-CN')).toBe('1 分 30 秒');
    expect(formatDuration(90 + 90, 'zh-CN')).toBe('3 分钟');
  });

  it('reads hours by the same rule', () => {
    expect(formatHours(0.03, 'zh-CN')).toBe('1 分 48 秒');
    expect(formatHours(1.5, 'en')).toBe('1 h 30 min');
    expect(formatHours(32, 'zh-CN')).toBe('32 小时');
  });

  it('never shows more than 59 minutes or 59 seconds', () => {
    for (let sec = 0; sec < 30_000; sec += 7) {
      const { h, m, s } = durationParts(sec);
      expect(m).toBeLessThan(60);
      expect(s).toBeLessThan(60);
      expect(Math.abs(h * 3600 + m * 60 + s - sec)).toBeLessThanOrEqual(sec < 600 ? 0 : 30);
    }
  });
});

describe('decimalHours and percentages', () => {
  it.each([
    [0, 0],
    [18, 0.01],
    [90, 0.03],
    [3600, 1],
    [5400, 1.5],
    [-5, 0],
  ])('%p s → %p h', (sec, hours) => expect(decimalHours(sec)).toBe(hours));

  it.each([
    [0, '0.0%'],
    [45.5, '45.5%'],
    [33.333, '33.3%'],
    [100, '100.0%'],
  ])('%p → %s', (value, text) => expect(percentText(value)).toBe(text));

  it('shows a 0..1 share as a percentage', () => expect(shareText(0.667)).toBe('66.7%'));
});
