import { describe, expect, it } from '@jest/globals';
import { groupSessionOptions } from './group-sessions-options.js';

describe('group study settings', () => {
  it('defaults to 14 days afterwards, late after 10 minutes, 10 wrong codes a minute', () => {
    expect(groupSessionOptions({}, 'p')).toEqual({ recordAfterDays: 14, lateAfterMin: 10, wrongCodesPerMinute: 10, keyPrefix: 'p' });
    expect(groupSessionOptions({ GROUP_RECORD_AFTER_DAYS: '' }, 'p').recordAfterDays).toBe(14);
  });

  it('takes the environment’s values', () => {
    expect(
      groupSessionOptions({ GROUP_RECORD_AFTER_DAYS: '30', GROUP_LATE_AFTER_MINUTES: '5', GROUP_CHECKIN_WRONG_CODES_PER_MINUTE: '3' }, 'p'),
    ).toMatchObject({ recordAfterDays: 30, lateAfterMin: 5, wrongCodesPerMinute: 3 });
  });

  it.each([
    ['GROUP_RECORD_AFTER_DAYS', 'many'],
    ['GROUP_RECORD_AFTER_DAYS', '400'],
    ['GROUP_CHECKIN_WRONG_CODES_PER_MINUTE', '0'],
  ])('refuses %s=%s naming it', (name, value) => {
    expect(() => groupSessionOptions({ [name]: value }, 'p')).toThrow(name);
  });
});
