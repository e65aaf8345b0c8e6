import type { HoursByRule } from '../api/study-record.js';
import { useDuration } from '../format/use-format.js';
import { useT } from '../i18n/use-t.js';
import './study-record.css';

const HOUR = 3600;

/**
 * Which rule counted a plan's hours: one line per rule with its hours and a one-line explanation. The
 * parts come from the server (`hoursByRule`) and add up to the plan's earned hours.
 */
export function HoursBreakdown({
  parts,
  creditHoursPerLecture,
  headingLevel = 4,
}: {
  parts: readonly HoursByRule[];
  creditHoursPerLecture: number | null;
  headingLevel?: 3 | 4;
}) {
  const { t } = useT();
  const { duration } = useDuration();
  if (parts.length === 0) return null;
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <div class="hours-rules">
      <Heading class="hours-rules__title">{t('studyRecord.hours.title')}</Heading>
      <ul class="hours-rules__list">
        {parts.map((part) => (
          <li key={part.rule} class="hours-rules__item" data-rule={part.rule}>
            <span class="hours-rules__figure">
              {t('studyRecord.hours.part', { rule: t(`studyRecord.hours.rules.${part.rule}`), time: duration(part.hours * HOUR) })}
              {part.lectures > 0 && <span class="hours-rules__count"> · {t('studyRecord.hours.lectures', { count: part.lectures })}</span>}
            </span>
            <span class="hours-rules__hint">
              {t(`studyRecord.hours.hints.${part.rule}`, { time: duration((creditHoursPerLecture ?? 0) * HOUR) })}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
