import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, NetworkError } from '../../api/api.js';
import { type AttemptPaper, getAttempt, getResult, isResult, refusalCode, saveAnswer, submitAttempt } from '../../api/exam-take.js';
import { Alert } from '../../components/alert.js';
import { Page } from '../../components/page.js';
import { errorKey } from '../../i18n/error-key.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import { navigate } from '../../router/router.js';
import { AnswerSync, type KeyValueStore, type SyncDeps, isAnswered } from './answer-sync.js';
import { failureText, knownRefusal } from './exam-bits.js';
import { countdown } from './exam-format.js';
import { QuestionView } from './question-view.js';
import './exam-take.css';

const resultHref = (attemptId: string) => `/attempts/${encodeURIComponent(attemptId)}/result`;

function browserStorage(): KeyValueStore | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

const syncDeps: SyncDeps = {
  save: saveAnswer,
  fetchAttempt: getAttempt,
  classify(error) {
    if (error instanceof ApiError) return { kind: 'refused', status: error.status, code: error.code, message: error.message };
    return { kind: 'network' };
  },
  storage: browserStorage(),
  now: () => Date.now(),
  setTimer: (run, ms) => window.setTimeout(run, ms),
  clearTimer: (handle) => window.clearTimeout(handle as number),
};

/** Sitting an exam: one question at a time, every answer saved at once, the server's clock counting down. */
export function AttemptPage({ attemptId }: { attemptId: string }) {
  const { t } = useT();
  const [paper, setPaper] = useState<AttemptPaper | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [retryable, setRetryable] = useState(false);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let stale = false;
    setLoadError(null);
    getAttempt(attemptId)
      .then((answer) => {
        if (stale) return;
        if (isResult(answer)) navigate(resultHref(attemptId), { replace: true });
        else setPaper(answer);
      })
      .catch((error: unknown) => {
        if (stale) return;
        setRetryable(!knownRefusal(error));
        setLoadError(error instanceof NetworkError ? t('examTake.take.loadFailed') : failureText(t, error));
      });
    return () => {
      stale = true;
    };
  }, [attemptId, generation]);

  if (!paper) {
    return (
      <Page title={t('examTake.title')}>
        <Alert message={loadError} />
        {loadError ? (
          <p class="actions">
            {retryable && (
              <button type="button" class="button" onClick={() => setGeneration((g) => g + 1)}>
                {t('common.retry')}
              </button>
            )}
            <Link href="/exams" class="button">
              {t('examTake.detail.back')}
            </Link>
          </p>
        ) : (
          <p class="status" role="status">
            {t('app.loading')}
          </p>
        )}
      </Page>
    );
  }
  return <Sitting paper={paper} />;
}

function useSync(paper: AttemptPaper): AnswerSync {
  const sync = useMemo(() => new AnswerSync(paper.attemptId, paper, syncDeps), [paper]);
  const [, setVersion] = useState(0);
  useEffect(() => {
    const unsubscribe = sync.subscribe(() => setVersion((v) => v + 1));
    const online = () => sync.retryAll();
    // A phone that wakes up or comes back to this tab tries its unsaved answers at once.
    const visible = () => document.visibilityState === 'visible' && sync.retryAll();
    window.addEventListener('online', online);
    document.addEventListener('visibilitychange', visible);
    return () => {
      unsubscribe();
      window.removeEventListener('online', online);
      document.removeEventListener('visibilitychange', visible);
      sync.dispose();
    };
  }, [sync]);
  return sync;
}

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

/** Milliseconds left by the server's clock, once a second, and a sentence for screen readers at 5 and 1 minutes. */
function useCountdown(sync: AnswerSync): { remainingMs: number; announcement: string } {
  const { t } = useT();
  const [remainingMs, setRemaining] = useState(() => sync.remainingMs());
  const [announcement, setAnnouncement] = useState('');
  const announced = useRef(new Set<number>());
  useEffect(() => {
    const tick = () => {
      const left = sync.remainingMs();
      setRemaining(left);
      for (const minutes of [5, 1]) {
        // Only when crossing the mark while sitting, not when the page opens with less left.
        if (left <= minutes * 60_000 && left > (minutes - 1) * 60_000 && !announced.current.has(minutes)) {
          announced.current.add(minutes);
          if (left > minutes * 60_000 - 5_000) setAnnouncement(t('examTake.take.timeLeftAnnounce', { count: minutes }));
        }
      }
    };
    tick();
    const handle = window.setInterval(tick, 1000);
    return () => window.clearInterval(handle);
  }, [sync, t]);
  return { remainingMs, announcement };
}

