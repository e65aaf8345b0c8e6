/** How long the next lecture waits after the end of one, so a member can stay or go on. */
export const NEXT_LECTURE_DELAY_SEC = 10;

export type CountdownState =
  | { phase: 'idle' }
  | { phase: 'counting'; remaining: number }
  | { phase: 'cancelled' }
  /** Reached zero, or the member chose to go now: the next lecture opens. */
  | { phase: 'done' };

export type CountdownEvent =
  { type: 'start'; seconds?: number } | { type: 'tick' } | { type: 'cancel' } | { type: 'now' } | { type: 'reset' };

/** The countdown's next state; pure, one second per tick. */
export function countdownStep(state: CountdownState, event: CountdownEvent): CountdownState {
  switch (event.type) {
    case 'start':
      // A lecture that ends again (played once more after cancelling) counts down afresh.
      if (state.phase === 'counting') return state;
      return { phase: 'counting', remaining: Math.max(0, Math.round(event.seconds ?? NEXT_LECTURE_DELAY_SEC)) };
    case 'tick':
      if (state.phase !== 'counting') return state;
      return state.remaining <= 1 ? { phase: 'done' } : { phase: 'counting', remaining: state.remaining - 1 };
    case 'cancel':
      return state.phase === 'counting' ? { phase: 'cancelled' } : state;
    case 'now':
      return state.phase === 'counting' ? { phase: 'done' } : state;
    case 'reset':
      return { phase: 'idle' };
  }
}

interface Timers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/**
 * The countdown on a real clock: `onChange` hears every state, `onDone` once when the next lecture should
 * open. Nothing runs while idle or cancelled, so an abandoned page keeps no timer.
 */
export class Countdown {
  private state: CountdownState = { phase: 'idle' };
  private handle: unknown = null;

  constructor(
    private readonly onChange: (state: CountdownState) => void,
    private readonly onDone: () => void,
    private readonly timers: Timers = globalThis as unknown as Timers,
  ) {}

  get current(): CountdownState {
    return this.state;
  }

  send(event: CountdownEvent): void {
    const before = this.state;
    const after = countdownStep(before, event);
    if (after === before) return;
    this.state = after;
    if (after.phase === 'counting' && this.handle === null) {
      this.handle = this.timers.setInterval(() => this.send({ type: 'tick' }), 1000);
    }
    if (after.phase !== 'counting') this.stop();
    this.onChange(after);
    if (after.phase === 'done' && before.phase === 'counting') this.onDone();
  }

  dispose(): void {
    this.stop();
  }

  private stop(): void {
    if (this.handle === null) return;
    this.timers.clearInterval(this.handle);
    this.handle = null;
  }
}
