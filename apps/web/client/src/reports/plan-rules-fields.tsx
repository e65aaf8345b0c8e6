import type { PlanStudyRules } from '#contracts';
import { useT } from '../i18n/use-t.js';
import { readingRuleInWords } from '../materials/plan-reading.js';
import { planRulesInWords, type RuleErrors, type RulesDraft, type RulesField } from './plan-rules-logic.js';

export { DEFAULT_RULES_DRAFT, rulesInput, type RuleErrors, type RulesDraft, type RulesField } from './plan-rules-logic.js';

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
        <li>{readingRuleInWords(rules, t as (key: string, options?: Record<string, unknown>) => string)}</li>
      </ul>
    </section>
  );
}
