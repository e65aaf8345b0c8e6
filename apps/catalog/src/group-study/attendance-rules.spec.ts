import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  absenteeLabel,
  absenteesText,
  attendanceRate,
  makeupRefusal,
  makeupUntil,
  mayGiveMakeup,
  type MakeupCaller,
} from './attendance-rules.js';

describe('attendanceRate', () => {
  it.each([
    [0, 0, null],
    [3, 0, null],
    [0, 4, 0],
    [3, 4, 0.75],
    [4, 4, 1],
  ])('%d of %d places → %p', (attended, places, expected) => expect(attendanceRate(attended, places)).toBe(expected));

  it('is always a share between 0 and 1 when places were held', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.integer({ min: 1, max: 10_000 }), (attended, places) => {
        const rate = attendanceRate(Math.min(attended, places), places)!;
        return rate >= 0 && rate <= 1;
      }),
    );
  });
});

describe('mayGiveMakeup', () => {
  const caller = (over: Partial<MakeupCaller>): MakeupCaller => ({
    role: 'member',
    unitPath: 'committee/east/group-1',
    startedIt: false,
    positionPaths: [],
    ...over,
  });
  it.each<[string, Partial<MakeupCaller>, string, boolean]>([
    ['committee admin, any session', { role: 'admin', unitPath: 'committee' }, 'committee/west/group-1', true],
    ['branch admin, own branch', { role: 'admin', unitPath: 'committee/east' }, 'committee/east/group-2', true],
    ['branch admin, sibling branch', { role: 'admin', unitPath: 'committee/east' }, 'committee/west/group-1', false],
    ['branch admin, committee session', { role: 'admin', unitPath: 'committee/east' }, 'committee', false],
    ['inspector, even at the top', { role: 'inspector', unitPath: 'committee' }, 'committee/east', false],
    ['inspector who started it', { role: 'inspector', unitPath: 'committee', startedIt: true }, 'committee/east', false],
    ['member who started it', { startedIt: true }, 'committee/east/group-1', true],
    ['group leader of the unit', { positionPaths: ['committee/east/group-1'] }, 'committee/east/group-1', true],
    ['branch secretary, a group below', { positionPaths: ['committee/east'] }, 'committee/east/group-2', true],
    ['group leader, the branch above', { positionPaths: ['committee/east/group-1'] }, 'committee/east', false],
    ['group leader, a prefix-named sibling', { positionPaths: ['committee/east/group-1'] }, 'committee/east/group-10', false],
    ['plain member', {}, 'committee/east/group-1', false],
  ])('%s', (_name, over, sessionPath, expected) => expect(mayGiveMakeup(caller(over), sessionPath)).toBe(expected));
});

describe('makeupRefusal', () => {
  const ok = {
    allowed: true,
    kind: 'collective',
    status: 'ended',
    lectureId: 'l',
    newAbsentees: 3,
    newWithWindow: 1,
    withoutWindow: false,
  };
  it.each<[string, Partial<typeof ok>, unknown]>([
    ['allowed', {}, null],
    ['not a leader', { allowed: false }, { status: 403, reason: 'not_leader' }],
    ['in person', { kind: 'in_person', lectureId: null as unknown as string }, { status: 409, reason: 'not_collective' }],
    ['still live', { status: 'live' }, { status: 409, reason: 'not_ended' }],
    ['no window for anyone', { newWithWindow: 0 }, { status: 409, reason: 'no_window' }],
    ['no window, recorded anyway', { newWithWindow: 0, withoutWindow: true }, null],
    ['nobody new to grant', { newAbsentees: 0, newWithWindow: 0 }, null],
  ])('%s', (_name, over, expected) => expect(makeupRefusal({ ...ok, ...over })).toEqual(expected));
});

describe('makeupUntil', () => {
  it.each<[Array<string | null>, string | null]>([
    [[], null],
    [[null], null],
    [['2027-02-01'], '2027-02-01'],
    [['2027-03-01', null, '2027-02-15'], '2027-02-15'],
  ])('%j → %p', (windows, expected) => expect(makeupUntil(windows)).toBe(expected));
});

describe('absenteesText', () => {
  it.each<[string[], number, 'zh-CN' | 'en', string]>([
    [[], 0, 'zh-CN', '—'],
    [['王秀英', '李建国'], 2, 'zh-CN', '王秀英、李建国'],
    [['Wang', 'Li'], 2, 'en', 'Wang, Li'],
    [['王秀英'], 3, 'zh-CN', '王秀英 等另外 2 人'],
    [['Wang'], 3, 'en', 'Wang and 2 more'],
  ])('%j of %d (%s) → %s', (names, total, lang, expected) => expect(absenteesText(names, total, lang)).toBe(expected));

  it('names at most 100 and counts the rest', () => {
    const names = Array.from({ length: 150 }, (_, i) => `m${i}`);
    const text = absenteesText(names, 150, 'en');
    expect(text.endsWith('m99 and 50 more')).toBe(true);
  });
});

describe('absenteeLabel', () => {
  it('names the login beside the name, in the language’s brackets', () => {
    expect(absenteeLabel('杨国华', 'member10', 'zh-CN')).toBe('杨国华（member10）');
    expect(absenteeLabel('杨国华', 'member10', 'en')).toBe('杨国华 (member10)');
  });
});
