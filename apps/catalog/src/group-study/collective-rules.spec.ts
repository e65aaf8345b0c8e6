import { describe, expect, it } from '@jest/globals';
import type { Interval } from '#watch';
import { attendeeCredit, screenRefusal, type AttendeeStanding } from './collective-rules.js';

const standing = (patch: Partial<AttendeeStanding>): AttendeeStanding => ({
  entitled: [],
  creditedCoverage: [],
  progressCoverage: [],
  progressCreditedSec: 0,
  durationSec: 100,
  ...patch,
});

describe('attendeeCredit', () => {
  it.each<[string, Partial<AttendeeStanding>, Interval[], number, boolean]>([
    ['a first share', { entitled: [[0, 30]] }, [[0, 30]], 30, false],
    [
      'what the session credited already',
      { entitled: [[0, 30]], creditedCoverage: [[0, 20]], progressCoverage: [[0, 20]], progressCreditedSec: 20 },
      [[20, 30]],
      10,
      false,
    ],
    [
      'what the member earned alone',
      { entitled: [[0, 60]], progressCoverage: [[10, 40]], progressCreditedSec: 30 },
      [
        [0, 10],
        [40, 60],
      ],
      30,
      false,
    ],
    [
      'nothing new on a repeat',
      { entitled: [[0, 30]], creditedCoverage: [[0, 30]], progressCoverage: [[0, 30]], progressCreditedSec: 30 },
      [],
      0,
      false,
    ],
    ['nothing past the lecture', { entitled: [[90, 130]] }, [[90, 100]], 10, false],
    ['completion at the threshold', { entitled: [[0, 95]] }, [[0, 95]], 95, true],
    [
      'never past the lecture’s length in total',
      { entitled: [[50, 100]], progressCoverage: [[0, 10]], progressCreditedSec: 90 },
      [[50, 60]],
      10,
      false,
    ],
    ['nothing for a lecture of unknown length', { entitled: [[0, 10]], durationSec: 0 }, [], 0, false],
  ])('%s', (_name, patch, fresh, seconds, completed) => {
    const credit = attendeeCredit(standing(patch));
    expect(credit.fresh).toEqual(fresh);
    expect(credit.creditSec).toBe(seconds);
    expect(credit.completed).toBe(completed);
  });

  it('grows the progress and the attendance record by exactly what it credits', () => {
    const credit = attendeeCredit(
      standing({ entitled: [[0, 60]], creditedCoverage: [[0, 10]], progressCoverage: [[0, 20]], progressCreditedSec: 20 }),
    );
    expect(credit.progressCoverage).toEqual([[0, 60]]);
    expect(credit.progressCreditedSec).toBe(60);
    expect(credit.creditedCoverage).toEqual([
      [0, 10],
      [20, 60],
    ]);
  });
});

describe('screenRefusal', () => {
  it.each<[string, boolean, string, string, number | null, string]>([
    ['a manager of a live viewing', true, 'collective', 'live', null, ''],
    ['someone who does not lead its unit', false, 'collective', 'live', 403, 'leaders'],
    ['others are not told the state', false, 'collective', 'ended', 403, 'leaders'],
    ['an ended viewing', true, 'collective', 'ended', 409, 'has ended'],
    ['a cancelled viewing', true, 'collective', 'cancelled', 409, 'cancelled'],
    ['a planned viewing', true, 'collective', 'planned', 409, 'not started'],
    ['an in-person session', true, 'in_person', 'live', 409, 'in-person'],
  ])('%s', (_name, manages, kind, status, code, text) => {
    const refusal = screenRefusal(manages, { kind, status });
    expect(refusal?.status ?? null).toBe(code);
    if (refusal) expect(refusal.message).toContain(text);
  });
});
