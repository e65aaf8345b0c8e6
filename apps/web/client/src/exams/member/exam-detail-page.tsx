import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api/api.js';
import { getAttempt, getMyExam, isResult, startAttempt } from '../../api/exam-take.js';
import { Alert } from '../../components/alert.js';
import { Page } from '../../components/page.js';
import { useResource } from '../../hooks/use-resource.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import { navigate } from '../../router/router.js';
import { BlockLine, failureText, ResultLine } from './exam-bits.js';
import { countdown, dateTime } from './exam-format.js';
import './exam-take.css';

const attemptHref = (attemptId: string) => `/attempts/${encodeURIComponent(attemptId)}`;

/** The exam's rules in plain words, then one big button: start (after a confirm) or continue. */
export function ExamDetailPage({ examId }: { examId: string }) {
  const { t, lang } = useT();
  const exam = useResource(() => getMyExam(examId), [examId]);
  const [confirming, setConfirming] = useState(false);
  const [starting, setStarting] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [leftMs, setLeftMs] = useState<number | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const data = exam.data;

  // An open attempt: how long is left by the server's clock.
  useEffect(() => {
    setLeftMs(null);
    // On another device the paper is not ours to read; its block says so.
    if (!data?.openAttemptId || data.block === 'in_progress_elsewhere') return;
    let stale = false;
    getAttempt(data.openAttemptId)
      .then((answer) => {
        if (!stale && !isResult(answer)) setLeftMs(Math.max(0, answer.remainingSec * 1000));
      })
      .catch(() => {
        // The button still resumes; only the time left is missing.
      });
    return () => {
      stale = true;
    };
  }, [data?.openAttemptId, data?.block]);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const start = async () => {
    setStarting(true);
    setMessage(null);
    try {
      const paper = await startAttempt(examId);
      navigate(attemptHref(paper.attemptId));
    } catch (error) {
      setStarting(false);
      setConfirming(false);
      setMessage(failureText(t, error));
      if (error instanceof ApiError && error.status === 409) exam.reload();
    }
  };

  return (
    <Page title={data?.title ?? t('examTake.title')}>
      <p>
        <Link href="/exams">
          <span aria-hidden="true">‹ </span>
          {t('examTake.detail.back')}
        </Link>
      </p>
      <Alert message={(exam.error && t(exam.error)) || message} />
      {exam.error && (
        <p>
          <button type="button" class="button" onClick={exam.reload}>
            {t('common.retry')}
          </button>
        </p>
      )}
      {!data && exam.loading && (
        <p class="status" role="status">
          {t('app.loading')}
        </p>
      )}
      {data && (
        <>
          {data.description && <p class="description">{data.description}</p>}
          <h2>{t('examTake.detail.rules')}</h2>
          <ul class="exam-rules">
            <li>{t('examTake.detail.window', { from: dateTime(data.opensAt, lang), to: dateTime(data.closesAt, lang) })}</li>
            <li>{t('examTake.detail.timeLimit', { count: data.timeLimitMin })}</li>
            <li>{t('examTake.detail.paper', { count: data.questionCount, max: data.maxScore, percent: data.passPercent })}</li>
            <li>{t('examTake.detail.attempts', { max: data.maxAttempts, used: data.attemptsUsed, left: data.attemptsLeft })}</li>
            <li>{t('examTake.detail.autosave')}</li>
            <li>{t('examTake.detail.oneDevice')}</li>
            <li>{t('examTake.detail.taps')}</li>
          </ul>
          {data.result && (
            <>
              <h2>{t('examTake.detail.lastResult')}</h2>
              <ResultLine exam={data} />
              {data.result.status !== 'in_progress' && (
                <p>
                  <Link href={`/attempts/${encodeURIComponent(data.result.attemptId)}/result`}>{t('examTake.resultLink')}</Link>
                </p>
              )}
            </>
          )}
          <BlockLine exam={data} />
          {data.openAttemptId && data.block !== 'in_progress_elsewhere' ? (
            <div class="exam-start">
              <button type="button" class="button button--primary" disabled={starting} onClick={() => void start()}>
                {t('examTake.detail.continue')}
              </button>
              {leftMs !== null && <p class="hint">{t('examTake.detail.continueLeft', { time: countdown(leftMs) })}</p>}
            </div>
          ) : (
            !data.block && (
              <div class="exam-start">
                {!confirming ? (
                  <button type="button" class="button button--primary" onClick={() => setConfirming(true)}>
                    {t('examTake.detail.start')}
                  </button>
                ) : (
                  <div class="confirm" role="group" aria-labelledby="start-confirm">
                    <p id="start-confirm">{t('examTake.detail.confirmStart', { count: data.timeLimitMin })}</p>
                    <div class="actions">
                      <button
                        ref={confirmRef}
                        type="button"
                        class="button button--big button--primary"
                        disabled={starting}
                        onClick={() => void start()}
                      >
                        {t('examTake.detail.confirmYes')}
                      </button>
                      <button type="button" class="button button--big" disabled={starting} onClick={() => setConfirming(false)}>
                        {t('examTake.detail.cancel')}
                      </button>
                    </div>
                  </div>
                )}
              </div>
            )
          )}
          {starting && (
            <p class="status" role="status">
              {t('examTake.detail.starting')}
            </p>
          )}
        </>
      )}
    </Page>
  );
}
