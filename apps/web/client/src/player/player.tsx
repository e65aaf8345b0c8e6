import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PlaybackSession } from '../api/types.js';
import { clock } from '../format/format.js';
import { useT } from '../i18n/use-t.js';
import { linkedStartSec } from './captions-logic.js';
import { CaptionsMenu } from './captions-menu.js';
import { CaptionsOverlay, useCaptions } from './captions-overlay.js';
import { ChapterMarks, ChaptersRow, ChapterStopped, useChapters } from './chapters-player.js';
import { useCheckin } from './checkin-channel.js';
import { CheckinPrompt } from './checkin-prompt.js';
import { ControlBar } from './control-bar.js';
import { actionForKey, type PlayerAction } from './keys.js';
import { Countdown, type CountdownState } from './next-countdown.js';
import { Icon } from './icons.js';
import { bindLockScreen, lockScreenMetadata, mediaSessionOf, positionState, showPosition } from './media-session.js';
import { fullscreenForTurn } from './orientation.js';
import { observePlayback, type PlaybackListener } from './playback-events.js';
import { preferences } from './preferences.js';
import { resumeOffer } from './resume.js';
import { Transcript } from './transcript.js';
import { useStream } from './use-stream.js';

export interface PlayerProps {
  session: PlaybackSession;
  /** Spoken name of the player, e.g. the lecture title. */
  title: string;
  /** Opens a fresh playback session (new signed addresses) for the same lecture. */
  reopen(): Promise<PlaybackSession>;
  /** The hook a study-time reporter (heartbeats) plugs into. */
  onPlaybackEvent?: PlaybackListener;
  /** Something the member must see now (e.g. the lecture plays on another screen), shown over the picture. */
  notice?: ComponentChildren;
  /** The course's next lecture: offered with a countdown when this one ends. */
  next?: { title: string; go(): void } | null;
  /** Start playing at once (the member came here from the previous lecture's countdown). */
  autoplay?: boolean;
}

type WebkitVideo = HTMLVideoElement & { webkitEnterFullscreen?: () => void; webkitExitFullscreen?: () => void };

const isTyping = (el: HTMLElement) =>
  el.isContentEditable ||
  el.tagName === 'TEXTAREA' ||
  el.tagName === 'SELECT' ||
  (el.tagName === 'INPUT' && (el as HTMLInputElement).type !== 'range');
const isActivatable = (el: HTMLElement) => el.tagName === 'BUTTON' || el.tagName === 'A' || el.tagName === 'SUMMARY';

