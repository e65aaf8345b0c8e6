import type { ExamOutcome, MyExamView } from '#contracts';
import { ApiError } from '../../api/api.js';
import { percentText, shareText } from '../../format/numbers.js';
import { errorKey } from '../../i18n/error-key.js';
import { useT } from '../../i18n/use-t.js';
import { dateTime } from './exam-format.js';

/** Why the member cannot start now, in words that say what to do; nothing when they can. */
export function BlockLine({ exam }: { exam: MyExamView }) {
  const { t, lang } = useT();
  if (!exam.block) return null;
  let text: string;
  if (exam.block === 'not_open') text = t('examTake.block.not_open', { date: dateTime(exam.opensAt, lang) });
  else if (exam.block === 'prerequisite') {
    const p = exam.prerequisite;
    const required = shareText(p?.requiredShare ?? 0.8, lang);
    const done = shareText(p?.doneShare ?? 0, lang);
    const name = p?.courseTitle ?? p?.planName;
    text = name ? t('examTake.block.prerequisiteOf', { name, required, done }) : t('examTake.block.prerequisite', { required, done });
  } else text = t(`examTake.block.${exam.block}`);
  return <p class="notice exam-block">{text}</p>;
}

export type OutcomeWord = ExamOutcome | 'voided';

/** Passed / not passed / waiting, in words and a sign, never by colour alone. */
export function OutcomeBadge({ outcome }: { outcome: OutcomeWord }) {
  const { t } = useT();
  const sign = outcome === 'passed' ? '✓ ' : outcome === 'failed' ? '✗ ' : '';
  return (
    <span class={`exam-outcome exam-outcome--${outcome}`}>
      <span aria-hidden="true">{sign}</span>
      {t(`examTake.outcome.${outcome}`)}
    </span>
  );
}

/** The outcome word of a member's best or latest attempt. */
export function resultOutcome(result: NonNullable<MyExamView['result']>): OutcomeWord {
  if (result.status === 'voided') return 'voided';
  if (result.status === 'in_progress' || result.status === 'grading' || result.passed === null) return 'grading';
  return result.passed ? 'passed' : 'failed';
}

/** The exam's facts as short lines: window, time, paper, pass mark, attempts. */
export function ExamFacts({ exam }: { exam: MyExamView }) {
  const { t, lang } = useT();
  return (
    <ul class="exam-card__facts">
      <li>{t('examTake.facts.window', { from: dateTime(exam.opensAt, lang), to: dateTime(exam.closesAt, lang) })}</li>
      <li>{t('examTake.facts.timeLimit', { count: exam.timeLimitMin })}</li>
      <li>{t('examTake.facts.questions', { count: exam.questionCount, max: exam.maxScore })}</li>
      <li>{t('examTake.facts.passMark', { percent: exam.passPercent })}</li>
      <li>{t('examTake.facts.attemptsLeft', { left: exam.attemptsLeft, max: exam.maxAttempts })}</li>
      {exam.creditHours !== null && exam.creditHours > 0 && <li>{t('examTake.facts.creditHours', { hours: exam.creditHours })}</li>}
    </ul>
  );
}

/** "Result: 8 / 10 points (80.0%)" with its outcome, or that it waits for grading. */
export function ResultLine({ exam }: { exam: MyExamView }) {
  const { t, lang } = useT();
  const result = exam.result;
  if (!result) return null;
  const outcome = resultOutcome(result);
  return (
    <p class="exam-card__result">
      {result.score !== null && result.percent !== null && outcome !== 'grading'
        ? t('examTake.result.line', { score: result.score, max: result.maxScore, percent: percentText(result.percent, lang) })
        : t('examTake.result.pending')}{' '}
      <OutcomeBadge outcome={outcome} />
    </p>
  );
}

const refusalCodes = [
  'other_device',
  'time_up',
  'submitted',
  'voided',
  'invalid_answer',
  'no_questions',
  'not_open',
  'closed',
  'no_attempts_left',
  'prerequisite',
  'not_in_audience',
  'archived',
] as const;
export type RefusalCode = (typeof refusalCodes)[number];

/** The refusal's code when this page knows it, so it speaks the reader's language rather than the server's. */
export function knownRefusal(error: unknown): RefusalCode | null {
  const code = error instanceof ApiError ? error.code : null;
  return refusalCodes.includes(code as RefusalCode) ? (code as RefusalCode) : null;
}

/** What to tell the member about a failed call: a known refusal in words, else the general message for its status. */
export function failureText(t: ReturnType<typeof useT>['t'], error: unknown): string {
  const code = knownRefusal(error);
  return code ? t(`examTake.refusal.${code}`) : t(errorKey(error));
}
