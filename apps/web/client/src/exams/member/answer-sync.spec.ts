import { describe, expect, it } from '@jest/globals';
import type { AttemptPaper, AttemptResult, SaveAnswerInput, SaveAnswerResult } from '#contracts';
import { AnswerSync, type KeyValueStore, localKey, retryDelay, sameAnswer, type SyncDeps } from './answer-sync.js';

const T0 = Date.parse('2026-12-04T08:00:00Z');

function paperOf(answers: AttemptPaper['answers'] = [], serverNow = T0): AttemptPaper {
  return {
    attemptId: 'a1',
    examId: 'e1',
    title: '考试',
    number: 1,
    startedAt: new Date(T0).toISOString(),
    deadlineAt: new Date(T0 + 30 * 60_000).toISOString(),
    remainingSec: 1800,
    serverNow: new Date(serverNow).toISOString(),
    questions: [0, 1, 2].map((item) => ({ item, kind: 'single', stem: `q${item}`, options: [], blanks: 0, points: 1, imageUrl: null })),
    answers,
  };
}

class MemoryStore implements KeyValueStore {
  readonly map = new Map<string, string>();
  getItem = (key: string) => this.map.get(key) ?? null;
  setItem = (key: string, value: string) => void this.map.set(key, value);
  removeItem = (key: string) => void this.map.delete(key);
  get length() {
    return this.map.size;
  }
  key = (index: number) => [...this.map.keys()][index] ?? null;
}

/** A hand-driven world: a clock, timers that run when told, and a server that answers as the test says. */
function world(options: { clientClock?: number } = {}) {
  let now = options.clientClock ?? T0;
  const timers = new Map<number, { at: number; run: () => void }>();
  let nextTimer = 1;
  const sent: Array<{ item: number; input: SaveAnswerInput }> = [];
  let server: (item: number, input: SaveAnswerInput) => Promise<SaveAnswerResult> = async (item) => ({
    item,
    revision: sent.filter((s) => s.item === item).length,
    savedAt: new Date(now).toISOString(),
    remainingSec: 1800,
  });
  let fetched: () => Promise<AttemptPaper | AttemptResult> = async () => paperOf();
  const storage = new MemoryStore();
  const deps: SyncDeps = {
    save: (_attempt, item, input) => {
      sent.push({ item, input });
      return server(item, input);
    },
    fetchAttempt: () => fetched(),
    classify: (error) =>
      error instanceof Refusal ? { kind: 'refused', status: error.status, code: error.code, message: error.message } : { kind: 'network' },
    storage,
    now: () => now,
    setTimer: (run, ms) => {
      const id = nextTimer++;
      timers.set(id, { at: now + ms, run });
      return id;
    },
    clearTimer: (id) => void timers.delete(id as number),
  };
  /** Moves the clock on, running every timer that falls due, and lets the promises they start settle. */
  const advance = async (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = Math.max(now, due[1].at);
      due[1].run();
      for (let i = 0; i < 20; i += 1) await Promise.resolve();
    }
    now = until;
    for (let i = 0; i < 20; i += 1) await Promise.resolve();
  };
  return {
    deps,
    storage,
    sent,
    advance,
    setServer: (f: typeof server) => (server = f),
    setFetched: (f: typeof fetched) => (fetched = f),
  };
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

