import type { AttemptResult, ResultQuestion } from '#contracts';
import { getResult } from '../../api/exam-take.js';
import { Alert } from '../../components/alert.js';
import { Page } from '../../components/page.js';
import { percentText } from '../../format/numbers.js';
import { useResource } from '../../hooks/use-resource.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import { OutcomeBadge, type OutcomeWord } from './exam-bits.js';
import { answerText, dateTime, keyText } from './exam-format.js';
import './exam-take.css';

function outcomeOf(result: AttemptResult): OutcomeWord {
  if (result.status === 'voided') return 'voided';
  if (result.status !== 'graded' || result.passed === null) return 'grading';
  return result.passed ? 'passed' : 'failed';
}

/** After handing in: the score, passed or not in words, what waits for a grader, and each question if the exam shows answers. */
export function AttemptResultPage({ attemptId }: { attemptId: string }) {
  const { t, lang } = useT();
  const result = useResource(() => getResult(attemptId), [attemptId]);
  const data = result.data;
  return (
    <Page title={data ? t('examTake.resultPage.titleOf', { title: data.title }) : t('examTake.resultPage.title')}>
      <Alert message={result.error && t(result.error)} />
      {result.error && (
        <p>
          <button type="button" class="button" onClick={result.reload}>
            {t('common.retry')}
          </button>
        </p>
      )}
      {!data && result.loading && (
        <p class="status" role="status">
          {t('app.loading')}
        </p>
      )}
      {data && (
        <>
          <section class="exam-score" aria-labelledby="exam-score">
            <h2 id="exam-score" class="visually-hidden">
              {t('examTake.resultPage.attempt', { number: data.number })}
            </h2>
            <p>{t('examTake.resultPage.attempt', { number: data.number })}</p>
            {data.status === 'voided' ? (
              <p class="exam-score__verdict">{t('examTake.resultPage.voided')}</p>
            ) : (
              <>
                {data.score !== null && data.status === 'graded' && (
                  <p class="exam-score__points">{t('examTake.resultPage.score', { score: data.score, max: data.maxScore })}</p>
                )}
                {data.percent !== null && data.status === 'graded' && (
                  <p>{t('examTake.resultPage.percent', { percent: percentText(data.percent, lang), pass: data.passPercent })}</p>
                )}
                <p class="exam-score__verdict">
                  <OutcomeBadge outcome={outcomeOf(data)} />
                </p>
                {data.pendingItems > 0 && (
                  <>
                    <p>{t('examTake.resultPage.pendingItems', { count: data.pendingItems })}</p>
                    {data.autoScore !== null && <p>{t('examTake.resultPage.autoScore', { score: data.autoScore })}</p>}
                  </>
                )}
              </>
            )}
            {data.submitReason === 'time_out' && <p>{t('examTake.resultPage.timeOut')}</p>}
            {data.submittedAt && <p class="hint">{t('examTake.resultPage.submittedAt', { time: dateTime(data.submittedAt, lang) })}</p>}
          </section>

          {data.status !== 'voided' && (
            <section aria-labelledby="exam-review">
              <h2 id="exam-review">{t('examTake.resultPage.questions')}</h2>
              {!data.showAnswers ? (
                <p class="notice">{t('examTake.resultPage.noAnswers')}</p>
              ) : data.questions.length === 0 ? (
                <p class="notice">{t('examTake.resultPage.answersAfterGrading')}</p>
              ) : (
                <ol class="exam-review">
                  {data.questions.map((question, index) => (
                    <li key={question.item} class="exam-review__item">
                      <ReviewItem question={question} number={index + 1} />
                    </li>
                  ))}
                </ol>
              )}
            </section>
          )}
          <p>
            <Link href="/exams" class="button button--big">
              {t('examTake.resultPage.backToExams')}
            </Link>
          </p>
        </>
      )}
    </Page>
  );
}

function ReviewItem({ question, number }: { question: ResultQuestion; number: number }) {
  const { t, lang } = useT();
  const words = { true: t('examTake.take.true'), false: t('examTake.take.false'), separator: lang === 'en' ? '; ' : '；' };
  const given = answerText(question.options, question.answer, words);
  const verdict =
    question.awarded === null
      ? t('examTake.resultPage.awaiting')
      : question.correct
        ? t('examTake.resultPage.correct')
        : question.awarded > 0
          ? t('examTake.resultPage.partly')
          : t('examTake.resultPage.wrong');
  const key = question.key;
  const alternatives = key && 'blanks' in key ? key.blanks.flatMap((accepted) => accepted.slice(1)) : [];
  return (
    <article aria-labelledby={`review-${question.item}`}>
      <h3 id={`review-${question.item}`} class="exam-question__head">
        <span>{t('examTake.resultPage.number', { n: number })}</span>
        <span class="exam-question__kind">{t(`examTake.take.kind.${question.kind}`)}</span>
      </h3>
      <p class="exam-question__stem">{question.stem}</p>
      {question.kind !== 'true_false' && question.options.length > 0 && (
        <ol class="exam-review__options" type="A">
          {question.options.map((option) => (
            <li key={option.key}>{option.text}</li>
          ))}
        </ol>
      )}
      <p>
        <strong>{verdict}</strong>
        {question.awarded !== null && <> · {t('examTake.resultPage.awarded', { awarded: question.awarded, points: question.points })}</>}
      </p>
      <dl>
        <dt>{t('examTake.resultPage.yourAnswer')}</dt>
        <dd>{given ?? t('examTake.resultPage.notAnswered')}</dd>
        {key && (
          <>
            <dt>{question.kind === 'short_answer' ? t('examTake.resultPage.reference') : t('examTake.resultPage.correctAnswer')}</dt>
            <dd>
              {keyText(question.options, key, words)}
              {alternatives.length > 0 && t('examTake.resultPage.accepted', { list: alternatives.join(words.separator) })}
            </dd>
          </>
        )}
        {question.explanation && (
          <>
            <dt>{t('examTake.resultPage.explanation')}</dt>
            <dd>{question.explanation}</dd>
          </>
        )}
        {question.graderComment && (
          <>
            <dt>{t('examTake.resultPage.graderComment')}</dt>
            <dd>{question.graderComment}</dd>
          </>
        )}
      </dl>
    </article>
  );
}
