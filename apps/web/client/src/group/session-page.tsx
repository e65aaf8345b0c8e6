import type { AttendanceEventView, GroupSessionDetail, RosterEntry } from '#contracts';
import { useState } from 'preact/hooks';
import { endGroupSession, getGroupSession, markAttendance, sessionEvents, sessionRoster, undoAttendance } from '../api/group-study.js';
import { Alert } from '../components/alert.js';
import { Breadcrumb } from '../components/breadcrumb.js';
import { Page } from '../components/page.js';
import { useDuration } from '../format/use-format.js';
import { useResource } from '../hooks/use-resource.js';
import { errorKey } from '../i18n/error-key.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { SessionStatus, sessionTitle, when } from './group-bits.js';
import { filterRoster, rosterState } from './group-logic.js';
import { useEvery, useRotatingCode } from './use-rotating-code.js';

/** One session: details, the rotating code, the roster with ticks, the check-in log, and ending it. */
export function GroupSessionPage({ sessionId }: { sessionId: string }) {
  const { t } = useT();
  const session = useResource(() => getGroupSession(sessionId), [sessionId]);
  const crumbs = [{ href: '/group', label: t('groupSessions.title') }];
  const s = session.data;
  if (!s) {
    return (
      <>
        <Breadcrumb trail={crumbs} current={t('groupSessions.session.details')} />
        <Page title={session.loading ? t('app.loading') : t('groupSessions.title')}>
          <Alert message={session.error && t(session.error)} />
        </Page>
      </>
    );
  }
  return (
    <>
      <Breadcrumb trail={crumbs} current={sessionTitle(s)} />
      <Page title={sessionTitle(s)}>
        <SessionView session={s} onChanged={(next) => (next ? session.set(next) : session.reload())} />
      </Page>
    </>
  );
}

