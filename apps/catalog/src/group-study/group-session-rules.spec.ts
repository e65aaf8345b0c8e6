import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  classifyNewInPerson,
  inPersonStatusAt,
  isLate,
  leadScopes,
  leadsUnit,
  presenceCreditSec,
  recordUntil,
  selfCheckinRefusal,
  tickMode,
  type PresencePeriod,
} from './group-session-rules.js';

const M = 60_000;
const H = 60 * M;
const D = 24 * H;
const T0 = Date.UTC(2026, 11, 4, 8, 0, 0);

describe('who leads', () => {
  it.each([
    [
      'a group leader leads their group',
      { role: 'member', orgPath: 'c/e/g1', positions: [{ unitPath: 'c/e/g1', positionCode: 'group-leader' }] },
      ['c/e/g1'],
    ],
    [
      'a secretary leads their branch',
      { role: 'member', orgPath: 'c/e/g1', positions: [{ unitPath: 'c/e', positionCode: 'secretary' }] },
      ['c/e'],
    ],
    [
      'other positions lead nothing',
      { role: 'member', orgPath: 'c/e', positions: [{ unitPath: 'c/e', positionCode: 'committee-member' }] },
      [],
    ],
    ['a plain member leads nothing', { role: 'member', orgPath: 'c/e', positions: [] }, []],
    ['an admin leads their subtree', { role: 'admin', orgPath: 'c/w', positions: [] }, ['c/w']],
    [
      'inner scopes fold into outer ones',
      {
        role: 'member',
        orgPath: 'c/e/g1',
        positions: [
          { unitPath: 'c/e/g1', positionCode: 'group-leader' },
          { unitPath: 'c/e', positionCode: 'secretary' },
          { unitPath: 'c/w/g2', positionCode: 'group-leader' },
        ],
      },
      ['c/e', 'c/w/g2'],
    ],
  ])('%s', (_name, leader, scopes) => {
    expect(leadScopes(leader)).toEqual(scopes);
  });

  it.each([
    [['c/e'], 'c/e', true],
    [['c/e'], 'c/e/g1', true],
    [['c/e'], 'c/east', false],
    [['c/e/g1'], 'c/e', false],
    [[], 'c', false],
  ])('scopes %p lead %s: %s', (scopes, path, expected) => expect(leadsUnit(scopes, path)).toBe(expected));
});

describe('in-person sessions by the clock', () => {
  it.each([
    [T0 - 1, 'planned'],
    [T0, 'live'],
    [T0 + H - 1, 'live'],
    [T0 + H, 'ended'],
  ])('at %d it is %s', (now, status) => expect(inPersonStatusAt(T0, T0 + H, now)).toBe(status));

  it.each([
    ['future: planned', T0 + D, T0 + D + H, T0, { status: 'planned', recordedAfterwards: false }],
    ['under way: live', T0 - M, T0 + H, T0, { status: 'live', recordedAfterwards: false }],
    ['ended an hour ago: recorded afterwards', T0 - 2 * H, T0 - H, T0, { status: 'ended', recordedAfterwards: true }],
    ['ended 14 days ago to the minute: still allowed', T0 - 14 * D - H, T0 - 14 * D, T0, { status: 'ended', recordedAfterwards: true }],
    ['ended 14 days and a minute ago: refused', T0 - 14 * D - H, T0 - 14 * D - M, T0, { status: 409 }],
    ['end before start: refused', T0 + H, T0, T0, { status: 400 }],
    ['end equal to start: refused', T0 + H, T0 + H, T0, { status: 400 }],
    ['longer than a day: refused', T0, T0 + D + M, T0, { status: 400 }],
  ])('%s', (_name, startsAt, endsAt, now, expected) => {
    expect(classifyNewInPerson(startsAt, endsAt, now, 14)).toMatchObject(expected);
  });

  it('says how many days are allowed', () => {
    const refused = classifyNewInPerson(T0 - 10 * D, T0 - 9 * D, T0, 3);
    expect(refused).toMatchObject({ status: 409 });
    expect((refused as { error: string }).error).toContain('3 days');
  });

  it.each([
    ['in_person', 'ended', T0, T0 + 14 * D],
    ['in_person', 'live', T0, null],
    ['collective', 'ended', T0, null],
    ['in_person', 'ended', null, null],
  ] as const)('%s %s: record until %p', (kind, status, endsAt, until) => expect(recordUntil(kind, status, endsAt, 14)).toBe(until));

  it.each([
    [T0 + 10 * M, false],
    [T0 + 10 * M + 1, true],
    [T0 - 5 * M, false],
  ])('first in at %d is late: %s', (at, late) => expect(isLate(T0, at, 10)).toBe(late));
  it('a session without a start is never late', () => expect(isLate(null, T0, 10)).toBe(false));
});

