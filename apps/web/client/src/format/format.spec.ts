import { describe, expect, it } from '@jest/globals';
import { matchPattern } from '../router/match.js';
import { bytes, clock, durationParts } from './format.js';

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

describe('durationParts', () => {
  it.each([
    [30, { key: 'format.seconds', s: 30 }],
    [60, { key: 'format.minutes', m: 1 }],
    [45 * 60 + 20, { key: 'format.minutes', m: 45 }],
    [3600, { key: 'format.hours', h: 1 }],
    [2 * 3600 + 15 * 60, { key: 'format.hoursMinutes', h: 2, m: 15 }],
  ])('%p s → %j', (sec, parts) => expect(durationParts(sec)).toEqual(parts));
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
