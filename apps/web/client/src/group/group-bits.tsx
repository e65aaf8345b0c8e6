import type { GroupSessionStatus, GroupSessionSummary } from '#contracts';
import { useState } from 'preact/hooks';
import { ApiError } from '../api/api.js';
import { errorKey } from '../i18n/error-key.js';
import { useT } from '../i18n/use-t.js';
import { codeDigits, isWholeCode } from './group-logic.js';
import './group.css';

/** A date and time in the reader's language. */
export function when(iso: string | null, lang: string, style: 'full' | 'time' = 'full'): string {
  if (!iso) return '';
  const value = new Date(iso);
  if (Number.isNaN(value.getTime())) return '';
  return new Intl.DateTimeFormat(lang, style === 'time' ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' }).format(
    value,
  );
}

/** What a session is about: its lecture, else its topic. */
export const sessionTitle = (session: Pick<GroupSessionSummary, 'lecture' | 'topic'>) => session.lecture?.title ?? session.topic ?? '';

export function SessionStatus({ status }: { status: GroupSessionStatus }) {
  const { t } = useT();
  return <span class={`badge group-status group-status--${status}`}>{t(`groupSessions.status.${status}`)}</span>;
}

/** The message for a failed request: the page's own words for what it understands, else the general one. */
export function useFailureText() {
  const { t } = useT();
  return (failure: unknown) => t(errorKey(failure));
}

/** What a failed check-in means to the member, in words that say what to do (the server's sentences are English). */
export function checkinFailureKey(failure: unknown) {
  if (failure instanceof ApiError) {
    const text = failure.message.toLowerCase();
    if (failure.status === 429) return 'groupSessions.checkin.tooMany' as const;
    if (failure.status === 400) return 'groupSessions.checkin.codeWrong' as const;
    if (failure.status === 404 || failure.status === 403) return 'groupSessions.checkin.notYours' as const;
    if (failure.status === 409) {
      if (text.includes('more than one')) return 'groupSessions.checkin.ambiguous' as const;
      if (text.includes('opens')) return 'groupSessions.checkin.notYet' as const;
      return 'groupSessions.checkin.ended' as const;
    }
  }
  return errorKey(failure);
}

/** The six digits in big type, whatever the keyboard gives (full-width digits too); sent once all six are there. */
export function CodeInput({ onSubmit, busy, id = 'checkin-code' }: { onSubmit: (code: string) => void; busy: boolean; id?: string }) {
  const { t } = useT();
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState(false);
  return (
    <form
      class="code-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (busy) return;
        if (!isWholeCode(code)) return setProblem(true);
        setProblem(false);
        onSubmit(code);
      }}
    >
      <label for={id}>{t('groupSessions.codeInput.label')}</label>
      <input
        id={id}
        class="code-input"
        type="text"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]*"
        maxLength={12}
        value={code}
        aria-invalid={problem}
        aria-describedby={`${id}-hint`}
        onInput={(event) => {
          const digits = codeDigits(event.currentTarget.value);
          event.currentTarget.value = digits;
          setCode(digits);
          if (problem && isWholeCode(digits)) setProblem(false);
        }}
      />
      <p id={`${id}-hint`} class={problem ? 'field__error' : 'hint'}>
        {problem ? t('groupSessions.codeInput.needDigits') : t('groupSessions.hub.checkinHint')}
      </p>
      <button type="submit" class="button button--primary button--big code-form__submit" aria-disabled={busy}>
        {busy ? t('groupSessions.codeInput.checking') : t('groupSessions.codeInput.submit')}
      </button>
    </form>
  );
}
