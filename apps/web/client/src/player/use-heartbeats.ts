import { useEffect, useRef, useState } from 'preact/hooks';
import type { PlaybackSession } from '../api/types.js';
import { browserTransport, HeartbeatReporter, type HeartbeatTransport } from './heartbeats.js';
import type { PlaybackListener } from './playback-events.js';

export interface StudyCredit {
  /** Study time credited for this lecture, as the server last said; null before it said anything. */
  creditedSec: number | null;
  completed: boolean;
  /** 409: the lecture plays on another screen now, and study time is counted there. */
  superseded: boolean;
  onPlaybackEvent: PlaybackListener;
  /** The page is about to open a new playback session: heartbeats wait for it. */
  hold(): void;
  /** The page opened a new session (or gave up: pass null) and heartbeats continue under it. */
  resume(session: PlaybackSession | null): void;
}

interface Options {
  /** The lecture page's current session (it changes when the page re-opens playback). */
  session: PlaybackSession | null;
  /** Re-opens playback through the page, which then holds the new session. */
  reopen(): Promise<PlaybackSession>;
  transport?: HeartbeatTransport;
}

/** Study-time heartbeats for the lecture page: always under the page's current playback session. */
export function useHeartbeats({ session, reopen, transport = browserTransport }: Options): StudyCredit {
  const [creditedSec, setCreditedSec] = useState<number | null>(session?.creditedSec ?? null);
  const [completed, setCompleted] = useState(false);
  const [superseded, setSuperseded] = useState(false);
  const reporter = useRef<HeartbeatReporter | null>(null);
  const reopenRef = useRef(reopen);
  reopenRef.current = reopen;

  const credit = (sec: number) => setCreditedSec((known) => Math.max(known ?? 0, sec));

  if (session && !reporter.current) {
    reporter.current = new HeartbeatReporter(session, transport, {
      onAnswer: (answer) => {
        credit(answer.lectureCreditedSec);
        if (answer.completed) setCompleted(true);
      },
      onSuperseded: () => setSuperseded(true),
      renewSession: () => reopenRef.current(),
    });
  }

  // The page re-opened playback (expired links, a refused heartbeat, or taking the lecture back).
  useEffect(() => {
    if (!session || !reporter.current) return;
    credit(session.creditedSec);
    // A session opened here is the member's current one: this screen counts again.
    setSuperseded(false);
    reporter.current.setSession(session);
  }, [session?.sessionId]);

  useEffect(() => () => reporter.current?.dispose(), []);

  return {
    creditedSec,
    completed,
    superseded,
    onPlaybackEvent: (event) => reporter.current?.record(event),
    hold: () => reporter.current?.hold(),
    resume: (next) => {
      if (next) reporter.current?.setSession(next);
      else reporter.current?.release();
    },
  };
}
