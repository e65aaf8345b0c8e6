import type { PlanStudyRules } from '#contracts';
import { getMyMaterialReading } from '../api/material-reading.js';
import { date } from '../format/format.js';
import { useDuration } from '../format/use-format.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { readMinutesInput } from './reader-logic.js';
import './materials.css';

type T = (key: string, options?: Record<string, unknown>) => string;

/** The plan's reading rule in words: "a material read for N minutes counts as read; no study hours", or "does not count". */
export function readingRuleInWords(rules: Pick<PlanStudyRules, 'materialReadMinutes'>, t: T): string {
  const minutes = rules.materialReadMinutes ?? null;
  return minutes === null ? t('materialReader.planRule.notCounted') : t('materialReader.planRule.counts', { minutes });
}

/** The plan form's field: minutes of reading that make a material read, empty for "reading does not count". */
export function MaterialReadingField({
  value,
  invalid,
  onChange,
  inputRef,
}: {
  value: string;
  invalid: boolean;
  onChange(value: string): void;
  inputRef?: { current: HTMLInputElement | null };
}) {
  const { t } = useT();
  const id = 'plan-material-read-minutes';
  return (
    <div class="field">
      <label for={id}>{t('materialReader.planForm.label')}</label>
      <p id={`${id}-hint`} class="hint">
        {t('materialReader.planForm.hint')}
      </p>
      <input
        ref={inputRef}
        id={id}
        type="number"
        inputMode="numeric"
        step={1}
        min={1}
        max={600}
        aria-invalid={invalid}
        aria-describedby={invalid ? `${id}-error ${id}-hint` : `${id}-hint`}
        value={value}
        onInput={(e) => onChange(e.currentTarget.value)}
      />
      {invalid && (
        <p id={`${id}-error`} class="field__error">
          {t('materialReader.planForm.error')}
        </p>
      )}
    </div>
  );
}

export { readMinutesInput };

/** My study: for each open plan that counts reading, its rule in words and the materials opened, read or not yet. */
export function MyReadingMaterials() {
  const { t, lang } = useT();
  const { duration } = useDuration();
  const reading = useResource(() => getMyMaterialReading(), []);
  const plans = reading.data?.plans ?? [];
  if (plans.length === 0) return null;
  return (
    <section class="my-reading" aria-labelledby="my-reading-title">
      <h2 id="my-reading-title">{t('materialReader.study.title')}</h2>
      {plans.map((plan) => (
        <div key={plan.planId} class="my-reading__plan" data-plan-id={plan.planId}>
          <h3>{plan.planName}</h3>
          <p>{t('materialReader.study.rule', { minutes: plan.readMinutes })}</p>
          <p class="my-reading__count">{t('materialReader.study.summary', { count: plan.readCount })}</p>
          {plan.materials.length === 0 ? (
            <p class="notice">{t('materialReader.study.none')}</p>
          ) : (
            <ul class="materials__list">
              {plan.materials.map((m) => (
                <li key={m.materialId} class="materials__item">
                  <Link href={`/materials/${encodeURIComponent(m.materialId)}`} class="materials__name">
                    {m.title}
                  </Link>
                  <span class="materials__meta">
                    <span>{m.courseTitle}</span>
                    <span>
                      {m.read && m.readOn
                        ? t('materialReader.study.readOn', { date: date(m.readOn, lang) })
                        : t('materialReader.study.progress', { time: duration(m.secondsRead), minutes: plan.readMinutes })}
                    </span>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </section>
  );
}
