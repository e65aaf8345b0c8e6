import type { PlanStudyRules } from '#contracts';
import { useT } from '../i18n/use-t.js';

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

/** The rules part of the plan form: a fieldset of its own, each error beside its field. */
export function PlanRulesFields({
  draft,
  perLecture,
  errors,
  onChange,
  refs,
}: {
  draft: RulesDraft;
  perLecture: boolean;
  errors: RuleErrors;
  onChange: (changes: Partial<RulesDraft>) => void;
  refs: Partial<Record<RulesField, { current: HTMLInputElement | null }>>;
}) {
  const { t } = useT();
  const numberField = (
    field: RulesField,
    label: string,
    hint: string | null,
    value: string,
    props: { step: number; min: number; max: number },
  ) => {
    const id = `plan-rule-${field}`;
    const described = [errors[field] ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
    return (
      <div class="field">
        <label for={id}>{label}</label>
        {hint && (
          <p id={`${id}-hint`} class="hint">
            {hint}
          </p>
        )}
        <input
          ref={refs[field]}
          id={id}
          type="number"
          inputMode="decimal"
          {...props}
          aria-invalid={!!errors[field]}
          aria-describedby={described}
          value={value}
          onInput={(e) => onChange({ [field]: e.currentTarget.value })}
        />
        {errors[field] && (
          <p id={`${id}-error`} class="field__error">
            {t(`planRules.form.errors.${errors[field]!}`)}
          </p>
        )}
      </div>
    );
  };
  const kind = (key: 'countsSpeedup' | 'countsAudio' | 'countsCollective' | 'countsInPerson', label: string) => (
    <label class="choice">
      <input type="checkbox" checked={draft[key]} onChange={(e) => onChange({ [key]: e.currentTarget.checked })} />
      {label}
    </label>
  );
  return (
    <fieldset class="choices plan-rules">
      <legend>{t('planRules.title')}</legend>
      <p class="hint">{t('planRules.form.hint')}</p>
      {numberField('dailyLimitHours', t('planRules.form.dailyLimit'), t('planRules.form.dailyLimitHint'), draft.dailyLimitHours, {
        step: 0.5,
        min: 0.01,
        max: 24,
      })}
      {numberField('minutesPerStudyHour', t('planRules.form.conversion'), t('planRules.form.conversionHint'), draft.minutesPerStudyHour, {
        step: 1,
        min: 10,
        max: 240,
      })}
      {perLecture &&
        numberField('minLectureMinutes', t('planRules.form.minLecture'), t('planRules.form.minLectureHint'), draft.minLectureMinutes, {
          step: 1,
          min: 0.01,
          max: 1440,
        })}
      <fieldset class="choices">
        <legend>{t('planRules.form.kinds')}</legend>
        {kind('countsSpeedup', t('planRules.form.speedup'))}
        {kind('countsAudio', t('planRules.form.audio'))}
        {kind('countsCollective', t('planRules.form.collective'))}
        {kind('countsInPerson', t('planRules.form.inPerson'))}
        {draft.countsInPerson &&
          numberField('inPersonMaxHours', t('planRules.form.inPersonMax'), t('planRules.form.inPersonMaxHint'), draft.inPersonMaxHours, {
            step: 0.5,
            min: 0,
            max: 10_000,
          })}
      </fieldset>
      <fieldset class="choices">
        <legend>{t('planRules.form.checkin')}</legend>
        <label class="choice">
          <input type="radio" name="plan-checkins" checked={draft.checkins} onChange={() => onChange({ checkins: true })} />
          {t('planRules.form.checkinOn')}
        </label>
        <label class="choice">
          <input type="radio" name="plan-checkins" checked={!draft.checkins} onChange={() => onChange({ checkins: false })} />
          {t('planRules.form.checkinOff')}
        </label>
        {draft.checkins && (
          <div class="field-row">
            {numberField('checkinMinMinutes', t('planRules.form.checkinMin'), null, draft.checkinMinMinutes, { step: 1, min: 2, max: 120 })}
            {numberField('checkinMaxMinutes', t('planRules.form.checkinMax'), null, draft.checkinMaxMinutes, { step: 1, min: 2, max: 120 })}
          </div>
        )}
      </fieldset>
    </fieldset>
  );
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

/** The plan's rules in words, as a list under their own heading. */
export function PlanRulesSummary({ rules }: { rules: PlanStudyRules | undefined }) {
  const { t } = useT();
  if (!rules) return null;
  return (
    <section class="plan-rules-summary" aria-labelledby="plan-rules-title">
      <h3 id="plan-rules-title">{t('planRules.title')}</h3>
      <ul>
        {planRulesInWords(rules, t as (key: string, options?: Record<string, unknown>) => string).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </section>
  );
}