function SessionView({ session: s, onChanged }: { session: GroupSessionDetail; onChanged: (next?: GroupSessionDetail) => void }) {
  const { t, lang } = useT();
  const { duration } = useDuration();
  const live = s.status === 'live';
  const canTick = s.canManage && (live || (s.kind === 'in_person' && s.status !== 'cancelled' && recordOpen(s)));
  const roster = useResource(() => (s.canManage ? sessionRoster(s.id) : Promise.resolve([] as RosterEntry[])), [s.id, s.canManage]);
  const events = useResource(() => (s.canManage ? sessionEvents(s.id) : Promise.resolve([] as AttendanceEventView[])), [s.id, s.canManage]);
  const [problem, setProblem] = useState<string | null>(null);
  const [info, setInfo] = useState('');
  const [confirmEnd, setConfirmEnd] = useState(false);

  // While live, members check themselves in: the roster and the log follow.
  useEvery(10_000, live && s.canManage, async () => {
    const [nextSession, nextRoster, nextEvents] = await Promise.all([getGroupSession(s.id), sessionRoster(s.id), sessionEvents(s.id)]);
    roster.set(nextRoster);
    events.set(nextEvents);
    if (nextSession.status !== s.status) onChanged(nextSession);
  });

  const end = async () => {
    setConfirmEnd(false);
    setProblem(null);
    try {
      onChanged(await endGroupSession(s.id));
      setInfo(t('groupSessions.session.ended'));
    } catch (failure) {
      setProblem(t(errorKey(failure)));
    }
  };

  return (
    <>
      <p class="group-session__badges">
        <span class="badge">{t(`groupSessions.kind.${s.kind}`)}</span> <SessionStatus status={s.status} />
        {s.recordedAfterwards && <span class="badge"> {t('groupSessions.session.recordedAfterwards')}</span>}
      </p>
      <Alert message={problem} />
      <p class="status" role="status">
        {info}
      </p>
      <dl class="facts">
        <dt>{t('groupSessions.session.unit')}</dt>
        <dd>{s.unit.name}</dd>
        {s.lecture && (
          <>
            <dt>{t('groupSessions.session.lecture')}</dt>
            <dd>
              {s.lecture.title} <span class="hint-inline">{s.lecture.courseTitle}</span>
            </dd>
            <dt>{t('groupSessions.session.played')}</dt>
            <dd>{duration(s.playedSec)}</dd>
          </>
        )}
        {s.startsAt && (
          <>
            <dt>{t('groupSessions.session.time')}</dt>
            <dd>
              {when(s.startsAt, lang)}
              {s.endsAt ? ` – ${when(s.endsAt, lang, 'time')}` : ''}
            </dd>
          </>
        )}
        {s.place && (
          <>
            <dt>{t('groupSessions.session.place')}</dt>
            <dd>{s.place}</dd>
          </>
        )}
        {s.speaker && (
          <>
            <dt>{t('groupSessions.session.speaker')}</dt>
            <dd>{s.speaker}</dd>
          </>
        )}
      </dl>
      {s.materials && (
        <section aria-labelledby="group-materials">
          <h2 id="group-materials">{t('groupSessions.session.materials')}</h2>
          <p class="group-materials">{s.materials}</p>
        </section>
      )}
      {s.recordUntil && <p class="hint">{t('groupSessions.session.recordUntil', { date: when(s.recordUntil, lang) })}</p>}

      {live && s.canManage && <CodePanel session={s} />}

      {s.canManage ? (
        <Roster
          session={s}
          entries={roster.data}
          loading={roster.loading}
          error={roster.error && t(roster.error)}
          canTick={canTick}
          onTicked={(next, text) => {
            roster.set(next);
            setInfo(text);
            events.reload();
            void getGroupSession(s.id).then(onChanged, () => undefined);
          }}
          onProblem={setProblem}
        />
      ) : (
        <p class="notice">{t('groupSessions.session.readOnly')}</p>
      )}
      {s.canManage && s.kind === 'in_person' && s.status === 'ended' && !canTick && (
        <p class="notice">{t('groupSessions.session.recordClosed')}</p>
      )}

      {s.canManage && <Events events={events.data ?? []} />}

      {s.canManage && live && (
        <div class="actions group-end">
          {confirmEnd ? (
            <div class="confirm" role="group" aria-label={t('groupSessions.session.end')}>
              <p>{t('groupSessions.session.endConfirm')}</p>
              <p class="actions">
                <button type="button" class="button button--danger" onClick={() => void end()}>
                  {t('groupSessions.session.end')}
                </button>
                <button type="button" class="button" onClick={() => setConfirmEnd(false)}>
                  {t('common.cancel')}
                </button>
              </p>
            </div>
          ) : (
            <button type="button" class="button button--quiet" onClick={() => setConfirmEnd(true)}>
              {t('groupSessions.session.end')}
            </button>
          )}
        </div>
      )}
    </>
  );
}

const recordOpen = (s: GroupSessionDetail) => s.status !== 'ended' || (s.recordUntil !== null && Date.parse(s.recordUntil) > Date.now());

function CodePanel({ session }: { session: GroupSessionDetail }) {
  const { t, lang } = useT();
  const { code } = useRotatingCode(session.id, true);
  return (
    <section class="panel group-code" aria-labelledby="group-code">
      <h2 id="group-code">{t('groupSessions.session.codeTitle')}</h2>
      <p class="group-code__digits" data-testid="session-code">
        {code?.code ?? '······'}
      </p>
      {code && <p class="hint">{t('groupSessions.session.codeValid', { time: when(code.validUntil, lang, 'time') })}</p>}
      {session.kind === 'collective' && (
        <p class="actions">
          <Link href={`/group/sessions/${encodeURIComponent(session.id)}/screen`} class="button button--primary button--big">
            {t('groupSessions.session.showScreen')}
          </Link>
        </p>
      )}
    </section>
  );
}

interface RosterProps {
  session: GroupSessionDetail;
  entries: RosterEntry[] | null;
  loading: boolean;
  error: string | null;
  canTick: boolean;
  onTicked: (roster: RosterEntry[], text: string) => void;
  onProblem: (text: string | null) => void;
}