function Sitting({ paper }: { paper: AttemptPaper }) {
  const { t } = useT();
  const sync = useSync(paper);
  const online = useOnline();
  const { remainingMs, announcement } = useCountdown(sync);
  const [index, setIndex] = useState(() => {
    const first = paper.questions.findIndex((q) => !isAnswered(sync.item(q.item).answer));
    return first < 0 ? 0 : first;
  });
  const [confirming, setConfirming] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [stopped, setStopped] = useState<string | null>(null);
  const questionTop = useRef<HTMLDivElement>(null);
  const confirmBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!confirming) return;
    confirmBox.current?.scrollIntoView({ block: 'center' });
    confirmBox.current?.querySelector('button')?.focus({ preventScroll: true });
  }, [confirming]);

  const finish = (attemptId: string) => {
    sync.clearLocal();
    navigate(resultHref(attemptId), { replace: true });
  };

  useEffect(
    () =>
      sync.onStop((stop) => {
        if (stop.kind === 'finished') finish(stop.result.attemptId);
        else if (stop.kind === 'other_device') setStopped(t('examTake.take.otherDevice'));
        else {
          const known = knownRefusal(new ApiError(409, stop.message, [], null, stop.code));
          setStopped(t('examTake.take.refused', { message: known ? t(`examTake.refusal.${known}`) : stop.message }));
        }
      }),
    [sync],
  );

  const submit = async (reason: 'member' | 'time_out') => {
    setSubmitting(true);
    setMessage(null);
    try {
      await sync.flushAll();
      const result = await submitAttempt(paper.attemptId);
      finish(result.attemptId);
    } catch (error) {
      if (refusalCode(error) === 'other_device') {
        setStopped(t('examTake.take.otherDevice'));
      } else if (error instanceof ApiError && error.status < 500) {
        // Already handed in (e.g. the server's clock ran out first): its result is the truth.
        try {
          const result = await getResult(paper.attemptId);
          finish(result.attemptId);
          return;
        } catch {
          setMessage(failureText(t, error));
        }
      } else {
        setMessage(t(errorKey(error)));
      }
      setSubmitting(false);
      if (reason === 'time_out') window.setTimeout(() => void submit('time_out'), 5_000);
    }
  };

  const timeUp = remainingMs <= 0;
  const timeUpStarted = useRef(false);
  useEffect(() => {
    if (timeUp && !timeUpStarted.current && !stopped) {
      timeUpStarted.current = true;
      void submit('time_out');
    }
  }, [timeUp, stopped]);

  const questions = paper.questions;
  const question = questions[index]!;
  const state = sync.item(question.item);
  const unanswered = questions.map((q, i) => (isAnswered(sync.item(q.item).answer) ? null : i + 1)).filter((n): n is number => n !== null);
  const unsaved = sync.unsavedItems();
  const locked = submitting || timeUp || stopped !== null;

  const go = (next: number) => {
    setIndex(next);
    setConfirming(false);
    questionTop.current?.scrollIntoView({ block: 'start' });
    questionTop.current?.focus({ preventScroll: true });
  };

  return (
    <Page title={paper.title}>
      <div class="exam-clock" role="timer" aria-label={t('examTake.take.timeLeft')}>
        <span class="exam-clock__label" aria-hidden="true">
          {t('examTake.take.timeLeft')}
        </span>
        <span class={`exam-clock__time${remainingMs < 5 * 60_000 ? ' exam-clock__time--short' : ''}`}>{countdown(remainingMs)}</span>
      </div>
      <p class="visually-hidden" aria-live="assertive">
        {announcement}
      </p>
      {!online && <p class="notice exam-offline">{t('examTake.take.offline')}</p>}
      <Alert message={stopped ?? (timeUp ? t('examTake.take.timeUp') : message)} />
      {stopped && (
        <p>
          <Link href="/exams" class="button">
            {t('examTake.detail.back')}
          </Link>
        </p>
      )}

      <div class="exam-sitting">
        <div class="exam-sitting__main" ref={questionTop} tabIndex={-1}>
          <QuestionView
            key={question.item}
            question={question}
            number={index + 1}
            total={questions.length}
            answer={state.answer}
            status={state.status}
            disabled={locked}
            onChange={(answer, debounceMs) => sync.change(question.item, answer, debounceMs)}
          />
          <div class="exam-steps">
            <button type="button" class="button button--big" disabled={index === 0} onClick={() => go(index - 1)}>
              <span aria-hidden="true">‹ </span>
              {t('examTake.take.previous')}
            </button>
            {index < questions.length - 1 ? (
              <button type="button" class="button button--big button--primary" onClick={() => go(index + 1)}>
                {t('examTake.take.next')}
                <span aria-hidden="true"> ›</span>
              </button>
            ) : (
              <button type="button" class="button button--big button--primary" disabled={locked} onClick={() => setConfirming(true)}>
                {t('examTake.take.submit')}
              </button>
            )}
          </div>
        </div>

        <nav class="exam-sitting__aside" aria-labelledby="exam-navigator">
          <h2 id="exam-navigator" class="exam-navigator__title">
            {t('examTake.take.navigator')}
          </h2>
          <p class="hint">{t('examTake.take.navigatorHint')}</p>
          <ol class="exam-navigator">
            {questions.map((q, i) => {
              const done = isAnswered(sync.item(q.item).answer);
              const current = i === index;
              return (
                <li key={q.item}>
                  <button
                    type="button"
                    class={`exam-navigator__item${done ? ' exam-navigator__item--done' : ''}${current ? ' exam-navigator__item--current' : ''}`}
                    aria-current={current ? 'step' : undefined}
                    aria-label={t('examTake.take.navItem', {
                      n: i + 1,
                      state: t(done ? 'examTake.take.answered' : 'examTake.take.unanswered'),
                    })}
                    onClick={() => go(i)}
                  >
                    {i + 1}
                  </button>
                </li>
              );
            })}
          </ol>
          <p class="exam-navigator__legend" aria-hidden="true">
            <span class="exam-navigator__swatch exam-navigator__swatch--done">1</span> {t('examTake.take.answered')}
            <span class="exam-navigator__swatch">2</span> {t('examTake.take.unanswered')}
          </p>
          <button type="button" class="button button--big button--wide" disabled={locked} onClick={() => setConfirming(true)}>
            {t('examTake.take.submit')}
          </button>
        </nav>
      </div>

      {confirming && !locked && (
        <div ref={confirmBox} class="confirm exam-confirm" role="group" aria-labelledby="exam-confirm-text">
          {unsaved.length > 0 ? (
            <>
              <p id="exam-confirm-text">{t('examTake.take.waitUnsaved', { count: unsaved.length })}</p>
              <div class="actions">
                <button type="button" class="button button--big" onClick={() => setConfirming(false)}>
                  {t('examTake.take.keepGoing')}
                </button>
              </div>
            </>
          ) : (
            <>
              <p id="exam-confirm-text">
                {unanswered.length > 0
                  ? t('examTake.take.confirmUnanswered', { count: unanswered.length, list: unanswered.join(', ') })
                  : t('examTake.take.confirmAll')}
              </p>
              <div class="actions">
                <button type="button" class="button button--big button--primary" onClick={() => void submit('member')}>
                  {t('examTake.take.confirmYes')}
                </button>
                <button type="button" class="button button--big" onClick={() => setConfirming(false)}>
                  {t('examTake.take.keepGoing')}
                </button>
              </div>
            </>
          )}
        </div>
      )}
      {submitting && (
        <p class="status" role="status">
          {t('examTake.take.submitting')}
        </p>
      )}
    </Page>
  );
}
