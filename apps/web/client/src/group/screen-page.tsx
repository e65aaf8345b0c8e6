import type { GroupSessionDetail } from '#contracts';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/api.js';
import { getGroupSession, screenHeartbeat, screenStream } from '../api/group-study.js';
import { Alert } from '../components/alert.js';
import { clock } from '../format/format.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { PlayedSpans } from '../player/played-spans.js';
import { sessionTitle } from './group-bits.js';
import { QrCode } from './qr-code.js';
import { ScreenBeatQueue } from './screen-beats.js';
import { openScreenStream, type ScreenStream } from './screen-stream.js';
import { useEvery, useRotatingCode } from './use-rotating-code.js';

/** How often the screen reports what it played, and looks for new attendees. */
const BEAT_MS = 10_000;

/** The big-screen player of a collective viewing: large controls, the rotating QR, no member's credit on the device. */
export function GroupScreenPage({ sessionId }: { sessionId: string }) {
  const { t } = useT();
  const session = useResource(() => getGroupSession(sessionId), [sessionId]);
  const s = session.data;
  useEffect(() => {
    document.title = `${s ? sessionTitle(s) : t('groupSessions.screen.label')} – ${t('app.name')}`;
  }, [s, t]);
  if (!s) {
    return (
      <div class="screen screen--message">
        <h1>{session.loading ? t('app.loading') : t('groupSessions.screen.label')}</h1>
        <Alert message={session.error && t(session.error)} />
        <ScreenBack sessionId={sessionId} />
      </div>
    );
  }
  if (s.kind !== 'collective' || s.status !== 'live' || !s.canManage) {
    return (
      <div class="screen screen--message">
        <h1>{sessionTitle(s)}</h1>
        <p class="screen__note">
          {s.kind !== 'collective'
            ? t('groupSessions.screen.notCollective')
            : s.status !== 'live'
              ? t('groupSessions.screen.ended')
              : t('groupSessions.session.readOnly')}
        </p>
        <ScreenBack sessionId={sessionId} />
      </div>
    );
  }
  return <Screen session={s} />;
}

function ScreenBack({ sessionId }: { sessionId: string }) {
  const { t } = useT();
  return (
    <p>
      <Link href={`/group/sessions/${encodeURIComponent(sessionId)}`} class="button screen__back">
        {t('groupSessions.screen.leave')}
      </Link>
    </p>
  );
}

type Problem = 'errorStream' | 'errorUnsupported' | null;

