import type { CheckinResult, GroupSessionSummary } from '#contracts';
import { useState } from 'preact/hooks';
import { checkIn, groupCapabilities, listGroupSessions, myAttendance, type MyAttendance } from '../api/group-study.js';
import { Alert } from '../components/alert.js';
import { Page } from '../components/page.js';
import { useDuration } from '../format/use-format.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { CheckedIn } from './checkin-page.js';
import { CodeInput, SessionStatus, checkinFailureKey, sessionTitle, when } from './group-bits.js';

/** Group study's start: check in with a code and one's attendance; for leaders, their units' sessions and starting one. */
export function GroupPage() {
  const { t } = useT();
  const capabilities = useResource(groupCapabilities, []);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<CheckinResult | null>(null);

  const submit = async (code: string) => {
    setBusy(true);
    setProblem(null);
    try {
      setDone(await checkIn({ code }));
    } catch (failure) {
      setProblem(t(checkinFailureKey(failure)));
    } finally {
      setBusy(false);
    }
  };

  if (done) return <CheckedIn result={done} onAgain={() => setDone(null)} />;
  const canLead = capabilities.data?.canLead ?? false;
  return (
    <Page title={t('groupSessions.title')}>
      <p class="lead">{t('groupSessions.hub.intro')}</p>
      {canLead && (
        <p class="actions">
          <Link href="/group/new?kind=collective" class="button button--primary button--big">
            {t('groupSessions.hub.startCollective')}
          </Link>
          <Link href="/group/new?kind=in_person" class="button button--big">
            {t('groupSessions.hub.recordInPerson')}
          </Link>
        </p>
      )}
      <section class="panel group-checkin" aria-labelledby="group-checkin">
        <h2 id="group-checkin">{t('groupSessions.hub.checkinTitle')}</h2>
        <Alert message={problem} />
        <CodeInput busy={busy} onSubmit={(code) => void submit(code)} />
      </section>
      <Alert message={capabilities.error && t(capabilities.error)} />
      {canLead && <LeaderSessions />}
      <History />
    </Page>
  );
}

function LeaderSessions() {
  const { t } = useT();
  const sessions = useResource(() => listGroupSessions(), []);
  const all = sessions.data ?? [];
  const live = all.filter((s) => s.status === 'live');
  const recent = all.filter((s) => s.status !== 'live').slice(0, 20);
  return (
    <section aria-labelledby="group-lead">
      <h2 id="group-lead">{t('groupSessions.hub.leadTitle')}</h2>
      <Alert message={sessions.error && t(sessions.error)} />
      <p class="status" role="status">
        {sessions.loading ? t('app.loading') : ''}
      </p>
      <h3>{t('groupSessions.hub.liveTitle')}</h3>
      {sessions.data && live.length === 0 && <p class="hint">{t('groupSessions.hub.none')}</p>}
      <SessionList sessions={live} />
      <h3>{t('groupSessions.hub.recentTitle')}</h3>
      {sessions.data && recent.length === 0 && <p class="hint">{t('groupSessions.hub.none')}</p>}
      <SessionList sessions={recent} />
    </section>
  );
}

function SessionList({ sessions }: { sessions: GroupSessionSummary[] }) {
  const { t, lang } = useT();
  if (!sessions.length) return null;
  return (
    <ul class="group-list">
      {sessions.map((s) => (
        <li key={s.id} class="group-card">
          <div class="group-card__head">
            <Link href={`/group/sessions/${encodeURIComponent(s.id)}`} class="group-card__title">
              {sessionTitle(s)}
            </Link>
            <SessionStatus status={s.status} />
          </div>
          <p class="group-card__meta">
            {t(`groupSessions.kind.${s.kind}`)} · {s.unit.name}
            {s.startsAt ? ` · ${when(s.startsAt, lang)}` : ''}
          </p>
          <p class="group-card__meta">{t('groupSessions.hub.attendees', { count: s.attendeeCount, roster: s.rosterCount })}</p>
        </li>
      ))}
    </ul>
  );
}

function History() {
  const { t, lang } = useT();
  const { duration } = useDuration();
  const history = useResource<MyAttendance[]>(myAttendance, []);
  const items = history.data ?? [];
  return (
    <section aria-labelledby="group-history">
      <h2 id="group-history">{t('groupSessions.hub.historyTitle')}</h2>
      <Alert message={history.error && t(history.error)} />
      {history.data && items.length === 0 && <p class="hint">{t('groupSessions.hub.historyEmpty')}</p>}
      {items.length > 0 && (
        <ul class="group-list">
          {items.map((a) => (
            <li key={a.session.id} class="group-card">
              <div class="group-card__head">
                <span class="group-card__title">{sessionTitle(a.session)}</span>
                <span class="badge">{t(`groupSessions.kind.${a.session.kind}`)}</span>
              </div>
              <p class="group-card__meta">
                {[when(a.firstInAt ?? a.session.startsAt, lang), a.session.unit.name].filter(Boolean).join(' · ')}
              </p>
              <p class="group-card__meta">
                {[
                  a.method && t(`groupSessions.method.${a.method}`),
                  a.late && t('groupSessions.hub.late'),
                  a.lastOutAt && t('groupSessions.hub.checkedOut'),
                  t('groupSessions.hub.credited', { duration: duration(a.creditedSec) }),
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
