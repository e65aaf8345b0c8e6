import type { PlanStudyRules } from '#contracts';

// The plan form's study-hour rules: checking what was typed (as the API does) and saying a plan's rules in words.

/** The study-hour rules of a new plan, as typed: numbers are text so an empty field means "none". */
export interface RulesDraft {
  dailyLimitHours: string;
  minutesPerStudyHour: string;
  minLectureMinutes: string;
  countsSpeedup: boolean;
  countsAudio: boolean;
  countsCollective: boolean;
  countsInPerson: boolean;
  inPersonMaxHours: string;
  checkins: boolean;
  checkinMinMinutes: string;
  checkinMaxMinutes: string;
}

export const DEFAULT_RULES_DRAFT: RulesDraft = {
  dailyLimitHours: '',
  minutesPerStudyHour: '60',
  minLectureMinutes: '',
  countsSpeedup: true,
  countsAudio: true,
  countsCollective: true,
  countsInPerson: true,
  inPersonMaxHours: '',
  checkins: true,
  checkinMinMinutes: '10',
  checkinMaxMinutes: '20',
};

export type { RuleErrors };
export type RulesField =
  'dailyLimitHours' | 'minutesPerStudyHour' | 'minLectureMinutes' | 'inPersonMaxHours' | 'checkinMinMinutes' | 'checkinMaxMinutes';

type RuleError = 'dailyLimit' | 'conversion' | 'minLecture' | 'inPersonMax' | 'checkinMin' | 'checkinMax';
type RuleErrors = Partial<Record<RulesField, RuleError>>;

/** What the API takes for the rules (`POST /api/study-plans`). */
export interface RulesInput {
  dailyLimitHours: number | null;
  minutesPerStudyHour: number;
  minLectureMinutes: number | null;
  countsSpeedup: boolean;
  countsAudio: boolean;
  countsCollective: boolean;
  countsInPerson: boolean;
  inPersonMaxHours: number | null;
  checkinMinMinutes: number | null;
  checkinMaxMinutes: number | null;
}

/** A number with at most two decimals within [min, max], or null (empty text: `empty`). */
function figure(text: string, min: number, max: number): number | null | 'invalid' {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return null;
  if (!/^\d+(\.\d{1,2})?$/.test(trimmed)) return 'invalid';
  const value = Number(trimmed);
  return value >= min && value <= max ? value : 'invalid';
}

/** Checks the typed rules as the API does; the message keys of the fields that are wrong. */
export function rulesInput(draft: RulesDraft, perLecture: boolean): { input: RulesInput; errors: RuleErrors } {
  const errors: RuleErrors = {};
  const limit = figure(draft.dailyLimitHours, 0.01, 24);
  if (limit === 'invalid') errors.dailyLimitHours = 'dailyLimit';
  const conversion = figure(draft.minutesPerStudyHour, 10, 240);
  if (conversion === 'invalid') errors.minutesPerStudyHour = 'conversion';
  const minLecture = perLecture ? figure(draft.minLectureMinutes, 0.01, 1440) : null;
  if (minLecture === 'invalid') errors.minLectureMinutes = 'minLecture';
  const inPersonMax = draft.countsInPerson ? figure(draft.inPersonMaxHours, 0, 10_000) : null;
  if (inPersonMax === 'invalid') errors.inPersonMaxHours = 'inPersonMax';
  const whole = (text: string) => (/^\d{1,3}$/.test(text.trim()) && Number(text) >= 2 && Number(text) <= 120 ? Number(text) : null);
  const checkinMin = draft.checkins ? whole(draft.checkinMinMinutes) : null;
  const checkinMax = draft.checkins ? whole(draft.checkinMaxMinutes) : null;
  if (draft.checkins && checkinMin === null) errors.checkinMinMinutes = 'checkinMin';
  if (draft.checkins && (checkinMax === null || (checkinMin !== null && checkinMax < checkinMin))) {
    errors.checkinMaxMinutes = 'checkinMax';
  }
  const number = (value: number | null | 'invalid') => (value === 'invalid' ? null : value);
  return {
    input: {
      dailyLimitHours: number(limit),
      minutesPerStudyHour: number(conversion) ?? 60,
      minLectureMinutes: number(minLecture),
      countsSpeedup: draft.countsSpeedup,
      countsAudio: draft.countsAudio,
      countsCollective: draft.countsCollective,
      countsInPerson: draft.countsInPerson,
      inPersonMaxHours: number(inPersonMax),
      checkinMinMinutes: checkinMin,
      checkinMaxMinutes: checkinMax,
    },
    errors,
  };
}

/** Hours or minutes with at most two decimals, as typed in the form. */
export const plainNumber = (value: number) => String(Math.round(value * 100) / 100);

/** A plan's rules in words, one sentence each: for the plan's details. */
export function planRulesInWords(rules: PlanStudyRules, t: (key: string, options?: Record<string, unknown>) => string): string[] {
  const kinds: Array<[boolean, string]> = [
    [rules.countsSpeedup, t('planRules.kinds.speedup')],
    [rules.countsAudio, t('planRules.kinds.audio')],
    [rules.countsCollective, t('planRules.kinds.collective')],
    [rules.countsInPerson, t('planRules.kinds.inPerson')],
  ];
  const sep = t('planRules.summary.separator');
  const counted = kinds.filter(([on]) => on).map(([, name]) => name);
  const notCounted = kinds.filter(([on]) => !on).map(([, name]) => name);
  const lines = [
    rules.minutesPerStudyHour === 60
      ? t('planRules.summary.hourIsHour')
      : t('planRules.summary.conversion', { minutes: plainNumber(rules.minutesPerStudyHour) }),
    rules.dailyLimitHours === null
      ? t('planRules.summary.noDailyLimit')
      : t('planRules.summary.dailyLimit', { hours: plainNumber(rules.dailyLimitHours) }),
  ];
  if (rules.minLectureMinutes !== null) lines.push(t('planRules.summary.minLecture', { minutes: plainNumber(rules.minLectureMinutes) }));
  lines.push(t('planRules.summary.counts', { kinds: [t('planRules.summary.own'), ...counted].join(sep) }));
  if (notCounted.length) lines.push(t('planRules.summary.notCounted', { kinds: notCounted.join(sep) }));
  if (rules.countsInPerson && rules.inPersonMaxHours !== null) {
    lines.push(t('planRules.summary.inPersonMax', { hours: plainNumber(rules.inPersonMaxHours) }));
  }
  lines.push(
    rules.checkinMinutes === null
      ? t('planRules.summary.noCheckin')
      : t('planRules.summary.checkin', { min: rules.checkinMinutes.min, max: rules.checkinMinutes.max }),
  );
  return lines;
}
