import { useEffect, useRef, useState } from 'preact/hooks';
import { useT } from '../i18n/use-t.js';
import { checkinPhase, msUntilMissed } from './checkin.js';
import type { CheckinView } from './checkin-channel.js';
import './listening.css';

/** A time of day in the member's language ("14:05"). */
const timeOfDay = (ms: number, lang: string) => new Date(ms).toLocaleTimeString(lang, { hour: 'numeric', minute: '2-digit' });

/**
 * "Are you still listening?": over the whole page, so that it is the first thing the member sees when
 * the screen comes back on, with one very large button. Playback goes on meanwhile; past the time given,
 * it says calmly what is not being counted and that answering counts again.
 */
export function CheckinPrompt({ view }: { view: CheckinView }) {
  const { t, lang } = useT();
  const button = useRef<HTMLButtonElement>(null);
  const [now, setNow] = useState(() => Date.now());
  const { checkin } = view;
  const phase = checkinPhase(checkin, now);

  // One timer, to turn "answer by …" into "not counted since …" when the time runs out.
  useEffect(() => {
    const left = msUntilMissed(checkin, Date.now());
    if (left <= 0) {
      setNow(Date.now());
      return;
    }
    const timer = setTimeout(() => setNow(Date.now()), left + 50);
    return () => clearTimeout(timer);
  }, [checkin.id, checkin.deadlineMs]);

  // The button takes the focus when the question comes, and again whenever the page comes back on screen.
  useEffect(() => {
    const focus = () => {
      if (document.visibilityState !== 'visible') return;
      setNow(Date.now());
      button.current?.focus({ preventScroll: true });
    };
    focus();
    document.addEventListener('visibilitychange', focus);
    window.addEventListener('pageshow', focus);
    return () => {
      document.removeEventListener('visibilitychange', focus);
      window.removeEventListener('pageshow', focus);
    };
  }, [checkin.id]);

  const time = timeOfDay(checkin.deadlineMs, lang);
  return (
    <div
      class={`checkin checkin--${phase}`}
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="checkin-title"
      aria-describedby="checkin-text"
      onKeyDown={(event) => {
        // The one control of the question keeps the focus: nothing behind it can be reached until it is answered.
        if (event.key !== 'Tab') return;
        event.preventDefault();
        button.current?.focus();
      }}
    >
      <div class="checkin__box">
        <h2 id="checkin-title" class="checkin__title">
          {t('listening.prompt.title')}
        </h2>
        <p id="checkin-text" class="checkin__text">
          {phase === 'pending' ? t('listening.prompt.pending', { time }) : t('listening.prompt.missed', { time })}
        </p>
        <button
          ref={button}
          type="button"
          class="button button--primary checkin__answer"
          aria-disabled={view.answering ? 'true' : undefined}
          onClick={() => !view.answering && view.answer()}
        >
          {view.answering ? t('listening.prompt.answering') : t('listening.prompt.answer')}
        </button>
        {view.failed && (
          <p class="checkin__failed" role="alert">
            {t('listening.prompt.failed')}
          </p>
        )}
      </div>
    </div>
  );
}
