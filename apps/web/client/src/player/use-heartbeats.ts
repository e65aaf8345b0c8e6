import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/api.js';
import { answerCheckin as postAnswer } from '../api/listening.js';
import type { PlaybackSession } from '../api/types.js';
import { heldAfterAnswer, type HeldCheckin } from './checkin.js';
import { publishCheckin } from './checkin-channel.js';
import { browserTransport, HeartbeatReporter, type HeartbeatTransport } from './heartbeats.js';
import type { PlaybackListener } from './playback-events.js';

export interface StudyCredit {
  /** Study time credited for this lecture, as the server last said; null before it said anything. */
  creditedSec: number | null;
  completed: boolean;
  /** 409: the lecture plays on another screen now, and study time is counted there. */
  superseded: boolean;
  onPlaybackEvent: PlaybackListener;
  /** A "still listening?" check-in waiting for its answer (the player asks it; see checkin-channel). */
  checkin: HeldCheckin | null;
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
  /** Sends the member's answer to a check-in. */
  answerCheckin?: (checkin: HeldCheckin) => Promise<unknown>;
}

const sendAnswer = (checkin: HeldCheckin) => postAnswer(checkin.sessionId, checkin.id, checkin.token);

/** Study-time heartbeats for the lecture page: always under the page's current playback session. */
export function useHeartbeats({ session, reopen, transport = browserTransport, answerCheckin = sendAnswer }: Options): StudyCredit {
  const [creditedSec, setCreditedSec] = useState<number | null>(session?.creditedSec ?? null);
  const [completed, setCompleted] = useState(false);
  const [superseded, setSuperseded] = useState(false);
  const [checkin, setCheckin] = useState<HeldCheckin | null>(null);
  const [answering, setAnswering] = useState(false);
  const [failed, setFailed] = useState(false);
  const held = useRef<HeldCheckin | null>(null);
  /** Check-ins answered here: answers to heartbeats sent before that still carry them. */
  const answered = useRef(new Set<string>());
  const reporter = useRef<HeartbeatReporter | null>(null);
  const reopenRef = useRef(reopen);
  reopenRef.current = reopen;
  const lectureId = session?.lectureId ?? null;

  const credit = (sec: number) => setCreditedSec((known) => Math.max(known ?? 0, sec));
  const hold = (next: HeldCheckin | null) => {
    if (next !== held.current) setFailed(false);
    held.current = next;
    setCheckin(next);
  };

  if (session && !reporter.current) {
    reporter.current = new HeartbeatReporter(session, transport, {
      onAnswer: (answer, under) => {
        credit(answer.lectureCreditedSec);
        if (answer.completed) setCompleted(true);
        hold(heldAfterAnswer(held.current, answer.checkin, under, Date.now(), answered.current));
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

  const respond = () => {
    const asked = held.current;
    if (!asked || answering) return;
    setAnswering(true);
    setFailed(false);
    answerCheckin(asked)
      .then(() => {
        answered.current.add(asked.id);
        if (held.current?.id === asked.id) hold(null);
      })
      .catch((failure: unknown) => {
        // Refused for good (the session or the check-in is gone): nothing to answer any more; a new check-in,
        // if one is due, comes with the next heartbeat's answer. Anything else (offline): the member tries again.
        if (failure instanceof ApiError && [400, 403, 404].includes(failure.status)) {
          answered.current.add(asked.id);
          if (held.current?.id === asked.id) hold(null);
        } else setFailed(true);
      })
      .finally(() => setAnswering(false));
  };

  // The player asks the question; it hears of it through the lecture's channel.
  useEffect(() => {
    if (!lectureId) return;
    publishCheckin(lectureId, checkin ? { checkin, answering, failed, answer: respond } : null);
  }, [lectureId, checkin, answering, failed]);
  useEffect(() => {
    if (!lectureId) return;
    return () => publishCheckin(lectureId, null);
  }, [lectureId]);

  return {
    creditedSec,
    completed,
    superseded,
    checkin,
    onPlaybackEvent: (event) => reporter.current?.record(event),
    hold: () => reporter.current?.hold(),
    resume: (next) => {
      if (next) reporter.current?.setSession(next);
      else reporter.current?.release();
    },
  };
}
