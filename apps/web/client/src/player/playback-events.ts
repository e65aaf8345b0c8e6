import { PlayedSpans, type Interval } from './played-spans.js';

export type PlaybackEventType = 'play' | 'pause' | 'seek' | 'timeupdate' | 'ended';

/** What a study-time reporter (heartbeats) needs from the player; nothing is sent from here. */
export interface PlaybackEvent {
  type: PlaybackEventType;
  /** Current media position in seconds. */
  position: number;
  /** Spans played since the previous event. */
  intervals: Interval[];
  playbackRate: number;
  muted: boolean;
  /** Whether the page is visible right now. */
  visible: boolean;
  /** For "seek": where playback was before the jump. */
  from?: number;
}

export type PlaybackListener = (event: PlaybackEvent) => void;

/** Turns media element events into PlaybackEvents with the intervals actually played; returns the unsubscribe. */
export function observePlayback(video: HTMLVideoElement, listener: PlaybackListener): () => void {
  const spans = new PlayedSpans();
  let lastPosition = video.currentTime;

  const emit = (type: PlaybackEventType, extra: Partial<PlaybackEvent> = {}) =>
    listener({
      type,
      position: video.currentTime,
      intervals: spans.take(),
      playbackRate: video.playbackRate,
      muted: video.muted || video.volume === 0,
      visible: document.visibilityState === 'visible',
      ...extra,
    });

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
  return () => {
    for (const [name, handler] of Object.entries(handlers)) video.removeEventListener(name, handler);
  };
}
