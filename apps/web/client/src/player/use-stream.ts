import { useEffect, useRef, useState } from 'preact/hooks';
import type { PlaybackSession } from '../api/types.js';
import { openStream, type QualityLevel, type Stream } from './stream.js';

/** `errorUnsupported`: this browser has neither Media Source Extensions nor HLS of its own. */
export type StreamProblem = 'errorNetwork' | 'errorMedia' | 'errorExpired' | 'errorUnsupported';

export interface StreamControl {
  levels: QualityLevel[];
  /** Short side of the level playing now. */
  playingHeight: number | null;
  problem: StreamProblem | null;
  /** Segments are being fetched (the member pressed play at least once). */
  started: boolean;
  /** The browser refused to start playing without a tap (autoplay rules): the page offers its play button. */
  blocked: boolean;
  /** Plays from `positionSec` the first time, simply resumes afterwards. */
  play(positionSec: number): void;
  /** Before the first play: where playback will start. */
  cue(positionSec: number): void;
  setLevel(index: number): void;
  /** Reloads the stream (e.g. audio-only switched) keeping position and play state. */
  reload(audioOnly: boolean): void;
  /** After a problem: a fresh playback session, then carry on where playback was. */
  retry(): void;
}

interface Options {
  video: { current: HTMLVideoElement | null };
  session: PlaybackSession;
  audioOnly: boolean;
  /** Where playback starts if the member just presses play. */
  initialPosition: number;
  reopen(): Promise<PlaybackSession>;
}

/**
 * Owns the hls.js instance behind a video element: loads the playlist at once but segments only on
 * play (data is precious), switches between the full and the audio-only stream, and when the signed
 * addresses are refused or expire it opens a new playback session once, automatically.
 */
export function useStream({ video, session: initial, audioOnly: initialAudioOnly, initialPosition, reopen }: Options): StreamControl {
  const session = useRef(initial);
  const stream = useRef<Stream | null>(null);
  const generation = useRef(0);
  const audioOnly = useRef(initialAudioOnly);
  const startedRef = useRef(false);
  /** A segment of the current stream arrived, so the element's position means something. */
  const flowing = useRef(false);
  const pending = useRef<{ position: number; play: boolean }>({ position: initialPosition, play: false });
  const reopenSpent = useRef(false);
  const renewing = useRef(false);
  const [levels, setLevels] = useState<QualityLevel[]>([]);
  const [playingHeight, setPlayingHeight] = useState<number | null>(null);
  const [problem, setProblem] = useState<StreamProblem | null>(null);
  const [started, setStarted] = useState(false);
  const [blocked, setBlocked] = useState(false);

  const begin = (position: number) => {
    const el = video.current;
    if (!el || !stream.current) return;
    if (!startedRef.current) {
      startedRef.current = true;
      setStarted(true);
      pending.current = { position, play: true };
      stream.current.start(position);
    }
    el.play().then(
      () => setBlocked(false),
      (error: unknown) => setBlocked((error as { name?: string } | null)?.name === 'NotAllowedError'),
    );
  };

  const here = () => {
    const el = video.current;
    if (!el || !startedRef.current || !flowing.current) return pending.current;
    return { position: el.currentTime, play: !el.paused && !el.ended };
  };

  const load = async (where: { position: number; play: boolean }) => {
    const el = video.current;
    if (!el) return;
    const token = ++generation.current;
    stream.current?.destroy();
    stream.current = null;
    startedRef.current = false;
    flowing.current = false;
    pending.current = where;
    setLevels([]);
    setPlayingHeight(null);
    const current = session.current;
    const url = audioOnly.current && current.audioOnlyUrl ? current.audioOnlyUrl : current.masterUrl;
    const mine = () => token === generation.current;
    const opened = await openStream(el, url, {
      onLevels: (list) => mine() && setLevels(list),
      onLevelSwitched: (height) => mine() && setPlayingHeight(height),
      onExpired: () => mine() && void renew(),
      onFatal: (kind) =>
        mine() && setProblem(kind === 'network' ? 'errorNetwork' : kind === 'unsupported' ? 'errorUnsupported' : 'errorMedia'),
      onSegmentLoaded: () => {
        if (!mine()) return;
        flowing.current = true;
        // The new addresses work: a later expiry (a long lecture) may renew once more.
        if (!renewing.current) reopenSpent.current = false;
      },
    });
    if (!mine()) return opened.destroy();
    stream.current = opened;
    if (pending.current.play) begin(pending.current.position);
  };

  const renew = async () => {
    if (renewing.current) return;
    const where = here();
    if (reopenSpent.current) {
      stream.current?.destroy();
      stream.current = null;
      setProblem('errorExpired');
      return;
    }
    reopenSpent.current = true;
    renewing.current = true;
    try {
      session.current = await reopen();
      await load(where);
    } catch {
      setProblem('errorExpired');
    } finally {
      renewing.current = false;
    }
  };

  useEffect(() => {
    void load(pending.current);
    return () => {
      generation.current += 1;
      stream.current?.destroy();
      stream.current = null;
    };
  }, []);

  return {
    levels,
    playingHeight,
    problem,
    started,
    blocked,
    play(position) {
      if (stream.current) begin(position);
      else pending.current = { position, play: true };
    },
    cue(position) {
      if (!startedRef.current || !flowing.current) pending.current = { ...pending.current, position };
    },
    setLevel(index) {
      stream.current?.setLevel(index);
    },
    reload(nextAudioOnly) {
      audioOnly.current = nextAudioOnly;
      void load(here());
    },
    retry() {
      const where = { ...here(), play: true };
      setProblem(null);
      reopenSpent.current = true;
      renewing.current = true;
      reopen()
        .then((fresh) => {
          session.current = fresh;
          return load(where);
        })
        .catch(() => setProblem('errorNetwork'))
        .finally(() => (renewing.current = false));
    },
  };
}
