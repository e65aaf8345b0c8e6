/** `[start, end)` in media seconds, the shape the heartbeat API takes. */
export type Interval = readonly [start: number, end: number];

/** A jump larger than this between two time updates was not watched, even without a seek event. */
export const MAX_STEP_SEC = 5;

/** Collects the media spans actually played, to be taken (and forgotten) by whoever reports them. */
export class PlayedSpans {
  private open: [number, number] | null = null;
  private closed: Interval[] = [];

  /** Playback reached `position` while playing. */
  advance(position: number): void {
    if (!Number.isFinite(position)) return;
    if (this.open && position >= this.open[1] && position - this.open[1] <= MAX_STEP_SEC) {
      this.open[1] = position;
      return;
    }
    this.stop();
    this.open = [position, position];
  }

  /** Playback stopped (pause, seek, end): the open span is complete. */
  stop(): void {
    if (this.open && this.open[1] > this.open[0]) this.closed.push([this.open[0], this.open[1]]);
    this.open = null;
  }

  /** Every span played since the last call; an open span continues from where it was cut. */
  take(): Interval[] {
    const spans = this.closed;
    this.closed = [];
    if (this.open && this.open[1] > this.open[0]) {
      spans.push([this.open[0], this.open[1]]);
      this.open = [this.open[1], this.open[1]];
    }
    return spans;
  }
}
