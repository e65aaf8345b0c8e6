import type { ScreenHeartbeat } from '#contracts';

type Span = readonly [number, number];

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** Sorted union of media spans; touching ones join, empty and invalid ones are dropped. */
export function unionSpans(...lists: ReadonlyArray<readonly Span[]>): Array<[number, number]> {
  const all = lists
    .flat()
    .filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b))
    .map(([a, b]): [number, number] => [round3(Math.max(0, a)), round3(Math.max(0, b))])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const [start, end] of all) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1] + 0.001) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** Seconds covered by a union of spans. */
export const spanSeconds = (spans: readonly Span[]) => unionSpans(spans).reduce((sum, [a, b]) => sum + (b - a), 0);

/**
 * The room screen's heartbeats, one at a time. What was played is held until the server acknowledges it: a failed
 * heartbeat is sent again as it was (same seq: the server answers a replay with its stored answer) when nothing new
 * was played meanwhile, else merged with what is new under the next seq. The server credits each media second once
 * per attendee, so sending a span twice is harmless, and nothing played is lost to a network failure.
 */
export class ScreenBeatQueue {
  private seq: number;
  private held: Array<[number, number]> = [];
  private position = 0;
  private unacknowledged: ScreenHeartbeat | null = null;
  private flying = false;

  /**
   * `firstSeq`: higher than any seq this session's screen used before (a reloaded page must not reuse one); by
   * default from the clock, as one heartbeat a second at most is sent.
   */
  constructor(firstSeq = ScreenBeatQueue.clockSeq(Date.now())) {
    this.seq = firstSeq;
  }

  /** Seconds since 2024-01-01: grows faster than heartbeats are sent, and fits the server's 32-bit integer. */
  static clockSeq(nowMs: number): number {
    return Math.max(0, Math.floor(nowMs / 1000) - 1_704_067_200);
  }

  /** Spans played and the position now. */
  add(spans: readonly Span[], position: number): void {
    this.held = unionSpans(this.held, spans);
    if (Number.isFinite(position)) this.position = round3(Math.max(0, position));
  }

  /** Something played or a failed heartbeat waits to be sent. */
  get waiting(): boolean {
    return this.held.length > 0 || this.unacknowledged !== null;
  }

  /** The heartbeat to send now, or null while another is on its way. */
  next(): ScreenHeartbeat | null {
    if (this.flying) return null;
    const last = this.unacknowledged;
    let beat: ScreenHeartbeat;
    if (last && this.held.length === 0 && last.position === this.position) beat = last;
    else {
      beat = { seq: this.seq++, intervals: unionSpans(last?.intervals ?? [], this.held), position: this.position };
      this.held = [];
    }
    this.unacknowledged = beat;
    this.flying = true;
    return beat;
  }

  acknowledged(): void {
    this.unacknowledged = null;
    this.flying = false;
  }

  /** No answer, or one to retry later: the heartbeat stays to be sent again. */
  failed(): void {
    this.flying = false;
  }
}