describe('AnswerSync', () => {
  it('saves a tap at once and typing after the pause, each time with the revision it replaces', async () => {
    const w = world();
    const sync = new AnswerSync('a1', paperOf(), w.deps);
    sync.change(0, { keys: ['A'] }, 0);
    expect(sync.item(0).status).toBe('saving');
    await w.advance(0);
    expect(w.sent).toEqual([{ item: 0, input: { answer: { keys: ['A'] }, baseRevision: 0 } }]);
    expect(sync.item(0)).toEqual({ answer: { keys: ['A'] }, revision: 1, status: 'saved' });

    sync.change(1, { text: 'a' } as never, 800);
    sync.change(1, { text: 'ab' } as never, 800);
    await w.advance(799);
    expect(w.sent).toHaveLength(1);
    await w.advance(1);
    expect(w.sent[1]).toEqual({ item: 1, input: { answer: { text: 'ab' }, baseRevision: 0 } });
    sync.change(0, { keys: ['B'] }, 0);
    await w.advance(0);
    expect(w.sent[2]).toEqual({ item: 0, input: { answer: { keys: ['B'] }, baseRevision: 1 } });
  });

  it('keeps an answer on the device while the connection is down and retries with growing pauses until it is saved', async () => {
    const w = world();
    let online = false;
    w.setServer(async (item) => {
      if (!online) throw new TypeError('Failed to fetch');
      return { item, revision: 1, savedAt: new Date().toISOString(), remainingSec: 1700 };
    });
    const sync = new AnswerSync('a1', paperOf(), w.deps);
    sync.change(2, { keys: ['C'] }, 0);
    await w.advance(0);
    expect(sync.item(2).status).toBe('unsaved');
    expect(JSON.parse(w.storage.getItem(localKey('a1', 2))!).answer).toEqual({ keys: ['C'] });
    await w.advance(retryDelay(1));
    expect(w.sent).toHaveLength(2);
    await w.advance(retryDelay(2));
    expect(w.sent).toHaveLength(3);
    online = true;
    sync.retryAll();
    await w.advance(0);
    expect(sync.item(2).status).toBe('saved');
    expect(w.storage.getItem(localKey('a1', 2))).toBeNull();
  });

  it('on reopening, sends what the device kept when it is newer than the server has, and forgets what the server already has', async () => {
    const w = world();
    w.storage.setItem(localKey('a1', 0), JSON.stringify({ answer: { keys: ['B'] }, baseRevision: 1, changedAt: T0 + 5_000 }));
    w.storage.setItem(localKey('a1', 1), JSON.stringify({ answer: { keys: ['A'] }, baseRevision: 0, changedAt: T0 + 1_000 }));
    const saved = (item: number, key: string, at: number) => ({
      item,
      answer: { keys: [key] },
      revision: 1,
      savedAt: new Date(at).toISOString(),
    });
    const sync = new AnswerSync('a1', paperOf([saved(0, 'A', T0 + 1_000), saved(1, 'D', T0 + 9_000)], T0 + 20_000), w.deps);
    expect(sync.item(0)).toMatchObject({ answer: { keys: ['B'] }, status: 'unsaved' });
    expect(sync.item(1)).toMatchObject({ answer: { keys: ['D'] }, status: 'saved' });
    expect(w.storage.getItem(localKey('a1', 1))).toBeNull();
    await w.advance(0);
    expect(w.sent).toEqual([{ item: 0, input: { answer: { keys: ['B'] }, baseRevision: 1 } }]);
  });

  it('on a stale refusal, reloads the attempt: an unsaved newer answer is sent again on the new revision', async () => {
    const w = world();
    let first = true;
    w.setServer(async (item, input) => {
      if (first) {
        first = false;
        throw new Refusal(409, 'stale');
      }
      return { item, revision: input.baseRevision + 1, savedAt: new Date().toISOString(), remainingSec: 1700 };
    });
    w.setFetched(async () => paperOf([{ item: 0, answer: { keys: ['A'] }, revision: 3, savedAt: new Date(T0 - 60_000).toISOString() }]));
    const sync = new AnswerSync('a1', paperOf(), w.deps);
    sync.change(0, { keys: ['C'] }, 0);
    await w.advance(0);
    await w.advance(0);
    expect(w.sent.map((s) => s.input.baseRevision)).toEqual([0, 3]);
    expect(sync.item(0)).toEqual({ answer: { keys: ['C'] }, revision: 4, status: 'saved' });
  });

  it('stops on another device, and hands the result over when the attempt was submitted meanwhile', async () => {
    const w = world();
    w.setServer(async () => {
      throw new Refusal(409, 'other_device');
    });
    const sync = new AnswerSync('a1', paperOf(), w.deps);
    const stops: string[] = [];
    sync.onStop((stop) => stops.push(stop.kind));
    sync.change(0, { keys: ['A'] }, 0);
    await w.advance(0);
    expect(stops).toEqual(['other_device']);

    const w2 = world();
    w2.setServer(async () => {
      throw new Refusal(409, 'time_up');
    });
    w2.setFetched(async () => ({ attemptId: 'a1', status: 'graded' }) as AttemptResult);
    const sync2 = new AnswerSync('a1', paperOf(), w2.deps);
    sync2.onStop((stop) => stops.push(stop.kind));
    sync2.change(0, { keys: ['A'] }, 0);
    await w2.advance(0);
    expect(stops).toEqual(['other_device', 'finished']);
  });

  it('counts down by the server clock, not the device clock', () => {
    // The device's clock is 10 minutes fast; the server says 30 minutes are left.
    const w = world({ clientClock: T0 + 10 * 60_000 });
    const sync = new AnswerSync('a1', paperOf(), w.deps);
    expect(sync.remainingMs()).toBe(30 * 60_000);
  });

  it('compares choices regardless of their order', () => {
    expect(sameAnswer({ keys: ['A', 'C'] }, { keys: ['C', 'A'] })).toBe(true);
    expect(sameAnswer({ keys: ['A'] }, { keys: ['C'] })).toBe(false);
    expect(retryDelay(1)).toBe(2_000);
    expect(retryDelay(10)).toBe(30_000);
  });
});
