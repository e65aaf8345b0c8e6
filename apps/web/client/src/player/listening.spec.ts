import { describe, expect, it } from '@jest/globals';
import { checkinPhase, heldAfterAnswer, msUntilMissed, type HeldCheckin } from './checkin.js';
import { actionHandlers, APP_ARTWORK, bindLockScreen, lockScreenMetadata, positionState, showPosition } from './media-session.js';

const session = { sessionId: 'aaaaaaaa-0000-4000-8000-000000000001', heartbeatToken: 'token-1' };
const other = { sessionId: 'aaaaaaaa-0000-4000-8000-000000000002', heartbeatToken: 'token-2' };
const prompt = { id: 'c1', askedAt: '2026-12-04T10:00:00.000Z', answerBy: '2026-12-04T10:03:00.000Z' };
const none = new Set<string>();

describe('heldAfterAnswer', () => {
  it('holds a new check-in with its session, its token and the time given counted from when it arrived', () => {
    // This device's clock is an hour off the server's: the deadline is the 3 minutes given, from now.
    const held = heldAfterAnswer(null, prompt, session, 5_000_000, none);
    expect(held).toEqual({ ...prompt, sessionId: session.sessionId, token: 'token-1', deadlineMs: 5_000_000 + 180_000 });
  });

  it('keeps the deadline of a check-in it already holds, as every answer repeats it', () => {
    const held = heldAfterAnswer(null, prompt, session, 1_000, none)!;
    expect(heldAfterAnswer(held, prompt, session, 60_000, none)).toBe(held);
  });

  it.each<[string, Parameters<typeof heldAfterAnswer>[1], Set<string>, 'kept' | 'none' | 'new']>([
    ['an answer without one (answered, here or elsewhere)', undefined, none, 'none'],
    ['one this page has answered, from a heartbeat sent before the answer', prompt, new Set(['c1']), 'none'],
    ['the next check-in', { ...prompt, id: 'c2' }, none, 'new'],
  ])('after %s', (_case, next, answered, expected) => {
    const held = heldAfterAnswer(null, prompt, session, 1_000, none)!;
    const after = heldAfterAnswer(held, next, session, 2_000, answered);
    if (expected === 'none') expect(after).toBeNull();
    else expect(after).toMatchObject({ id: 'c2', deadlineMs: 2_000 + 180_000 });
  });

  it('keeps a check-in when an answer under another session says nothing of it', () => {
    const held = heldAfterAnswer(null, prompt, session, 1_000, none)!;
    expect(heldAfterAnswer(held, undefined, other, 2_000, none)).toBe(held);
  });

  it('is due at once when the times make no sense', () => {
    expect(heldAfterAnswer(null, { ...prompt, answerBy: 'nonsense' }, session, 7, none)?.deadlineMs).toBe(7);
  });
});

describe('checkinPhase', () => {
  const held = { deadlineMs: 10_000 } as HeldCheckin;
  it.each([
    [0, 'pending', 10_000],
    [9_999, 'pending', 1],
    [10_000, 'missed', 0],
    [50_000, 'missed', 0],
  ] as const)('at %d ms it is %s, missed in %d ms', (now, phase, left) => {
    expect(checkinPhase(held, now)).toBe(phase);
    expect(msUntilMissed(held, now)).toBe(left);
  });
});

describe('lockScreenMetadata', () => {
  const info = { title: '第一讲', artist: '党史课程', artworkUrl: null };
  it('names the lecture and its course, with the app icon when the lecture has no picture', () => {
    expect(lockScreenMetadata(info, null)).toEqual({ title: '第一讲', artist: '党史课程', album: '', artwork: APP_ARTWORK });
  });

  it('asks the question in place of the title while a check-in waits, the lecture on the next line', () => {
    expect(lockScreenMetadata({ ...info, artworkUrl: 'https://x/poster.jpg' }, '还在听吗？请打开页面确认')).toEqual({
      title: '还在听吗？请打开页面确认',
      artist: '第一讲',
      album: '党史课程',
      artwork: [{ src: 'https://x/poster.jpg' }],
    });
  });
});

describe('positionState', () => {
  it.each([
    [120, 1, 30, { duration: 120, playbackRate: 1, position: 30 }],
    [120, 1.5, 130, { duration: 120, playbackRate: 1.5, position: 120 }],
    [120, 1, -1, { duration: 120, playbackRate: 1, position: 0 }],
    [120, 1, Number.NaN, { duration: 120, playbackRate: 1, position: 0 }],
    [Number.NaN, 1, 3, null],
    [Infinity, 1, 3, null],
    [0, 1, 0, null],
    [120, 0, 3, null],
  ])('duration %d, rate %d, position %d', (duration, rate, position, expected) => {
    expect(positionState(duration, rate, position)).toEqual(expected);
  });
});

/** Enough of MediaSession for the binding: records handlers, refuses the actions it is told to. */
class FakeMediaSession {
  handlers = new Map<string, ((details: MediaSessionActionDetails) => void) | null>();
  positions: MediaPositionState[] = [];
  constructor(private readonly refused: string[] = []) {}
  setActionHandler(action: string, handler: ((details: MediaSessionActionDetails) => void) | null) {
    if (this.refused.includes(action)) throw new TypeError(`${action} is not supported`);
    this.handlers.set(action, handler);
  }
  setPositionState(state: MediaPositionState) {
    if ((state.position ?? 0) > (state.duration ?? 0)) throw new TypeError('position beyond duration');
    this.positions.push(state);
  }
}

describe('the lock screen buttons', () => {
  const calls: string[] = [];
  const handlers = {
    play: () => calls.push('play'),
    pause: () => calls.push('pause'),
    seekBy: (s: number) => calls.push(`by ${s}`),
    seekTo: (p: number) => calls.push(`to ${p}`),
  };

  it('play, pause, jump 10 s (or what the system says) and go to a point', () => {
    calls.length = 0;
    const on = actionHandlers(handlers);
    on.play!({ action: 'play' });
    on.pause!({ action: 'pause' });
    on.seekbackward!({ action: 'seekbackward' });
    on.seekforward!({ action: 'seekforward', seekOffset: 30 });
    on.seekto!({ action: 'seekto', seekTime: 42 });
    on.seekto!({ action: 'seekto' });
    expect(calls).toEqual(['play', 'pause', 'by -10', 'by 30', 'to 42']);
  });

  it('binds what the browser supports, skips what it refuses, and unbinds them all', () => {
    const fake = new FakeMediaSession(['seekto']);
    const unbind = bindLockScreen(fake as unknown as MediaSession, handlers);
    expect([...fake.handlers.keys()]).toEqual(['play', 'pause', 'seekbackward', 'seekforward']);
    unbind();
    expect([...fake.handlers.values()].every((h) => h === null)).toBe(true);
  });

  it('does nothing without a media session', () => {
    expect(() => bindLockScreen(null, handlers)()).not.toThrow();
    expect(() => showPosition(null, { duration: 1 })).not.toThrow();
  });

  it('tells the position, and survives one the browser refuses', () => {
    const fake = new FakeMediaSession();
    showPosition(fake as unknown as MediaSession, positionState(60, 1, 10));
    showPosition(fake as unknown as MediaSession, { duration: 60, position: 70 });
    showPosition(fake as unknown as MediaSession, null);
    expect(fake.positions).toEqual([{ duration: 60, playbackRate: 1, position: 10 }]);
  });
});
