import { useEffect, useRef, useState } from 'preact/hooks';
import { reportReading, reportReadingOnLeave } from '../api/material-reading.js';
import { READING_REPORT_MS, visibleSeconds } from './reader-logic.js';

/**
 * Reports reading time while the reader is on screen: once on opening (0 s, the first opening), then every
 * 30 s the seconds the page was visible since the previous report, and what is left when the page is hidden
 * or closed. The server bounds every report by its own clock. Answers the seconds credited so far.
 */
export function useReadingReports(materialId: string, enabled: boolean, page: { current: number }): number | null {
  const [secondsRead, setSecondsRead] = useState<number | null>(null);
  const state = useRef({ visibleMs: 0, visibleSince: null as number | null });

  useEffect(() => {
    if (!enabled) return;
    const s = state.current;
    const now = () => performance.now();
    s.visibleMs = 0;
    s.visibleSince = document.visibilityState === 'visible' ? now() : null;
    const take = () => {
      const t = now();
      if (s.visibleSince !== null) {
        s.visibleMs += t - s.visibleSince;
        s.visibleSince = t;
      }
      const seconds = visibleSeconds(s.visibleMs);
      s.visibleMs -= seconds * 1000;
      return seconds;
    };
    const send = (seconds: number) =>
      reportReading(materialId, { seconds, page: page.current })
        .then((answer) => setSecondsRead(answer.secondsRead))
        .catch(() => undefined);

    void send(0);
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void send(take());
    }, READING_REPORT_MS);
    const onVisibility = () => {
      if (document.visibilityState === 'visible') {
        s.visibleSince = now();
      } else {
        const seconds = take();
        s.visibleSince = null;
        if (seconds > 0) reportReadingOnLeave(materialId, { seconds, page: page.current });
      }
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
      const seconds = take();
      if (seconds > 0) reportReadingOnLeave(materialId, { seconds, page: page.current });
    };
  }, [materialId, enabled]);

  return secondsRead;
}
