import { describe, expect, it } from '@jest/globals';
import {
  checkinLink,
  codeDigits,
  codeRefreshDelayMs,
  filterRoster,
  isWholeCode,
  qrPath,
  rosterState,
  sessionTimes,
} from './group-logic.js';

const ID = '0b6a3f3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';

describe('codeDigits', () => {
  it.each([
    ['123456', '123456'],
    ['12 34 56', '123456'],
    ['１２３４５６', '123456'],
    ['12-34-56-78', '123456'],
    ['abc', ''],
    ['０1２', '012'],
  ])('%s → %s', (typed, digits) => expect(codeDigits(typed)).toBe(digits));

  it('takes six digits as whole, not five or seven', () => {
    expect([isWholeCode('123456'), isWholeCode('12345'), isWholeCode('1234567'), isWholeCode('12345a')]).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });
});

describe('checkinLink', () => {
  it.each([
    [`?s=${ID}&c=004211`, { sessionId: ID, code: '004211' }],
    [`?c=004211&s=${ID}`, { sessionId: ID, code: '004211' }],
    [`?s=${ID}`, null],
    [`?s=not-an-id&c=004211`, null],
    [`?s=${ID}&c=4211`, null],
    ['', null],
  ])('%s', (search, expected) => expect(checkinLink(search)).toEqual(expected));
});

describe('codeRefreshDelayMs', () => {
  const now = Date.parse('2026-12-04T10:00:00Z');
  it.each([
    ['a code valid 60 s more is asked again 3 s before', '2026-12-04T10:01:00Z', 60, 57_000],
    ['never later than one period, whatever the clocks say', '2026-12-04T11:00:00Z', 60, 60_000],
    ['never sooner than 2 s', '2026-12-04T09:59:00Z', 60, 2_000],
    ['an unreadable time waits one period', 'soon', 30, 30_000],
  ])('%s', (_name, validUntil, period, delay) => expect(codeRefreshDelayMs(validUntil, now, period)).toBe(delay));
});

describe('filterRoster', () => {
  const roster = [
    { name: '王秀英', login: 'member' },
    { name: '李建国', login: 'member10' },
    { name: 'Anna Lee', login: 'anna' },
  ];
  it.each([
    ['', ['member', 'member10', 'anna']],
    ['秀英', ['member']],
    ['MEMBER1', ['member10']],
    ['ａｎｎａ', ['anna']],
    ['lee anna', ['anna']],
    ['张', []],
  ])('%j', (query, logins) => expect(filterRoster(roster, query).map((e) => e.login)).toEqual(logins));
});

describe('rosterState', () => {
  it.each([
    [{ present: true, firstInAt: 'x', lastOutAt: null }, 'present'],
    [{ present: false, firstInAt: 'x', lastOutAt: 'y' }, 'checkedOut'],
    [{ present: false, firstInAt: null, lastOutAt: null }, 'absent'],
  ] as const)('%j', (entry, state) => expect(rosterState(entry)).toBe(state));
});

describe('sessionTimes', () => {
  it('reads the date and times in the browser’s time zone', () => {
    const times = sessionTimes('2026-11-20', '14:30', '16:00');
    expect(times).toEqual({
      startsAt: new Date(2026, 10, 20, 14, 30).toISOString(),
      endsAt: new Date(2026, 10, 20, 16, 0).toISOString(),
    });
  });
  it.each([
    ['', '14:30', '16:00', 'needTimes'],
    ['2026-11-20', '', '16:00', 'needTimes'],
    ['2026-11-20', '16:00', '16:00', 'endBeforeStart'],
    ['2026-11-20', '16:00', '09:00', 'endBeforeStart'],
  ])('%s %s–%s: %s', (date, start, end, problem) => expect(sessionTimes(date, start, end)).toEqual({ problem }));
});

describe('qrPath', () => {
  it('draws each run of dark modules in a row as one rectangle inside the quiet zone', () => {
    // Row 0: dark, dark, light; row 1: light, light, dark; row 2: all light.
    const dark = [
      [1, 1, 0],
      [0, 0, 1],
      [0, 0, 0],
    ];
    expect(qrPath(3, (r, c) => dark[r]![c] === 1, 4)).toBe('M4 4h2v1h-2zM6 5h1v1h-1z');
  });

  it('draws nothing for an all-light symbol', () => expect(qrPath(5, () => false)).toBe(''));
});