export function Player({ session, title, reopen, onPlaybackEvent, notice, next = null, autoplay = false }: PlayerProps) {
  const { t } = useT();
  const video = useRef<HTMLVideoElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const playButton = useRef<HTMLButtonElement>(null);
  const listener = useRef(onPlaybackEvent);
  listener.current = onPlaybackEvent;

  // A link to a moment (a search hit on words said there) starts there instead of offering to resume.
  const linkedAt = linkedStartSec(location.search, session.durationSec);
  const offer = linkedAt === null ? resumeOffer(session.resumePositionSec, session.durationSec) : null;
  // Played on from the previous lecture: carry on where this one was left, without asking.
  const [resumeAt, setResumeAt] = useState(() => (autoplay ? null : offer));
  // An audio lecture is all sound already: no separate listening mode.
  const listenOnlyAvailable = session.kind !== 'audio' && session.audioOnlyUrl !== null;
  const [audioOnly, setAudioOnly] = useState(() => preferences.audioOnly() && listenOnlyAvailable);
  /** Sound only is playing (an audio lecture, or the listening mode): hidden, it still earns study time. */
  const soundOnly = useRef(false);
  soundOnly.current = session.kind === 'audio' || audioOnly;
  const checkin = useCheckin(session.lectureId);
  const stream = useStream({ video, session, audioOnly, initialPosition: offer ?? linkedAt ?? 0, reopen });
  const nextRef = useRef(next);
  nextRef.current = next;
  const [countdown, setCountdown] = useState<CountdownState>({ phase: 'idle' });
  const timer = useRef<Countdown | null>(null);
  timer.current ??= new Countdown(setCountdown, () => nextRef.current?.go());
  /** Full screen was entered because the phone turned to landscape, so turning back leaves it. */
  const fullscreenByTurn = useRef(false);

  const [playing, setPlaying] = useState(false);
  const [waiting, setWaiting] = useState(false);
  const [time, setTime] = useState(resumeAt ?? linkedAt ?? 0);
  const [duration, setDuration] = useState(session.durationSec);
  const [buffered, setBuffered] = useState(0);
  const [volume, setVolume] = useState(preferences.volume);
  const [muted, setMuted] = useState(false);
  const [rate, setRate] = useState(preferences.rate);
  const [level, setLevel] = useState(-1);
  const [fullscreen, setFullscreen] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const chapters = useChapters(session.lectureId);
  const captions = useCaptions(session.lectureId);

  const el = () => video.current!;

  useEffect(() => {
    const media = el();
    media.volume = volume;
    media.playbackRate = media.defaultPlaybackRate = rate;
    const onFullscreen = () => {
      const full = document.fullscreenElement === root.current;
      setFullscreen(full);
      // Left by the member (Esc, the back gesture): the next turn may enter it again.
      if (!full) fullscreenByTurn.current = false;
    };
    document.addEventListener('fullscreenchange', onFullscreen);
    const stop = observePlayback(media, (event) => listener.current?.(event), { audio: () => soundOnly.current });
    // The element outlives the player by a moment: tearing down the stream empties it, and its last events
    // (timeupdate, emptied, durationchange) arrive after unmount. So the listeners are removed here, and they
    // read the element they were added to, never the ref (null by then).
    const onTime = () => {
      setTime(media.currentTime);
      const ranges = media.buffered;
      for (let i = 0; i < ranges.length; i += 1) {
        if (ranges.start(i) <= media.currentTime + 0.5 && ranges.end(i) >= media.currentTime) setBuffered(ranges.end(i));
      }
    };
    const handlers: Record<string, () => void> = {
      play: () => {
        setPlaying(true);
        // Played again after the end: the member stays with this lecture.
        timer.current?.send({ type: 'reset' });
      },
      pause: () => setPlaying(false),
      ended: () => {
        setPlaying(false);
        const coming = nextRef.current;
        const countdown = timer.current;
        if (!coming || !countdown) return;
        const before = countdown.current;
        countdown.send({ type: 'start' });
        const current: CountdownState = countdown.current;
        if (before.phase !== 'counting' && current.phase === 'counting') {
          setAnnouncement(t('memberLecture.nextAnnouncement', { title: coming.title, seconds: current.remaining }));
        }
      },
      waiting: () => setWaiting(true),
      playing: () => setWaiting(false),
      canplay: () => setWaiting(false),
      timeupdate: onTime,
      progress: onTime,
      durationchange: () => Number.isFinite(media.duration) && media.duration > 0 && setDuration(media.duration),
      volumechange: () => {
        setVolume(media.volume);
        setMuted(media.muted);
      },
      ratechange: () => setRate(media.playbackRate),
    };
    for (const [name, handler] of Object.entries(handlers)) media.addEventListener(name, handler);
    return () => {
      for (const [name, handler] of Object.entries(handlers)) media.removeEventListener(name, handler);
      document.removeEventListener('fullscreenchange', onFullscreen);
      stop();
      timer.current?.dispose();
    };
  }, []);

  useEffect(() => {
    if (autoplay) play(offer ?? 0, false);
  }, []);

  // On a phone whose header is tall (large text, a long name), the page starts scrolled to the player so that
  // its control bar is on the first screen; only while the member has not scrolled themselves.
  useEffect(() => {
    const frame = requestAnimationFrame(() => {
      const player = root.current;
      if (!player || window.scrollY > 0 || window.innerWidth > 640) return;
      if (player.getBoundingClientRect().bottom > window.innerHeight) player.scrollIntoView({ block: 'start' });
    });
    return () => cancelAnimationFrame(frame);
  }, []);

  // Turning a phone to landscape while the video plays fills the screen with it; turning back leaves.
  useEffect(() => {
    const landscapeQuery = typeof window.matchMedia === 'function' ? window.matchMedia('(orientation: landscape)') : null;
    const orientation = typeof screen !== 'undefined' ? screen.orientation : undefined;
    const onTurn = () => {
      const media = video.current as WebkitVideo | null;
      if (!media || !root.current) return;
      const fullscreenNow = document.fullscreenElement === root.current;
      const action = fullscreenForTurn({
        // The viewport's own shape: screen.orientation is not reported by every browser (or emulator).
        landscape: landscapeQuery ? landscapeQuery.matches : window.innerWidth > window.innerHeight,
        shortSide: Math.min(window.innerWidth, window.innerHeight),
        // Sound alone gains nothing from the full screen.
        playing: !media.paused && !media.ended && session.kind !== 'audio',
        fullscreen: fullscreenNow,
        enteredByTurn: fullscreenByTurn.current,
      });
      if (action === 'enter') {
        fullscreenByTurn.current = true;
        enterFullscreen();
      } else if (action === 'exit') {
        fullscreenByTurn.current = false;
        if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
      }
    };
    // Browsers allow full screen without a tap only while the screen's own orientation change is handled;
    // the media query covers browsers without screen.orientation (older iPhones).
    orientation?.addEventListener?.('change', onTurn);
    landscapeQuery?.addEventListener?.('change', onTurn);
    return () => {
      orientation?.removeEventListener?.('change', onTurn);
      landscapeQuery?.removeEventListener?.('change', onTurn);
    };
  }, []);

  // Esc cancels the countdown to the next lecture, wherever the focus is.
  useEffect(() => {
    if (countdown.phase !== 'counting') return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' || event.key === 'Esc') {
        event.preventDefault();
        cancelNext();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [countdown.phase]);

  const cancelNext = () => {
    timer.current?.send({ type: 'cancel' });
    setAnnouncement(t('memberLecture.nextCancelled'));
  };

  const play = (from: number, focus = true) => {
    setResumeAt(null);
    stream.play(from);
    if (focus) playButton.current?.focus();
  };

  const togglePlay = () => {
    const media = el();
    if (resumeAt !== null) play(resumeAt);
    else if (!stream.started) play(time);
    else if (media.paused || media.ended) void media.play().catch(() => undefined);
    else media.pause();
  };

  const seekTo = (target: number, announce = false) => {
    const position = Math.max(0, Math.min(duration || Infinity, target));
    setResumeAt(null);
    setTime(position);
    stream.cue(position);
    if (stream.started) el().currentTime = position;
    if (announce) setAnnouncement(t('player.announceSeek', { time: clock(position) }));
  };

  const changeVolume = (next: number, announce = false) => {
    const media = el();
    const value = Math.round(Math.max(0, Math.min(1, next)) * 100) / 100;
    media.volume = value;
    media.muted = value === 0;
    preferences.setVolume(value);
    if (announce) setAnnouncement(t('player.announceVolume', { percent: Math.round(value * 100) }));
  };

  const toggleMute = () => {
    const media = el();
    media.muted = !media.muted;
    if (!media.muted && media.volume === 0) media.volume = 0.5;
    setAnnouncement(media.muted ? t('player.announceMuted') : t('player.announceVolume', { percent: Math.round(media.volume * 100) }));
  };

  const changeRate = (next: number) => {
    const media = el();
    media.playbackRate = media.defaultPlaybackRate = next;
    preferences.setRate(next);
  };

  const chooseLevel = (index: number) => {
    setLevel(index);
    stream.setLevel(index);
  };

  const toggleAudioOnly = () => {
    const next = !audioOnly;
    setAudioOnly(next);
    preferences.setAudioOnly(next);
    setLevel(-1);
    stream.reload(next);
  };

  // The lock screen: what plays, and while a check-in waits, the question in place of the title.
  const lockTitle = checkin ? t('listening.lockScreen') : null;
  useEffect(() => {
    const media = mediaSessionOf();
    if (!media || typeof MediaMetadata === 'undefined') return;
    media.metadata = new MediaMetadata(
      lockScreenMetadata({ title, artist: session.courseTitle, artworkUrl: session.posterUrl }, lockTitle),
    );
  }, [title, session.courseTitle, session.posterUrl, lockTitle]);

  /** The lock screen's buttons act as the player's own, on whatever the player is at when pressed. */
  const lockActions = useRef({ play: () => {}, pause: () => {}, seekBy: (_seconds: number) => {}, seekTo: (_position: number) => {} });
  lockActions.current = {
    play: () => {
      const media = el();
      if (resumeAt !== null || !stream.started) play(resumeAt ?? time, false);
      else void media.play().catch(() => undefined);
    },
    pause: () => el().pause(),
    seekBy: (seconds) => seekTo((stream.started ? el().currentTime : time) + seconds),
    seekTo: (position) => seekTo(position),
  };
  useEffect(() => {
    const mediaSession = mediaSessionOf();
    const media = video.current;
    if (!mediaSession || !media) return;
    const unbind = bindLockScreen(mediaSession, {
      play: () => lockActions.current.play(),
      pause: () => lockActions.current.pause(),
      seekBy: (seconds) => lockActions.current.seekBy(seconds),
      seekTo: (position) => lockActions.current.seekTo(position),
    });
    const update = () => {
      mediaSession.playbackState = media.paused ? 'paused' : 'playing';
      showPosition(mediaSession, positionState(media.duration, media.playbackRate, media.currentTime));
    };
    const events = ['play', 'pause', 'seeked', 'ratechange', 'durationchange', 'loadedmetadata', 'ended'];
    for (const name of events) media.addEventListener(name, update);
    return () => {
      for (const name of events) media.removeEventListener(name, update);
      unbind();
      mediaSession.metadata = null;
      mediaSession.playbackState = 'none';
    };
  }, []);

  // Said once the answer to a check-in has arrived (the prompt is gone then).
  const wasAnswering = useRef(false);
  useEffect(() => {
    if (!checkin && wasAnswering.current) setAnnouncement(t('listening.answered'));
    wasAnswering.current = checkin?.answering ?? false;
  }, [checkin]);

  const canFullscreen = document.fullscreenEnabled || 'webkitEnterFullscreen' in HTMLVideoElement.prototype;
  /** The whole player (picture and controls) where the Fullscreen API exists; else the iPhone's own video full screen. */
  const enterFullscreen = () => {
    const media = video.current as WebkitVideo | null;
    if (document.fullscreenEnabled && root.current && typeof root.current.requestFullscreen === 'function') {
      void root.current.requestFullscreen().catch(() => (fullscreenByTurn.current = false));
    } else {
      try {
        media?.webkitEnterFullscreen?.();
      } catch {
        // Refused without a tap: the member can still use the full-screen button.
        fullscreenByTurn.current = false;
      }
    }
  };
  const toggleFullscreen = () => {
    fullscreenByTurn.current = false;
    if (document.fullscreenElement) void document.exitFullscreen();
    else enterFullscreen();
  };

  const perform = (action: PlayerAction) => {
    if (action.type === 'toggle') togglePlay();
    else if (action.type === 'seekBy') seekTo((stream.started ? el().currentTime : time) + action.seconds, true);
    else if (action.type === 'volumeBy') changeVolume((el().muted ? 0 : el().volume) + action.delta, true);
    else if (action.type === 'fullscreen') toggleFullscreen();
    else toggleMute();
  };

  // Shortcuts work while focus is anywhere in the player; elsewhere the page keeps its keys.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target as HTMLElement;
    if (isTyping(target)) return;
    const action = actionForKey(event.key);
    if (!action) return;
    // Sliders keep their arrows; a focused button takes Space as its own click.
    if (target.tagName === 'INPUT' && (action.type === 'seekBy' || action.type === 'volumeBy')) return;
    if (isActivatable(target) && (event.key === ' ' || event.key === 'Spacebar')) return;
    event.preventDefault();
    perform(action);
  };

  const showPoster = audioOnly && session.posterUrl;
  const isAudio = session.kind === 'audio';
  const problem = stream.problem;
  return (
    <div
      ref={root}
      class={`player${fullscreen ? ' player--fullscreen' : ''}`}
      role="region"
      aria-label={t('player.region', { title })}
      onKeyDown={onKeyDown}
    >
      {/* Focusable by click only, so that after clicking the picture the keyboard shortcuts work. */}
      <div
        class="player__stage"
        tabIndex={-1}
        onClick={(event) => {
          const target = event.target as HTMLElement;
          if (target === video.current || target.classList.contains('player__poster')) togglePlay();
        }}
      >
        {/* Inline on iPhones and in WeChat: without these the system player takes over the whole screen (and, in
            Android WeChat's X5 engine, adds its own suggestions at the end). x5-video-player-type="h5" is the
            value Tencent documents for its same-layer player; the orientation follows the phone. */}
        <video
          ref={video}
          class="player__video"
          playsInline
          webkit-playsinline="true"
          x5-playsinline="true"
          x5-video-player-type="h5"
          x5-video-orientation="landscape|portrait"
          preload="none"
          poster={session.posterUrl ?? undefined}
        />
        {showPoster && <img class="player__poster" src={session.posterUrl!} alt="" />}
        {isAudio && !session.posterUrl && (
          <p class="player__audio-card">
            <Icon name="headphones" />
            <span>{t('memberLecture.audioLecture')}</span>
          </p>
        )}
        <CaptionsOverlay captions={captions} time={time} />
        {audioOnly && <p class="player__notice">{t('player.audioOnlyNotice')}</p>}
        {playing && waiting && (
          <p class="player__buffering" role="status">
            {t('player.buffering')}
          </p>
        )}
        {problem && (
          <div class="player__overlay" role="alert">
            <p>{problem === 'errorUnsupported' ? t('memberLecture.errorUnsupported') : t(`player.${problem}`)}</p>
            {problem !== 'errorUnsupported' && (
              <button type="button" class="button button--primary" onClick={stream.retry}>
                {t('common.retry')}
              </button>
            )}
          </div>
        )}
        {!problem && resumeAt !== null && (
          <div class="player__overlay">
            <p>{t('player.resumePrompt', { time: clock(resumeAt) })}</p>
            <ChapterStopped chapters={chapters} at={resumeAt} />
            <div class="player__overlay-actions">
              <button type="button" class="button button--primary button--big" onClick={() => play(resumeAt)}>
                {t('player.resumeAt', { time: clock(resumeAt) })}
              </button>
              <button type="button" class="button button--big" onClick={() => play(0)}>
                {t('player.startOver')}
              </button>
            </div>
          </div>
        )}
        {!problem && resumeAt === null && (!stream.started || (stream.blocked && !playing)) && (
          <button type="button" class="player__big-play" onClick={() => play(time)}>
            <span class="player__big-play-icon" aria-hidden="true">
              ▶
            </span>
            {t('player.bigPlay')}
          </button>
        )}
        {next && countdown.phase === 'counting' && (
          <div class="player__overlay player__next">
            {/* Not a live region: the countdown is said once, through the player's status below. */}
            <p class="player__next-when">{t('memberLecture.nextIn', { seconds: countdown.remaining })}</p>
            <p class="player__next-title">{next.title}</p>
            <div class="player__overlay-actions">
              <button type="button" class="button button--primary" onClick={() => timer.current?.send({ type: 'now' })}>
                {t('memberLecture.playNow')}
              </button>
              <button type="button" class="button" onClick={cancelNext}>
                {t('memberLecture.cancelNext')}
              </button>
            </div>
          </div>
        )}
        {/* Always present, so that what appears in it is announced. */}
        <div class={notice ? 'player__overlay player__notice-overlay' : 'player__alert'} role="alert">
          {notice}
        </div>
      </div>
      <ControlBar
        playButton={playButton}
        playing={playing}
        time={time}
        duration={duration}
        buffered={buffered}
        volume={volume}
        muted={muted}
        rate={rate}
        levels={audioOnly ? [] : stream.levels}
        level={level}
        playingHeight={stream.playingHeight}
        audioOnlyAvailable={listenOnlyAvailable}
        audioOnly={audioOnly}
        fullscreen={fullscreen}
        canFullscreen={canFullscreen && session.kind !== 'audio'}
        onTogglePlay={togglePlay}
        onSeek={seekTo}
        onVolume={changeVolume}
        onToggleMute={toggleMute}
        onRate={changeRate}
        onLevel={chooseLevel}
        onToggleAudioOnly={toggleAudioOnly}
        onToggleFullscreen={toggleFullscreen}
        chapterMarks={<ChapterMarks chapters={chapters} duration={duration} />}
        chapters={
          <ChaptersRow
            chapters={chapters}
            time={time}
            duration={duration}
            onSeek={(sec) => (stream.started ? seekTo(sec) : play(sec, false))}
            onAnnounce={setAnnouncement}
          />
        }
        captionsMenu={<CaptionsMenu captions={captions} onAnnounce={setAnnouncement} />}
      />
      <p class="visually-hidden" role="status">
        {announcement}
      </p>
      {checkin && <CheckinPrompt view={checkin} />}
      <Transcript captions={captions} time={time} onSeek={(sec) => (stream.started ? seekTo(sec, true) : play(sec, false))} />
    </div>
  );
}
