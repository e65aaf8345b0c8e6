import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  HeartbeatReporter,
  mergeIntervals,
  type HeartbeatAnswer,
  type HeartbeatPayload,
  type HeartbeatSession,
  type ReporterOptions,
  type SendOutcome,
} from './heartbeats.js';
import type { PlaybackEvent, PlaybackEventType } from './playback-events.js';

const first: HeartbeatSession = { sessionId: 'aaaaaaaa-0000-4000-8000-000000000001', heartbeatToken: 'token-1' };
const second: HeartbeatSession = { sessionId: 'aaaaaaaa-0000-4000-8000-000000000002', heartbeatToken: 'token-2' };

const answer = (payload: HeartbeatPayload): HeartbeatAnswer => ({
  seq: payload.seq,
  creditedSec: 1,
  lectureCreditedSec: payload.seq * 10,
  coverageRatio: 0.1,
  completed: false,
  position: payload.position,
});

class FakeTransport {
  posts: HeartbeatPayload[] = [];
  /** The keepalive flag of each post, in order. */
  keepalive: boolean[] = [];
  beacons: HeartbeatPayload[] = [];
  /** Outcomes for the next posts, in order; after them every post is answered 200. */
  next: Array<number | null> = [];

  post = (payload: HeartbeatPayload, options: { keepalive: boolean }): Promise<SendOutcome> => {
    this.posts.push(structuredClone(payload));
    this.keepalive.push(options.keepalive);
    const status = this.next.length ? this.next.shift() : 200;
    if (status === 200) return Promise.resolve({ ok: true, answer: answer(payload) });
    return Promise.resolve({ ok: false, status: status ?? null });
  };

  beacon = (payload: HeartbeatPayload): boolean => {
    this.beacons.push(structuredClone(payload));
    return true;
  };
}

const event = (
  type: PlaybackEventType,
  position: number,
  intervals: Array<[number, number]> = [],
  visible = true,
  audio = false,
): PlaybackEvent => ({
  type,
  position,
  intervals,
  playbackRate: 1,
  muted: false,
  visible,
  audio,
});

const settle = () => jest.advanceTimersByTimeAsync(0);

let transport: FakeTransport;
let answers: HeartbeatAnswer[];
/** The session each answer came under. */
let answeredUnder: string[];
let superseded: number;
let renew: jest.Mock<() => Promise<HeartbeatSession>>;

function reporter(session = first, options: Partial<ReporterOptions> = {}) {
  return new HeartbeatReporter(
    session,
    transport,
    {
      onAnswer: (a, under) => {
        answers.push(a);
        answeredUnder.push(under.heartbeatToken);
      },
      onSuperseded: () => (superseded += 1),
      renewSession: renew,
    },
    { pageVisible: () => true, ...options },
  );
}

/** Plays from `from` to `to` in quarter-second time updates, advancing the fake clock with it. */
async function play(r: HeartbeatReporter, from: number, to: number, visible = true, audio = false) {
  for (let t = from; t < to; t += 0.25) {
    await jest.advanceTimersByTimeAsync(249);
    r.record(event('timeupdate', t + 0.25, [[t, t + 0.25]], visible, audio));
    await jest.advanceTimersByTimeAsync(1);
  }
}

beforeEach(() => {
  jest.useFakeTimers();
  transport = new FakeTransport();
  answers = [];
  answeredUnder = [];
  superseded = 0;
  renew = jest.fn(() => Promise.resolve(second));
});
afterEach(() => {
  jest.useRealTimers();
});