describe('check-in windows', () => {
  const inPerson = { kind: 'in_person' as const, status: 'planned' as const, startsAt: T0, endsAt: T0 + H };
  it.each([
    ['half an hour before: open', inPerson, T0 - 30 * M, null],
    ['more than half an hour before: closed', inPerson, T0 - 30 * M - 1, 'opens 30 minutes'],
    ['ended', { ...inPerson, status: 'ended' as const }, T0 + 2 * H, 'has ended'],
    ['cancelled', { ...inPerson, status: 'cancelled' as const }, T0, 'cancelled'],
    ['collective live', { kind: 'collective' as const, status: 'live' as const, startsAt: T0, endsAt: null }, T0 + D, null],
  ])('self check-in, %s', (_name, session, now, refusal) => {
    const answer = selfCheckinRefusal(session, now);
    if (refusal === null) expect(answer).toBeNull();
    else expect(answer).toContain(refusal);
  });

  const ended = { kind: 'in_person' as const, status: 'ended' as const, startsAt: T0, endsAt: T0 + H };
  it.each([
    ['live session, present', { ...ended, status: 'live' as const }, T0 + M, true, { mode: 'live' }],
    ['live session, check-out', { ...ended, status: 'live' as const }, T0 + M, false, { mode: 'live' }],
    ['ended, within the window', ended, T0 + H + 14 * D, true, { mode: 'afterwards' }],
    ['ended, after the window', ended, T0 + H + 14 * D + 1, true, { refusal: expect.stringContaining('14 days') }],
    ['ended, check-out', ended, T0 + 2 * H, false, { refusal: expect.stringContaining('undo') }],
    ['collective ended', { ...ended, kind: 'collective' as const }, T0 + 2 * H, true, { refusal: expect.stringContaining('ended') }],
    ['cancelled', { ...ended, status: 'cancelled' as const }, T0, true, { refusal: expect.stringContaining('cancelled') }],
  ])('roster tick, %s', (_name, session, now, present, expected) => {
    expect(tickMode(session, now, 14, present)).toEqual(expected);
  });
});

describe('in-person credit', () => {
  const s = T0;
  const e = T0 + H;
  it.each<[string, PresencePeriod[], number, number]>([
    ['present throughout', [{ from: s, to: e }], e, 3600],
    ['arrived early: counts from the start', [{ from: s - 10 * M, to: e }], e, 3600],
    ['stayed late: counts until the end', [{ from: s, to: e + 30 * M }], e + H, 3600],
    ['still open at the end', [{ from: s + 10 * M, to: null }], e + H, 3000],
    ['still open while live: until now', [{ from: s + 10 * M, to: null }], s + 20 * M, 600],
    [
      'left and came back',
      [
        { from: s, to: s + 10 * M },
        { from: s + 30 * M, to: null },
      ],
      e,
      2400,
    ],
    [
      'overlapping periods count once',
      [
        { from: s, to: s + 20 * M },
        { from: s + 10 * M, to: s + 30 * M },
      ],
      e,
      1800,
    ],
    ['entirely before the start', [{ from: s - 20 * M, to: s - 10 * M }], e, 0],
    ['entirely after the end', [{ from: e + M, to: null }], e + H, 0],
    ['no presence', [], e, 0],
  ])('%s', (_name, periods, asOf, expected) => expect(presenceCreditSec(s, e, periods, asOf)).toBe(expected));

  it('never exceeds the session, nor the union of the periods', () => {
    const period = fc
      .tuple(fc.integer({ min: -2 * H, max: 3 * H }), fc.option(fc.integer({ min: 0, max: 2 * H }), { nil: null }))
      .map(([from, length]) => ({ from: s + from, to: length === null ? null : s + from + length }));
    fc.assert(
      fc.property(fc.array(period, { maxLength: 6 }), fc.integer({ min: 0, max: 3 * H }), (periods, asOfOffset) => {
        const asOf = s + asOfOffset;
        const credit = presenceCreditSec(s, e, periods, asOf);
        expect(credit).toBeGreaterThanOrEqual(0);
        expect(credit).toBeLessThanOrEqual(Math.max(0, Math.min(e, asOf) - s) / 1000);
        const sum = periods.reduce((total, p) => total + Math.max(0, ((p.to ?? asOf) - p.from) / 1000), 0);
        expect(credit).toBeLessThanOrEqual(sum + 1e-9);
        // Order does not matter.
        expect(presenceCreditSec(s, e, [...periods].reverse(), asOf)).toBeCloseTo(credit, 9);
      }),
    );
  });
});
