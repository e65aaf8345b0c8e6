import { describe, expect, it } from '@jest/globals';
import { matchPattern } from '../router/match.js';
import { formatDuration } from './duration.js';
import { bytes, clock } from './format.js';

describe('clock', () => {
  it.each([
    [0, '0:00'],
    [5.9, '0:05'],
    [754, '12:34'],
    [3723, '1:02:03'],
    [-3, '0:00'],
    [Number.NaN, '0:00'],
  ])('%p → %s', (sec, text) => expect(clock(sec)).toBe(text));
});

describe('durations read by the shared rule on every page', () => {
  it.each([
    [30, '30 秒', '30 s'],
    [60, '1 分钟', '1 min'],
    [90, '1 分 30 秒', '1 min 30 s'],
    [180, '3 分钟', '3 min'],
    [45 * 60 + 20, '45 分钟', '45 min'],
    [3600, '1 小时', '1 h'],
    [2 * 3600 + 15 * 60, '2 小时 15 分', '2 h 15 min'],
  ])('%p s → %s / %s', (sec, zh, en) => {
    expect(formatDuration(sec, 'zh-CN')).toBe(zh);
    expect(formatDuration(sec, 'en')).toBe(en);
  });

  it('reads two 90 s lectures as 1 min 30 s each and their course as 3 min', () => {
    expect([formatDuration(90, 'zh-CN'), formatDuration(90, 'zh-CN'), formatDuration(180, 'zh-CN')]).toEqual([
      '1 分 30 秒',
      '1 分 30 秒',
      '3 分钟',
    ]);
  });
});

describe('bytes', () => {
  it.each([
    [0, '0 B'],
    [850 * 1024, '850 KB'],
    [1.46 * 1024 * 1024, '1.5 MB'],
    [12 * 1024 * 1024, '12 MB'],
    [3.2 * 1024 ** 3, '3.2 GB'],
  ])('%p → %s', (count, text) => expect(bytes(count)).toBe(text));
});

describe('matchPattern', () => {
  it('captures and decodes path parameters', () => {
    expect(matchPattern('/courses/:id', '/courses/a%20b')).toEqual({ id: 'a b' });
    expect(matchPattern('/studio/courses/:id', '/studio/courses/42')).toEqual({ id: '42' });
  });

  it('rejects other paths, empty parameters and broken escapes', () => {
    expect(matchPattern('/courses/:id', '/courses')).toBeNull();
    expect(matchPattern('/courses/:id', '/courses/')).toBeNull();
    expect(matchPattern('/courses/:id', '/lectures/1')).toBeNull();
    expect(matchPattern('/courses/:id', '/courses/%E0%A4%A')).toBeNull();
  });
});
