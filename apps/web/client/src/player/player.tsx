import { useEffect, useRef, useState } from 'preact/hooks';
import type { PlaybackSession } from '../api/types.js';
import { clock } from '../format/format.js';
import { useT } from '../i18n/use-t.js';
import { ControlBar } from './control-bar.js';
import { actionForKey, type PlayerAction } from './keys.js';
import { observePlayback, type PlaybackListener } from './playback-events.js';
import { preferences } from './preferences.js';
import { resumeOffer } from './resume.js';
import { useStream } from './use-stream.js';

export interface PlayerProps {
  session: PlaybackSession;
  /** Spoken name of the player, e.g. the lecture title. */
  title: string;
  /** Opens a fresh playback session (new signed addresses) for the same lecture. */
  reopen(): Promise<PlaybackSession>;
  /** The hook a study-time reporter (heartbeats) plugs into. */
  onPlaybackEvent?: PlaybackListener;
}

const isTyping = (el: HTMLElement) =>
  el.isContentEditable ||
  el.tagName === 'TEXTAREA' ||
  el.tagName === 'SELECT' ||
  (el.tagName === 'INPUT' && (el as HTMLInputElement).type !== 'range');
const isActivatable = (el: HTMLElement) => el.tagName === 'BUTTON' || el.tagName === 'A' || el.tagName === 'SUMMARY';

export function Player({ session, title, reopen, onPlaybackEvent }: PlayerProps) {
  const { t } = useT();
  const video = useRef<HTMLVideoElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const playButton = useRef<HTMLButtonElement>(null);
  const listener = useRef(onPlaybackEvent);
  listener.current = onPlaybackEvent;

  const [resumeAt, setResumeAt] = useState(() => resumeOffer(session.resumePositionSec, session.durationSec));
  const [audioOnly, setAudioOnly] = useState(() => preferences.audioOnly() && session.audioOnlyUrl !== null);
  const stream = useStream({ video, session, audioOnly, initialPosition: resumeAt ?? 0, reopen });

  const [playing, setPlaying] = useState(false);
  const [waiting, setWaiting] = useState(false);
  const [time, setTime] = useState(resumeAt ?? 0);
  const [duration, setDuration] = useState(session.durationSec);
  const [buffered, setBuffered] = useState(0);
  const [volume, setVolume] = useState(preferences.volume);
  const [muted, setMuted] = useState(false);
  const [rate, setRate] = useState(preferences.rate);
  const [level, setLevel] = useState(-1);
  const [fullscreen, setFullscreen] = useState(false);
  const [announcement, setAnnouncement] = useState('');

  const el = () => video.current!;

  useEffect(() => {
    const media = el();
    media.volume = volume;
    media.playbackRate = media.defaultPlaybackRate = rate;
    const onFullscreen = () => setFullscreen(document.fullscreenElement === root.current);
    document.addEventListener('fullscreenchange', onFullscreen);
    const stop = observePlayback(media, (event) => listener.current?.(event));
    return () => {
      document.removeEventListener('fullscreenchange', onFullscreen);
      stop();
    };
  }, []);

  const play = (from: number) => {
    setResumeAt(null);
    stream.play(from);
    playButton.current?.focus();
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

  const canFullscreen = document.fullscreenEnabled || 'webkitEnterFullscreen' in HTMLVideoElement.prototype;
  const toggleFullscreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else if (document.fullscreenEnabled && root.current) void root.current.requestFullscreen().catch(() => undefined);
    else (el() as HTMLVideoElement & { webkitEnterFullscreen?: () => void }).webkitEnterFullscreen?.();
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

  const onMediaTime = () => {
    const media = el();
    setTime(media.currentTime);
    const ranges = media.buffered;
    for (let i = 0; i < ranges.length; i += 1) {
      if (ranges.start(i) <= media.currentTime + 0.5 && ranges.end(i) >= media.currentTime) setBuffered(ranges.end(i));
    }
  };

  const showPoster = audioOnly && session.posterUrl;
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
        <video
          ref={video}
          class="player__video"
          playsInline
          preload="none"
          poster={session.posterUrl ?? undefined}
          onPlay={() => setPlaying(true)}
          onPause={() => setPlaying(false)}
          onEnded={() => setPlaying(false)}
          onWaiting={() => setWaiting(true)}
          onPlaying={() => setWaiting(false)}
          onCanPlay={() => setWaiting(false)}
          onTimeUpdate={onMediaTime}
          onProgress={onMediaTime}
          onDurationChange={() => Number.isFinite(el().duration) && el().duration > 0 && setDuration(el().duration)}
          onVolumeChange={() => {
            setVolume(el().volume);
            setMuted(el().muted);
          }}
          onRateChange={() => setRate(el().playbackRate)}
        />
        {showPoster && <img class="player__poster" src={session.posterUrl!} alt="" />}
        {audioOnly && <p class="player__notice">{t('player.audioOnlyNotice')}</p>}
        {playing && waiting && (
          <p class="player__buffering" role="status">
            {t('player.buffering')}
          </p>
        )}
        {problem && (
          <div class="player__overlay" role="alert">
            <p>{t(`player.${problem}`)}</p>
            <button type="button" class="button button--primary" onClick={stream.retry}>
              {t('common.retry')}
            </button>
          </div>
        )}
        {!problem && resumeAt !== null && (
          <div class="player__overlay">
            <p>{t('player.resumePrompt', { time: clock(resumeAt) })}</p>
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
        {!problem && resumeAt === null && !stream.started && (
          <button type="button" class="player__big-play" onClick={() => play(time)}>
            <span class="player__big-play-icon" aria-hidden="true">
              ▶
            </span>
            {t('player.bigPlay')}
          </button>
        )}
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
        audioOnlyAvailable={session.audioOnlyUrl !== null}
        audioOnly={audioOnly}
        fullscreen={fullscreen}
        canFullscreen={canFullscreen}
        onTogglePlay={togglePlay}
        onSeek={seekTo}
        onVolume={changeVolume}
        onToggleMute={toggleMute}
        onRate={changeRate}
        onLevel={chooseLevel}
        onToggleAudioOnly={toggleAudioOnly}
        onToggleFullscreen={toggleFullscreen}
      />
      <p class="visually-hidden" role="status">
        {announcement}
      </p>
    </div>
  );
}