function Roster({ session, entries, loading, error, canTick, onTicked, onProblem }: RosterProps) {
  const { t, lang } = useT();
  const { duration } = useDuration();
  const [query, setQuery] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const all = entries ?? [];
  const shown = filterRoster(all, query);
  const presentCount = all.filter((e) => e.present).length;

  const tick = async (entry: RosterEntry) => {
    if (busy) return;
    setBusy(entry.userId);
    onProblem(null);
    const present = !entry.present;
    try {
      // After an in-person session has ended nobody is checked out; a wrong tick is taken back instead.
      if (!present && session.status === 'ended') await undoAttendance(session.id, { userId: entry.userId });
      else await markAttendance(session.id, { userId: entry.userId, present });
      const next = await sessionRoster(session.id);
      const now = next.find((e) => e.userId === entry.userId);
      const state = now ? rosterState(now) : present ? 'present' : 'absent';
      onTicked(next, t('groupSessions.session.saved', { name: entry.name, state: t(`groupSessions.session.${state}`) }));
    } catch (failure) {
      onProblem(t(errorKey(failure)));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby="group-roster">
      <h2 id="group-roster">{t('groupSessions.session.rosterTitle')}</h2>
      <p class="group-roster__count">{t('groupSessions.session.rosterCount', { count: presentCount, roster: all.length })}</p>
      <div class="field group-roster__search">
        <label for="group-roster-q">{t('groupSessions.session.searchLabel')}</label>
        <input id="group-roster-q" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      </div>
      <Alert message={error} />
      {loading && !entries && <p class="status">{t('app.loading')}</p>}
      {entries && shown.length === 0 && <p class="hint">{t('groupSessions.session.noMatch')}</p>}
      <ul class="roster">
        {shown.map((entry) => {
          const state = rosterState(entry);
          return (
            <li key={entry.userId} class={`roster__item roster__item--${state}`} data-login={entry.login}>
              <button
                type="button"
                class="roster__tick"
                aria-pressed={entry.present}
                aria-disabled={!canTick || busy !== null}
                disabled={!canTick}
                aria-label={
                  entry.present
                    ? t('groupSessions.session.markAbsent', { name: entry.name })
                    : t('groupSessions.session.markPresent', { name: entry.name })
                }
                onClick={() => void tick(entry)}
              >
                <span aria-hidden="true">{entry.present ? '✓' : ''}</span>
              </button>
              <div class="roster__who">
                <p class="roster__name">
                  {entry.name} <span class="roster__login">{entry.login}</span>
                </p>
                <p class="roster__meta">
                  <span class={`roster__state roster__state--${state}`}>{t(`groupSessions.session.${state}`)}</span>
                  {entry.late && <span class="roster__late"> · {t('groupSessions.session.late')}</span>}
                  {entry.method && <span> · {t(`groupSessions.method.${entry.method}`)}</span>}
                  {entry.firstInAt && <span> · {when(entry.firstInAt, lang, 'time')}</span>}
                  {entry.lastOutAt && !entry.present && <span>–{when(entry.lastOutAt, lang, 'time')}</span>}
                  {entry.creditedSec > 0 && <span> · {t('groupSessions.hub.credited', { duration: duration(entry.creditedSec) })}</span>}
                </p>
                <p class="roster__unit">{entry.unitName}</p>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Events({ events }: { events: AttendanceEventView[] }) {
  const { t, lang } = useT();
  return (
    <section aria-labelledby="group-events">
      <h2 id="group-events">{t('groupSessions.session.eventsTitle')}</h2>
      {events.length === 0 ? (
        <p class="hint">{t('groupSessions.session.eventsEmpty')}</p>
      ) : (
        <ol class="group-events">
          {[...events].reverse().map((e, i) => (
            <li key={`${e.at}-${i}`}>
              <span class="group-events__time">{when(e.at, lang)}</span> {e.member.name} · {t(`groupSessions.session.event.${e.event}`)}
              {e.method && ` · ${t(`groupSessions.method.${e.method}`)}`}
              {e.by.id !== e.member.id && ` · ${t('groupSessions.session.eventBy', { name: e.by.name })}`}
              {e.note && ` · ${e.note}`}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
