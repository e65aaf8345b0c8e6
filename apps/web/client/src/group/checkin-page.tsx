import type { CheckinResult } from '#contracts';
import { useEffect, useRef, useState } from 'preact/hooks';
import { checkIn, checkOut } from '../api/group-study.js';
import { Alert } from '../components/alert.js';
import { Page } from '../components/page.js';
import { errorKey } from '../i18n/error-key.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { CodeInput, checkinFailureKey, sessionTitle } from './group-bits.js';
import { checkinLink } from './group-logic.js';

/** A member checks in from their phone: the QR link fills in the code, or they type its six digits. */
export function CheckinPage() {
  const { t } = useT();
  const link = useRef(checkinLink(location.search));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<CheckinResult | null>(null);

  const submit = async (code: string, sessionId?: string, method: 'qr' | 'code' = 'code') => {
    setBusy(true);
    setProblem(null);
    try {
      setDone(await checkIn({ code, ...(sessionId ? { sessionId } : {}) }));
    } catch (failure) {
      setProblem(t(checkinFailureKey(failure)));
    } finally {
      setBusy(false);
      // The link's code is spent either way: a reload must not send it again, and the input is there to retry.
      if (method === 'qr') history.replaceState(history.state, '', '/checkin');
    }
  };

  useEffect(() => {
    const from = link.current;
    if (from) void submit(from.code, from.sessionId, 'qr');
  }, []);

  if (done) return <CheckedIn result={done} onAgain={() => setDone(null)} />;
  return (
    <Page title={t('groupSessions.checkin.title')}>
      <Alert message={problem} />
      <p class="status" role="status">
        {busy ? t('groupSessions.codeInput.checking') : ''}
      </p>
      <section class="panel group-checkin">
        <CodeInput busy={busy} onSubmit={(code) => void submit(code)} />
      </section>
      <p class="actions">
        <Link href="/group" class="button">
          {t('groupSessions.checkin.back')}
        </Link>
      </p>
    </Page>
  );
}

/** The big "checked in" answer with what the session is, and the way to check out. */
export function CheckedIn({ result, onAgain }: { result: CheckinResult; onAgain: () => void }) {
  const { t } = useT();
  const [leaving, setLeaving] = useState(false);
  const [left, setLeft] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const { session } = result;
  const leave = async () => {
    if (leaving) return;
    setLeaving(true);
    setProblem(null);
    try {
      await checkOut(session.id);
      setLeft(true);
    } catch (failure) {
      setProblem(t(errorKey(failure)));
    } finally {
      setLeaving(false);
    }
  };
  return (
    <Page title={left ? t('groupSessions.checkin.title') : t('groupSessions.checkin.done')}>
      <div class={left ? 'checkin-done checkin-done--left' : 'checkin-done'}>
        <p class="checkin-done__mark" aria-hidden="true">
          {left ? '↩' : '✓'}
        </p>
        <p class="checkin-done__what">
          <span class="badge">{t(`groupSessions.kind.${session.kind}`)}</span> {sessionTitle(session)}
        </p>
        <p class="checkin-done__unit">{session.unit.name}</p>
        {result.alreadyPresent && !left && <p>{t('groupSessions.checkin.already')}</p>}
        {result.late && !left && <p>{t('groupSessions.checkin.lateNote')}</p>}
      </div>
      <Alert message={problem} />
      <p class="status" role="status">
        {left ? t('groupSessions.checkin.left') : leaving ? t('groupSessions.checkin.leaving') : ''}
      </p>
      <p class="actions">
        {left ? (
          <button type="button" class="button button--primary button--big" onClick={onAgain}>
            {t('groupSessions.checkin.again')}
          </button>
        ) : (
          <button type="button" class="button button--big checkin-leave" aria-disabled={leaving} onClick={() => void leave()}>
            {t('groupSessions.checkin.leave')}
          </button>
        )}
        <Link href="/group" class="button">
          {t('groupSessions.checkin.back')}
        </Link>
      </p>
    </Page>
  );
}
