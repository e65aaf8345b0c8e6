import type { PlanExamStatus } from '#contracts';
import { percentText } from '../../format/numbers.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import { OutcomeBadge } from './exam-bits.js';
import { dateTime } from './exam-format.js';
import './exam-take.css';

/** Under a plan in My study: the exams it requires, each with the member's result or what is left to do. */
export function PlanExams({ planId, exams }: { planId: string; exams: PlanExamStatus[] | undefined }) {
  const { t, lang } = useT();
  if (!exams || exams.length === 0) return null;
  const headingId = `plan-exams-${planId}`;
  return (
    <div class="plan-card__exams">
      <h4 id={headingId}>{t('examTake.plan.heading')}</h4>
      <ul aria-labelledby={headingId}>
        {exams.map((exam) => (
          <li key={exam.examId} class="plan-exam">
            <Link href={`/exams/${encodeURIComponent(exam.examId)}`}>{exam.title}</Link>
            <OutcomeBadge outcome={exam.outcome} />
            {exam.score !== null && (
              <span>
                {t('examTake.plan.score', { score: exam.score, max: exam.maxScore })}
                {exam.percent !== null && ` (${percentText(exam.percent, lang)})`}
              </span>
            )}
            {exam.outcome === 'not_taken' && (
              <span class="hint-inline">
                {t('examTake.plan.window', { from: dateTime(exam.opensAt, lang), to: dateTime(exam.closesAt, lang) })}
              </span>
            )}
            {(exam.outcome === 'not_taken' || exam.outcome === 'failed') && exam.attemptsLeft > 0 && (
              <span class="hint-inline">{t('examTake.plan.attemptsLeft', { count: exam.attemptsLeft })}</span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
