import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Countdown, countdownStep, NEXT_LECTURE_DELAY_SEC, type CountdownEvent, type CountdownState } from './next-countdown.js';

const idle: CountdownState = { phase: 'idle' };
const counting = (remaining: number): CountdownState => ({ phase: 'counting', remaining });

describe('countdownStep', () => {
  it.each<[string, CountdownState, CountdownEvent, CountdownState]>([
    ['starts at ten seconds', idle, { type: 'start' }, counting(NEXT_LECTURE_DELAY_SEC)],
    ['starts at a given length', idle, { type: 'start', seconds: 3 }, counting(3)],
    ['ignores a second start while counting', counting(4), { type: 'start' }, counting(4)],
    ['starts again after a cancel', { phase: 'cancelled' }, { type: 'start' }, counting(10)],
    ['counts one second per tick', counting(10), { type: 'tick' }, counting(9)],
    ['is done on the tick that reaches zero', counting(1), { type: 'tick' }, { phase: 'done' }],
    ['ignores ticks when idle', idle, { type: 'tick' }, idle],
    ['ignores ticks after a cancel', { phase: 'cancelled' }, { type: 'tick' }, { phase: 'cancelled' }],
    ['cancels while counting', counting(7), { type: 'cancel' }, { phase: 'cancelled' }],
    ['ignores a cancel when idle', idle, { type: 'cancel' }, idle],
    ['goes now while counting', counting(7), { type: 'now' }, { phase: 'done' }],
    ['ignores "now" after a cancel', { phase: 'cancelled' }, { type: 'now' }, { phase: 'cancelled' }],
    ['resets from anywhere', counting(3), { type: 'reset' }, idle],
  ])('%s', (_name, state, event, expected) => {
    expect(countdownStep(state, event)).toEqual(expected);
  });
});

describe('Countdown', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  const make = () => {
    const states: CountdownState[] = [];
    const done = jest.fn();
    const countdown = new Countdown((state) => states.push(state), done);
    return { countdown, states, done };
  };

  it('opens the next lecture once, ten seconds after the start', () => {
    const { countdown, states, done } = make();
    countdown.send({ type: 'start' });
    jest.advanceTimersByTime(9_000);
    expect(countdown.current).toEqual(counting(1));
    expect(done).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1_000);
    expect(done).toHaveBeenCalledTimes(1);
    expect(states.map((s) => (s.phase === 'counting' ? s.remaining : s.phase))).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 'done']);
    jest.advanceTimersByTime(30_000);
    expect(done).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('stops for good when cancelled', () => {
    const { countdown, done } = make();
    countdown.send({ type: 'start' });
    jest.advanceTimersByTime(2_000);
    countdown.send({ type: 'cancel' });
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(20_000);
    expect(done).not.toHaveBeenCalled();
    expect(countdown.current).toEqual({ phase: 'cancelled' });
  });

  it('goes at once on "now", and leaves no timer behind', () => {
    const { countdown, done } = make();
    countdown.send({ type: 'start' });
    countdown.send({ type: 'now' });
    expect(done).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('keeps no timer after dispose', () => {
    const { countdown, done } = make();
    countdown.send({ type: 'start' });
    countdown.dispose();
    jest.advanceTimersByTime(20_000);
    expect(done).not.toHaveBeenCalled();
    expect(jest.getTimerCount()).toBe(0);
  });
});
