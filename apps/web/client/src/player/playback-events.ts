import { PlayedSpans, type Interval } from './played-spans.js';

/**
 * `hide`/`show`: the page became hidden or visible again (tab switch, screen off). `leave`: the page is
 * being left or put away (pagehide), after which it may never run again.
 */
export type PlaybackEventType = 'play' | 'pause' | 'seek' | 'timeupdate' | 'ended' | 'hide' | 'show' | 'leave';

/** What a study-time reporter (heartbeats) needs from the player; nothing is sent from here. */
export interface PlaybackEvent {
  type: PlaybackEventType;
  /** Current media position in seconds. */
  position: number;
  /** Spans played since the previous event. */
  intervals: Interval[];
  playbackRate: number;
  muted: boolean;
  /**
   * Whether the page was visible while `intervals` were played. An event is emitted at every
   * visibility change, so the intervals of one event never mix visible and hidden playback.
   */
  visible: boolean;
  /** Sound only was playing: an audio lecture, or a video lecture in its listening mode (the audio-only rendition). */
  audio: boolean;
  /** For "seek": where playback was before the jump. */
  from?: number;
}

export type PlaybackListener = (event: PlaybackEvent) => void;

export interface ObserveOptions {
  /** Whether sound only is playing now (see PlaybackEvent.audio); video when not said. */
  audio?: () => boolean;
}

/** Turns media element events into PlaybackEvents with the intervals actually played; returns the unsubscribe. */
export function observePlayback(video: HTMLVideoElement, listener: PlaybackListener, options: ObserveOptions = {}): () => void {
  const spans = new PlayedSpans();
  let lastPosition = video.currentTime;
  let visible = document.visibilityState === 'visible';

  const emit = (type: PlaybackEventType, extra: Partial<PlaybackEvent> = {}) =>
    listener({
      type,
      position: video.currentTime,
      intervals: spans.take(),
      playbackRate: video.playbackRate,
      muted: video.muted || video.volume === 0,
      visible,
      audio: options.audio?.() ?? false,
      ...extra,
    });

  // The spans played up to the change belong to the old state; later ones to the new.
  const changeVisibility = (now: boolean) => {
    if (now === visible) return;
    if (!video.paused && !video.seeking) spans.advance(video.currentTime);
    emit(now ? 'show' : 'hide');
    visible = now;
  };
  const onVisibility = () => changeVisibility(document.visibilityState === 'visible');
  // Leaving the page (closing the tab, going elsewhere) may come without a visibility change first, or
  // after one: either way what played is reported now, since the page may never run again.
  const onPageHide = () => {
    if (!video.paused && !video.seeking) spans.advance(video.currentTime);
    emit('leave');
    visible = false;
  };
  // Back from the back/forward cache.
  const onPageShow = () => changeVisibility(document.visibilityState === 'visible');

  const handlers: Record<string, () => void> = {
    playing: () => {
      spans.advance(video.currentTime);
      emit('play');
    },
    timeupdate: () => {
      if (!video.paused && !video.seeking) spans.advance(video.currentTime);
      lastPosition = video.currentTime;
      emit('timeupdate');
    },
    seeking: () => {
      spans.stop();
      emit('seek', { from: lastPosition });
    },
    seeked: () => {
      lastPosition = video.currentTime;
      if (!video.paused) spans.advance(video.currentTime);
    },
    pause: () => {
      if (!video.seeking) spans.advance(video.currentTime);
      spans.stop();
      emit('pause');
    },
    ended: () => {
      spans.stop();
      emit('ended');
    },
  };
  for (const [name, handler] of Object.entries(handlers)) video.addEventListener(name, handler);
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('pagehide', onPageHide);
  window.addEventListener('pageshow', onPageShow);
  return () => {
    for (const [name, handler] of Object.entries(handlers)) video.removeEventListener(name, handler);
    document.removeEventListener('visibilitychange', onVisibility);
    window.removeEventListener('pagehide', onPageHide);
    window.removeEventListener('pageshow', onPageShow);
  };
}