describe('HeartbeatReporter', () => {
  it('sends a tick every 10 s of playing with what was played since the last one, seq from 1', async () => {
    const r = reporter();
    r.record(event('play', 0));
    await play(r, 0, 10);
    await settle();
    await play(r, 10, 20);
    await settle();
    expect(transport.posts.map((p) => [p.seq, p.event, p.intervals])).toEqual([
      [1, 'tick', [[0, 10]]],
      [2, 'tick', [[10, 20]]],
    ]);
    expect(transport.posts[0]).toMatchObject({
      sessionId: first.sessionId,
      token: 'token-1',
      visible: true,
      muted: false,
      playbackRate: 1,
    });
    expect(answers.map((a) => a.lectureCreditedSec)).toEqual([10, 20]);
  });

  it('reports at once on pause and ended, and stops ticking while paused', async () => {
    const r = reporter();
    r.record(event('play', 0));
    await play(r, 0, 4);
    r.record(event('pause', 4));
    await settle();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(transport.posts.map((p) => [p.seq, p.event, p.intervals, p.position])).toEqual([[1, 'pause', [[0, 4]], 4]]);
    r.record(event('play', 4));
    await play(r, 4, 6);
    r.record(event('pause', 6));
    r.record(event('ended', 6));
    await settle();
    expect(transport.posts.slice(1).map((p) => [p.seq, p.event, p.intervals])).toEqual([
      [2, 'pause', [[4, 6]]],
      [3, 'ended', []],
    ]);
  });

  it('tells the server at once when playback starts away from its resume point', async () => {
    const r = reporter({ ...first, resumePositionSec: 300 });
    r.record(event('play', 0));
    await settle();
    expect(transport.posts.map((p) => [p.seq, p.event, p.position, p.intervals])).toEqual([[1, 'seek', 0, []]]);
    const resumed = reporter({ ...second, resumePositionSec: 300 });
    resumed.record(event('play', 300));
    await settle();
    expect(transport.posts).toHaveLength(1);
  });

  it('sends one heartbeat after a burst of seeks settles', async () => {
    const r = reporter();
    r.record(event('play', 0));
    await play(r, 0, 3);
    r.record(event('seek', 13, [[0, 3]]));
    r.record(event('seek', 23));
    r.record(event('seek', 33));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(transport.posts.map((p) => [p.event, p.position, p.intervals])).toEqual([['seek', 33, [[0, 3]]]]);
  });

  it('keeps intervals through a network failure and sends them with the next heartbeat under a new seq', async () => {
    const r = reporter();
    transport.next = [null];
    r.record(event('play', 0));
    await play(r, 0, 10);
    await settle();
    await play(r, 10, 20);
    await settle();
    expect(transport.posts.map((p) => [p.seq, p.intervals])).toEqual([
      [1, [[0, 10]]],
      [2, [[0, 20]]],
    ]);
    expect(answers).toHaveLength(1);
  });

  it('retries an unchanged payload with the same seq', async () => {
    const r = reporter();
    transport.next = [503, null];
    r.record(event('play', 0));
    await play(r, 0, 5);
    r.record(event('pause', 5));
    await settle();
    await jest.advanceTimersByTimeAsync(3_000);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(transport.posts.map((p) => [p.seq, p.event, p.intervals])).toEqual([
      [1, 'pause', [[0, 5]]],
      [1, 'pause', [[0, 5]]],
      [1, 'pause', [[0, 5]]],
    ]);
    // Something new happened: new content, new seq.
    r.record(event('seek', 40));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(transport.posts.at(-1)).toMatchObject({ seq: 2, event: 'seek', position: 40, intervals: [] });
  });

  it('never reports hidden playback as visible: the visible part goes out by beacon on hide', async () => {
    const r = reporter();
    r.record(event('play', 0));
    await play(r, 0, 4);
    r.record(event('hide', 4.1, [[4, 4.1]], true));
    expect(transport.beacons).toEqual([expect.objectContaining({ seq: 1, event: 'hide', visible: true, intervals: [[0, 4.1]] })]);
    await play(r, 4.1, 9.1, false);
    r.record(event('show', 9.2, [[9.1, 9.2]], false));
    await play(r, 9.2, 10.2, true);
    await jest.advanceTimersByTimeAsync(10_000 - 6_500);
    // Hidden playback earns nothing, so with visible playback pending only the visible part is sent.
    expect(transport.posts).toHaveLength(1);
    expect(transport.posts[0]).toMatchObject({ seq: 2, visible: true });
    expect(transport.posts[0]!.intervals.every(([a]) => a >= 9.2)).toBe(true);
  });

  it('reports hidden-only playback as not visible', async () => {
    const r = reporter();
    r.record(event('play', 0));
    r.record(event('hide', 0));
    await play(r, 0, 10, false);
    await settle();
    expect(transport.posts.map((p) => [p.visible, p.intervals])).toEqual([[false, [[0, 10]]]]);
  });

  it('tells whether sound only was playing, and reports a hidden audio lecture with fetch, reading the answers', async () => {
    const r = reporter();
    r.record(event('play', 0, [], true, true));
    await play(r, 0, 4, true, true);
    r.record(event('hide', 4.1, [[4, 4.1]], true, true));
    await settle();
    // Playing on with the screen off: a keepalive fetch, whose answer (a check-in, perhaps) is read.
    expect(transport.beacons).toEqual([]);
    expect(transport.posts.map((p) => [p.event, p.visible, p.audio, p.intervals])).toEqual([['hide', true, true, [[0, 4.1]]]]);
    expect(transport.keepalive).toEqual([true]);
    await play(r, 4.1, 24.1, false, true);
    await settle();
    expect(transport.posts.slice(1).map((p) => [p.event, p.visible, p.audio])).toEqual([
      ['tick', false, true],
      ['tick', false, true],
    ]);
    // The ticks keep their 10 s beat (at 10 s and 20 s of the clock); the rest goes with the next one.
    expect(mergeIntervals(...transport.posts.slice(1).map((p) => p.intervals))).toEqual([[4.1, 20.1]]);
    expect(answers).toHaveLength(3);
    expect(answeredUnder).toEqual(['token-1', 'token-1', 'token-1']);
  });

  it('reports hidden listening on its own as soon as the page is back on screen', async () => {
    const r = reporter();
    r.record(event('play', 0, [], true, true));
    await play(r, 0, 2, true, true);
    r.record(event('hide', 2, [], true, true));
    await play(r, 2, 8, false, true);
    r.record(event('show', 8, [], false, true));
    await play(r, 8, 10, true, true);
    await settle();
    // Back on screen: what was heard hidden goes out at once, before visible playback adds up beside it.
    expect(transport.posts.map((p) => [p.event, p.visible, p.audio, p.intervals])).toEqual([
      ['hide', true, true, [[0, 2]]],
      ['tick', false, true, [[2, 8]]],
      ['tick', true, true, [[8, 10]]],
    ]);
  });

  it('sends the longest of several kinds of pending playback first, and the others right after it', async () => {
    const r = reporter();
    let release: (outcome: SendOutcome) => void = () => {};
    transport.post = (payload) => {
      transport.posts.push(structuredClone(payload));
      if (transport.posts.length === 1) return new Promise((resolve) => (release = resolve));
      return Promise.resolve({ ok: true, answer: answer(payload) });
    };
    r.record(event('play', 0, [], false, true));
    await play(r, 0, 2, false, true);
    r.flush('seek');
    // While that heartbeat is under way: a little more hidden, then longer on screen.
    await play(r, 2, 3, false, true);
    r.record(event('show', 3, [], false, true));
    await play(r, 3, 8, true, true);
    release({ ok: true, answer: answer(transport.posts[0]!) });
    await settle();
    expect(transport.posts.map((p) => [p.visible, p.intervals])).toEqual([
      [false, [[0, 2]]],
      [true, [[3, 8]]],
      [false, [[2, 3]]],
    ]);
  });

  it('still reports a paused audio lecture by beacon when the page is hidden, and always when the page is left', async () => {
    const r = reporter();
    r.record(event('play', 0, [], true, true));
    await play(r, 0, 3, true, true);
    r.record(event('pause', 3, [], true, true));
    await settle();
    r.record(event('hide', 3, [], true, true));
    r.record(event('play', 3, [], false, true));
    await play(r, 3, 5, false, true);
    r.record(event('leave', 5, [], false, true));
    expect(transport.posts.map((p) => p.event)).toEqual(['pause']);
    expect(transport.beacons.map((p) => [p.event, p.visible, p.audio, p.intervals])).toEqual([['hide', false, true, [[3, 5]]]]);
  });

  it('sends an overdue tick from the time updates when the tick timer is throttled, with all that played meanwhile', async () => {
    // A hidden page's timer firing once a minute stands in for Chromium's intensive throttling.
    const r = reporter(first, { tickMs: 60_000, overdueMs: 15_000 });
    r.record(event('play', 0, [], false, true));
    await play(r, 0, 46, false, true);
    await settle();
    // The first time update at least 15 s after the last heartbeat sends the next one.
    expect(transport.posts.map((p) => [p.event, p.intervals])).toEqual([
      ['tick', [[0, 15.25]]],
      ['tick', [[15.25, 30.25]]],
      ['tick', [[30.25, 45.25]]],
    ]);
  });

  it('reports hidden listening of more pieces than one heartbeat takes in the heartbeats that follow at once', async () => {
    const r = reporter(first, { tickMs: 60_000, overdueMs: 60_000 });
    r.record(event('play', 0, [], false, true));
    // 60 separate pieces (skipping back and forth while the screen is off).
    for (let i = 0; i < 60; i += 1) r.record(event('timeupdate', i * 10 + 1, [[i * 10, i * 10 + 1]], false, true));
    await jest.advanceTimersByTimeAsync(60_000);
    await settle();
    expect(transport.posts.map((p) => p.intervals.length)).toEqual([50, 10]);
    expect(transport.posts.every((p) => !p.visible && p.audio)).toBe(true);
  });

  it('stops for good on 409 and says so once', async () => {
    const r = reporter();
    transport.next = [409];
    r.record(event('play', 0));
    await play(r, 0, 10);
    await settle();
    await play(r, 10, 30);
    r.record(event('pause', 30));
    r.record(event('hide', 30));
    await settle();
    expect(superseded).toBe(1);
    expect(transport.posts).toHaveLength(1);
    expect(transport.beacons).toHaveLength(0);
    expect(r.stopped).toBe(true);
  });

  it('carries on ticking under a new session when the member takes the lecture back while it plays', async () => {
    const r = reporter();
    transport.next = [409];
    r.record(event('play', 0));
    await play(r, 0, 10);
    await settle();
    expect(r.stopped).toBe(true);
    r.setSession(second);
    await play(r, 10, 20);
    await settle();
    expect(transport.posts.slice(1).map((p) => [p.sessionId, p.seq, p.event])).toEqual([[second.sessionId, 1, 'tick']]);
  });

  it.each([403, 404, 410])(
    're-opens the session on %d (refused, gone, or ended by inactivity) and continues under the new one from seq 1',
    async (status) => {
      const r = reporter();
      transport.next = [status];
      r.record(event('play', 0));
      await play(r, 0, 10);
      await settle();
      await settle();
      expect(renew).toHaveBeenCalledTimes(1);
      expect(transport.posts.map((p) => [p.sessionId, p.token, p.seq, p.intervals])).toEqual([
        [first.sessionId, 'token-1', 1, [[0, 10]]],
        [second.sessionId, 'token-2', 1, [[0, 10]]],
      ]);
      await play(r, 10, 20);
      await settle();
      expect(transport.posts.at(-1)).toMatchObject({ sessionId: second.sessionId, seq: 2, intervals: [[10, 20]] });
    },
  );

  it('resends under the new session a 409 that only answers the session the page has just replaced', async () => {
    const r = reporter();
    let release: (outcome: SendOutcome) => void = () => {};
    transport.post = (payload) => {
      transport.posts.push(structuredClone(payload));
      if (transport.posts.length === 1) return new Promise((resolve) => (release = resolve));
      return Promise.resolve({ ok: true, answer: answer(payload) });
    };
    r.record(event('play', 0));
    await play(r, 0, 10);
    r.hold();
    r.setSession(second);
    release({ ok: false, status: 409 });
    await settle();
    expect(superseded).toBe(0);
    expect(transport.posts.map((p) => [p.sessionId, p.seq, p.intervals])).toEqual([
      [first.sessionId, 1, [[0, 10]]],
      [second.sessionId, 1, [[0, 10]]],
    ]);
  });

  it('says nothing when the lecture is opened and left without playing, so the saved position stays', async () => {
    const r = reporter({ ...first, resumePositionSec: 24 });
    // The element sits at 0 (or wherever the stream was cued) until playback starts.
    r.record(event('timeupdate', 0));
    r.record(event('seek', 24));
    await jest.advanceTimersByTimeAsync(1_000);
    r.record(event('hide', 0));
    r.record(event('show', 0));
    r.dispose();
    await settle();
    expect(transport.posts).toEqual([]);
    expect(transport.beacons).toEqual([]);
  });

  it('reports the position playback reached when the page is left after playing', async () => {
    const r = reporter({ ...first, resumePositionSec: 24 });
    r.record(event('play', 24));
    await play(r, 24, 27);
    r.record(event('hide', 27));
    expect(transport.beacons.map((p) => [p.event, p.position, p.intervals])).toEqual([['hide', 27, [[24, 27]]]]);
  });

  it('sends where playback got to when the player goes away with a heartbeat still under way', async () => {
    const r = reporter();
    transport.post = (payload) => {
      transport.posts.push(structuredClone(payload));
      return transport.posts.length === 1
        ? new Promise<SendOutcome>(() => undefined)
        : Promise.resolve({ ok: true, answer: answer(payload) });
    };
    r.record(event('play', 0));
    await play(r, 0, 10);
    await play(r, 10, 12);
    r.record(event('pause', 12));
    r.dispose();
    await settle();
    expect(transport.posts.map((p) => [p.seq, p.event, p.position, p.intervals])).toEqual([
      [1, 'tick', 10, [[0, 10]]],
      [2, 'pause', 12, [[10, 12]]],
    ]);
  });

  it('sends what is left when the player goes away', async () => {
    const r = reporter();
    r.record(event('play', 0));
    await play(r, 0, 3);
    r.dispose();
    await settle();
    expect(transport.posts.map((p) => [p.event, p.intervals])).toEqual([['pause', [[0, 3]]]]);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(transport.posts).toHaveLength(1);
  });
});

describe('mergeIntervals', () => {
  it('joins touching and overlapping spans and drops empty ones', () => {
    expect(
      mergeIntervals(
        [
          [0, 1],
          [1, 2],
          [5, 5],
        ],
        [
          [1.5, 3],
          [10, 12],
        ],
      ),
    ).toEqual([
      [0, 3],
      [10, 12],
    ]);
  });
});
