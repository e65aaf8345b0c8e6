import { describe, expect, it } from '@jest/globals';
import type { PlanStudyRules } from '#contracts';
import { DEFAULT_RULES_DRAFT, planRulesInWords, rulesInput, type RulesDraft } from './plan-rules-logic.js';

describe('rulesInput', () => {
  it('sends the defaults when nothing is changed', () => {
    expect(rulesInput(DEFAULT_RULES_DRAFT, false)).toEqual({
      input: {
        dailyLimitHours: null,
        minutesPerStudyHour: 60,
        minLectureMinutes: null,
        countsSpeedup: true,
        countsAudio: true,
        countsCollective: true,
        countsInPerson: true,
        inPersonMaxHours: null,
        checkinMinMinutes: 10,
        checkinMaxMinutes: 20,
      },
      errors: {},
    });
  });

  it.each<[string, Partial<RulesDraft>, boolean, Record<string, string>]>([
    ['a limit above a day', { dailyLimitHours: '30' }, false, { dailyLimitHours: 'dailyLimit' }],
    ['a limit of 0', { dailyLimitHours: '0' }, false, { dailyLimitHours: 'dailyLimit' }],
    ['three decimals', { dailyLimitHours: '1.234' }, false, { dailyLimitHours: 'dailyLimit' }],
    ['a conversion below 10 minutes', { minutesPerStudyHour: '5' }, false, { minutesPerStudyHour: 'conversion' }],
    ['an empty conversion', { minutesPerStudyHour: '' }, false, {}],
    ['a minimum length on a per-lecture plan', { minLectureMinutes: 'abc' }, true, { minLectureMinutes: 'minLecture' }],
    ['a minimum length on a watch-time plan is not sent', { minLectureMinutes: 'abc' }, false, {}],
    ['a negative in-person cap', { inPersonMaxHours: '-1' }, false, { inPersonMaxHours: 'inPersonMax' }],
    [
      'a check-in range the wrong way round',
      { checkinMinMinutes: '20', checkinMaxMinutes: '10' },
      false,
      { checkinMaxMinutes: 'checkinMax' },
    ],
    ['a check-in too often', { checkinMinMinutes: '1' }, false, { checkinMinMinutes: 'checkinMin' }],
    ['no check-ins whatever is typed', { checkins: false, checkinMinMinutes: 'x' }, false, {}],
  ])('%s', (_name, changes, perLecture, errors) => {
    expect(rulesInput({ ...DEFAULT_RULES_DRAFT, ...changes }, perLecture).errors).toEqual(errors);
  });

  it('takes a comma as the decimal point and drops the cap when in-person study does not count', () => {
    const { input } = rulesInput({ ...DEFAULT_RULES_DRAFT, dailyLimitHours: '1,5', countsInPerson: false, inPersonMaxHours: '3' }, false);
    expect(input).toMatchObject({ dailyLimitHours: 1.5, countsInPerson: false, inPersonMaxHours: null });
    expect(rulesInput({ ...DEFAULT_RULES_DRAFT, checkins: false }, false).input).toMatchObject({
      checkinMinMinutes: null,
      checkinMaxMinutes: null,
    });
  });
});

describe('planRulesInWords', () => {
  const t = (key: string, options?: Record<string, unknown>) => `${key}${options ? JSON.stringify(options) : ''}`;
  const rules: PlanStudyRules = {
    dailyLimitHours: 2,
    minutesPerStudyHour: 45,
    minLectureMinutes: null,
    countsSpeedup: false,
    countsAudio: true,
    countsCollective: true,
    countsInPerson: true,
    inPersonMaxHours: 6.5,
    checkinMinutes: null,
  };

  it('says every rule, the kinds not counted apart', () => {
    expect(planRulesInWords(rules, t)).toEqual([
      'planRules.summary.conversion{"minutes":"45"}',
      'planRules.summary.dailyLimit{"hours":"2"}',
      `planRules.summary.counts{"kinds":"planRules.summary.ownplanRules.summary.separatorplanRules.kinds.audioplanRules.summary.separatorplanRules.kinds.collectiveplanRules.summary.separatorplanRules.kinds.inPerson"}`,
      'planRules.summary.notCounted{"kinds":"planRules.kinds.speedup"}',
      'planRules.summary.inPersonMax{"hours":"6.5"}',
      'planRules.summary.noCheckin',
    ]);
  });

  it('says an hour is an hour and there is no limit for the defaults', () => {
    const words = planRulesInWords(
      { ...rules, dailyLimitHours: null, minutesPerStudyHour: 60, countsSpeedup: true, checkinMinutes: { min: 10, max: 20 } },
      t,
    );
    expect(words[0]).toBe('planRules.summary.hourIsHour');
    expect(words[1]).toBe('planRules.summary.noDailyLimit');
    expect(words.at(-1)).toBe('planRules.summary.checkin{"min":10,"max":20}');
  });
});
