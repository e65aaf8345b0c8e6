import type { StudyCounting } from '#contracts';
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

/** "3 月 5 日" / "March 5" for a YYYY-MM-DD day. */
function monthDay(day: string, lang: string, t: ReturnType<typeof useT>['t']): string {
  const [, month, date] = day.split('-').map(Number);
  const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, month - 1, 1)));
  return lang === 'en'
    ? t('planRules.counting.monthDay', { monthName, day: date })
    : t('planRules.counting.monthDay', { month, day: date });
}

const hoursText = (sec: number) => String(Math.round((sec / HOUR) * 100) / 100);

/** Whether My study should explain the count: the plan counts otherwise than "every minute, an hour is an hour", or the member studied otherwise than alone. */
export function countingWorthExplaining(counting: StudyCounting): boolean {
  const r = counting.rules;
  return (
    r.dailyLimitHours !== null ||
    r.minutesPerStudyHour !== 60 ||
    !r.countsSpeedup ||
    !r.countsAudio ||
    !r.countsCollective ||
    !r.countsInPerson ||
    counting.collectiveSec > 0 ||
    counting.inPersonSec > 0 ||
    counting.audioSec > 0 ||
    counting.excludedSec > 0 ||
    counting.cutSec > 0
  );
}

/**
 * How the member's study time was counted toward an open plan, in words: per kind (own viewing, of which screen
 * off and faster playback; collective; in person), what the plan does not count, what a daily limit cut and on
 * which days, and the conversion to study hours ("45 分钟计 1 学时").
 */
export function StudyCountingExplained({ counting, headingLevel = 4 }: { counting: StudyCounting; headingLevel?: 3 | 4 }) {
  const { t, lang } = useT();
  const { duration } = useDuration();
  if (!countingWorthExplaining(counting)) return null;
  const r = counting.rules;
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  const excludedKinds = [
    !r.countsAudio && counting.audioSec > 0 ? t('planRules.kinds.audio') : null,
    !r.countsSpeedup && counting.speedupSec > 0 ? t('planRules.kinds.speedup') : null,
    !r.countsCollective && counting.collectiveSec > 0 ? t('planRules.kinds.collective') : null,
  ].filter((k): k is string => k !== null);
  const cuts = counting.cutDays
    .map((d) => t('planRules.counting.cutDay', { date: monthDay(d.day, lang, t), hours: hoursText(d.cutSec) }))
    .join(t('planRules.counting.listSeparator'));
  return (
    <div class="hours-rules study-counting">
      <Heading class="hours-rules__title">{t('planRules.counting.title')}</Heading>
      <ul class="hours-rules__list">
        <li class="hours-rules__item" data-kind="own">
          <span class="hours-rules__figure">{t('planRules.counting.own', { time: duration(counting.ownSec) })}</span>
          {counting.audioSec > 0 && (
            <span class="hours-rules__hint">{t('planRules.counting.audio', { time: duration(counting.audioSec) })}</span>
          )}
          {counting.speedupSec > 0 && (
            <span class="hours-rules__hint">{t('planRules.counting.speedup', { time: duration(counting.speedupSec) })}</span>
          )}
        </li>
        {counting.collectiveSec > 0 && (
          <li class="hours-rules__item" data-kind="collective">
            <span class="hours-rules__figure">{t('planRules.counting.collective', { time: duration(counting.collectiveSec) })}</span>
          </li>
        )}
        {counting.inPersonSec > 0 && (
          <li class="hours-rules__item" data-kind="in-person">
            <span class="hours-rules__figure">{t('planRules.counting.inPerson', { time: duration(counting.inPersonSec) })}</span>
            {r.countsInPerson && (
              <span class="hours-rules__hint">
                {t('planRules.counting.inPersonCounted', { time: duration(counting.inPersonCountedSec) })}
              </span>
            )}
          </li>
        )}
        {counting.excludedSec > 0 && (
          <li class="hours-rules__item" data-kind="excluded">
            <span class="hours-rules__figure">
              {t('planRules.counting.excluded', {
                time: duration(counting.excludedSec),
                kinds: excludedKinds.join(t('planRules.summary.separator')),
              })}
            </span>
          </li>
        )}
        {r.dailyLimitHours !== null && (
          <li class="hours-rules__item" data-kind="daily-limit">
            <span class="hours-rules__figure">
              {t('planRules.counting.dailyLimit', { hours: hoursText(r.dailyLimitHours * HOUR) })}
              {cuts && `${t('planRules.counting.colon')}${cuts}`}
            </span>
          </li>
        )}
        <li class="hours-rules__item" data-kind="conversion">
          <span class="hours-rules__figure">
            {r.minutesPerStudyHour === 60
              ? t('planRules.counting.hourIsHour')
              : t('planRules.counting.conversion', { minutes: String(Math.round(r.minutesPerStudyHour * 100) / 100) })}
          </span>
          <span class="hours-rules__hint">{t('planRules.counting.result', { hours: hoursText(counting.studyHours * HOUR) })}</span>
        </li>
      </ul>
    </div>
  );
}