function Screen({ session: initial }: { session: GroupSessionDetail }) {
  const { t } = useT();
  const root = useRef<HTMLDivElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<ScreenStream | null>(null);
  // One new address per refusal; a second refusal before any segment arrived is a problem to show, not to loop on.
  const renewed = useRef(false);
  const spans = useRef(new PlayedSpans());
  const beats = useRef(new ScreenBeatQueue());
  const [session, setSession] = useState(initial);
  const [playing, setPlaying] = useState(false);
  const [position, setPosition] = useState(initial.positionSec);
  const [length, setLength] = useState(initial.lecture?.durationSec ?? 0);
  const [problem, setProblem] = useState<Problem>(null);
  const [unsent, setUnsent] = useState(false);
  const [present, setPresent] = useState(initial.attendeeCount);
  const [fullscreen, setFullscreen] = useState(false);
  const [generation, setGeneration] = useState(0);
  const { code } = useRotatingCode(session.id, session.status === 'live');

  /** Hands what was played to the server, one heartbeat at a time; a failure keeps it for the next round. */
  const send = async () => {
    const el = video.current;
    beats.current.add(spans.current.take(), el ? el.currentTime : position);
    const beat = beats.current.next();
    if (!beat) return;
    try {
      const answer = await screenHeartbeat(session.id, beat);
      beats.current.acknowledged();
      setPresent(answer.presentCount);
      setUnsent(false);
    } catch (failure) {
      // A refusal (the session ended, the beat was malformed) is final; only a missing answer is worth repeating.
      if (failure instanceof ApiError && failure.status >= 400 && failure.status < 500 && failure.status !== 429) {
        beats.current.acknowledged();
      } else {
        beats.current.failed();
        setUnsent(true);
      }
    }
  };

  // The stream: a fresh signed address for this screen, again when it expires.
  useEffect(() => {
    const el = video.current;
    if (!el) return;
    let stale = false;
    const wasPlaying = generation > 0 && !el.paused;
    void (async () => {
      try {
        const links = await screenStream(session.id);
        if (stale) return;
        // A reloaded screen goes on where the room was; a renewed address where the picture is.
        const resumeAt = generation === 0 ? links.positionSec : el.currentTime;
        if (links.durationSec > 0) setLength(links.durationSec);
        stream.current?.destroy();
        stream.current = await openScreenStream(el, links.masterUrl, {
          onExpired: () => {
            if (stale) return;
            if (renewed.current) return setProblem('errorStream');
            renewed.current = true;
            setGeneration((g) => g + 1);
          },
          onSegmentLoaded: () => {
            renewed.current = false;
          },
          onFatal: (kind) => !stale && setProblem(kind === 'unsupported' ? 'errorUnsupported' : 'errorStream'),
        });
        if (resumeAt > 0) el.currentTime = resumeAt;
        if (wasPlaying) void el.play().catch(() => undefined);
      } catch {
        if (!stale) setProblem('errorStream');
      }
    })();
    return () => {
      stale = true;
    };
  }, [generation]);

  useEffect(
    () => () => {
      stream.current?.destroy();
      stream.current = null;
    },
    [],
  );

  // What the screen played, by the media element's own events.
  useEffect(() => {
    const el = video.current;
    if (!el) return;
    const onTime = () => {
      setPosition(el.currentTime);
      if (!el.paused && !el.seeking) spans.current.advance(el.currentTime);
    };
    const onPlay = () => {
      setPlaying(true);
      spans.current.advance(el.currentTime);
      // Marks where the room's clock starts again after a pause.
      void send();
    };
    const onStop = () => {
      setPlaying(!el.paused && !el.ended);
      spans.current.stop();
      void send();
    };
    const onSeeking = () => spans.current.stop();
    const onMeta = () => Number.isFinite(el.duration) && setLength(el.duration);
    const listeners: Array<[keyof HTMLMediaElementEventMap, () => void]> = [
      ['timeupdate', onTime],
      ['play', onPlay],
      ['pause', onStop],
      ['ended', onStop],
      ['seeking', onSeeking],
      ['seeked', onStop],
      ['loadedmetadata', onMeta],
      ['durationchange', onMeta],
    ];
    for (const [event, listener] of listeners) el.addEventListener(event, listener);
    return () => {
      for (const [event, listener] of listeners) el.removeEventListener(event, listener);
    };
  }, []);

  // Every 10 s while playing, and until a failed heartbeat has gone out.
  useEvery(BEAT_MS, true, async () => {
    const el = video.current;
    if ((el && !el.paused) || beats.current.waiting) await send();
  });
  // The attendee count and whether the session is still live.
  useEvery(BEAT_MS, true, async () => {
    const next = await getGroupSession(session.id);
    setSession(next);
    setPresent(next.attendeeCount);
    if (next.status !== 'live') video.current?.pause();
  });

  useEffect(() => {
    const onChange = () => setFullscreen(document.fullscreenElement === root.current);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  const toggle = () => {
    const el = video.current;
    if (!el) return;
    if (el.paused || el.ended) void el.play().catch(() => undefined);
    else el.pause();
  };
  const seekTo = (to: number) => {
    const el = video.current;
    if (!el) return;
    el.currentTime = Math.max(0, Math.min(to, Number.isFinite(el.duration) ? el.duration : to));
  };
  const toggleFullscreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else void root.current?.requestFullscreen?.().catch(() => undefined);
  };
  const onKey = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement | null;
    if (target && (target.tagName === 'INPUT' || target.tagName === 'BUTTON' || target.tagName === 'A')) return;
    if (event.key === ' ' || event.key === 'k') toggle();
    else if (event.key === 'ArrowLeft') seekTo(position - 10);
    else if (event.key === 'ArrowRight') seekTo(position + 10);
    else return;
    event.preventDefault();
  };

  const title = sessionTitle(session);
  const digits = code?.code ?? '';
  const checkinUrl = code ? new URL(code.url, location.origin).href : '';
  return (
    <div ref={root} class="screen" role="region" aria-label={t('groupSessions.screen.label')} onKeyDown={onKey}>
      <header class="screen__top">
        <h1 class="screen__title">{title}</h1>
        <p class="screen__unit">{session.unit.name}</p>
        <div class="screen__top-actions">
          <button type="button" class="button screen__small" onClick={toggleFullscreen}>
            {fullscreen ? t('groupSessions.screen.exitFullscreen') : t('groupSessions.screen.fullscreen')}
          </button>
          <Link href={`/group/sessions/${encodeURIComponent(session.id)}`} class="button screen__small">
            {t('groupSessions.screen.leave')}
          </Link>
        </div>
      </header>
      <div class="screen__stage">
        <div class="screen__picture">
          <video ref={video} class="screen__video" playsInline preload="auto" onClick={toggle} />
          {session.status !== 'live' && (
            <div class="screen__problem" role="status">
              <p>{t('groupSessions.screen.ended')}</p>
            </div>
          )}
          {problem && (
            <div class="screen__problem" role="alert">
              <p>{t(`groupSessions.screen.${problem}`)}</p>
              {problem === 'errorStream' && (
                <button
                  type="button"
                  class="button button--primary button--big"
                  onClick={() => {
                    setProblem(null);
                    renewed.current = false;
                    setGeneration((g) => g + 1);
                  }}
                >
                  {t('common.retry')}
                </button>
              )}
            </div>
          )}
        </div>
        <div class="screen__controls">
          <button
            type="button"
            class="screen__button screen__button--play"
            aria-label={playing ? t('groupSessions.screen.pause') : t('groupSessions.screen.play')}
            onClick={toggle}
          >
            <span aria-hidden="true">{playing ? '❚❚' : '▶'}</span>
          </button>
          <button type="button" class="screen__button" aria-label={t('groupSessions.screen.back30')} onClick={() => seekTo(position - 30)}>
            <span aria-hidden="true">−30</span>
          </button>
          <button
            type="button"
            class="screen__button"
            aria-label={t('groupSessions.screen.forward30')}
            onClick={() => seekTo(position + 30)}
          >
            <span aria-hidden="true">+30</span>
          </button>
          <input
            class="screen__seek"
            type="range"
            min={0}
            max={Math.max(1, Math.floor(length))}
            step={1}
            value={Math.floor(position)}
            aria-label={t('groupSessions.screen.seek')}
            aria-valuetext={`${clock(position)} / ${clock(length)}`}
            onChange={(e) => seekTo(Number(e.currentTarget.value))}
          />
          <p class="screen__time" data-testid="screen-time">
            {clock(position)} / {clock(length)}
          </p>
        </div>
        {unsent && <p class="screen__warning">{t('groupSessions.screen.reportProblem')}</p>}
      </div>
      <aside class="screen__side" aria-label={t('groupSessions.screen.scanTitle')}>
        <h2 class="screen__side-title">{t('groupSessions.screen.scanTitle')}</h2>
        {checkinUrl ? (
          <QrCode class="screen__qr" text={checkinUrl} label={t('groupSessions.screen.qrAlt', { url: checkinUrl })} />
        ) : (
          <div class="screen__qr screen__qr--empty" />
        )}
        <p class="screen__code-label">{t('groupSessions.screen.codeLabel')}</p>
        <p class="screen__code" data-testid="screen-code" aria-live="polite">
          {digits ? `${digits.slice(0, 3)} ${digits.slice(3)}` : '··· ···'}
        </p>
        <p class="screen__hint">{t('groupSessions.screen.scanHint')}</p>
        <p class="screen__count">
          <span class="screen__count-label">{t('groupSessions.screen.attendees')}</span>{' '}
          <span class="screen__count-number" data-testid="screen-attendees">
            {t('groupSessions.screen.attendeesCount', { count: present })}
          </span>
        </p>
      </aside>
    </div>
  );
}
