import type { CheckinCodeView } from '#contracts';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/api.js';
import { checkinCode } from '../api/group-study.js';
import { codeRefreshDelayMs } from './group-logic.js';

/**
 * The session's current check-in code, asked for again a few seconds before it changes; after a failure, again
 * 5 s later (the code shown stays usable for one more period meanwhile). A refusal (the session ended, or is not the
 * caller's to run) stops it: the page's own refresh of the session shows why.
 */
export function useRotatingCode(sessionId: string, enabled: boolean): { code: CheckinCodeView | null; failed: boolean } {
  const [code, setCode] = useState<CheckinCodeView | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const load = async () => {
      try {
        const next = await checkinCode(sessionId);
        if (stopped) return;
        setCode(next);
        setFailed(false);
        timer = setTimeout(() => void load(), codeRefreshDelayMs(next.validUntil, Date.now(), next.periodSec));
      } catch (failure) {
        if (stopped) return;
        setFailed(true);
        const refused = failure instanceof ApiError && failure.status >= 400 && failure.status < 500 && failure.status !== 429;
        if (refused) setCode(null);
        else timer = setTimeout(() => void load(), 5000);
      }
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [sessionId, enabled]);
  return { code, failed };
}

/** Repeats `work` every `ms` while `enabled` (e.g. a live roster), without overlapping runs. */
export function useEvery(ms: number, enabled: boolean, work: () => Promise<unknown> | void): void {
  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        await work();
      } catch {
        // The next round tries again.
      }
      if (!stopped) timer = setTimeout(() => void tick(), ms);
    };
    timer = setTimeout(() => void tick(), ms);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [ms, enabled]);
}
