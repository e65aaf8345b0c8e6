import { describe, expect, it } from '@jest/globals';
import { DraftSaver, type DraftText } from './draft-saver.js';

interface Saved {
  id: string;
  text: DraftText;
}

/** A saver whose server calls are recorded and answered when the test says. */
function harness(initialId: string | null = null) {
  const calls: Array<{ kind: 'create' | 'save'; text: DraftText; resolve(): void; reject(): void }> = [];
  const states: string[] = [];
  const call = (kind: 'create' | 'save', text: DraftText) =>
    new Promise<Saved>((resolve, reject) =>
      calls.push({ kind, text, resolve: () => resolve({ id: 'r1', text }), reject: () => reject(new Error('offline')) }),
    );
  const saver = new DraftSaver<Saved>({ title: '', body: '' }, initialId, {
    limits: { title: 5, body: 10 },
    create: (text) => call('create', text),
    save: (_id, text) => call('save', text),
    onState: (state) => states.push(state),
  });
  /** Lets pending promise callbacks run. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { saver, calls, states, settle };
}

describe('DraftSaver', () => {
  it('sends nothing while nothing changed, or while a new draft is still empty', async () => {
    const { saver, calls, settle } = harness();
    await saver.flush();
    saver.change({ body: '   ' });
    void saver.flush();
    await settle();
    expect(calls).toEqual([]);
  });

  it('creates the reflection on its first save, then saves it by id', async () => {
    const { saver, calls, states, settle } = harness();
    saver.change({ body: '第一句' });
    const first = saver.flush();
    await settle();
    expect(calls.map((c) => c.kind)).toEqual(['create']);
    calls[0]!.resolve();
    await first;
    expect(saver.id).toBe('r1');
    saver.change({ body: '第一句，第二句' });
    const second = saver.flush();
    await settle();
    calls[1]!.resolve();
    await second;
    expect(calls.map((c) => [c.kind, c.text.body])).toEqual([
      ['create', '第一句'],
      ['save', '第一句，第二句'],
    ]);
    expect(states).toEqual(['saving', 'saved', 'saving', 'saved']);
  });

  it('saves one at a time, the later save sending the latest text once', async () => {
    const { saver, calls, settle } = harness('r1');
    saver.change({ body: 'a' });
    void saver.flush();
    await settle();
    saver.change({ body: 'ab' });
    void saver.flush();
    saver.change({ body: 'abc' });
    const last = saver.flush();
    await settle();
    expect(calls).toHaveLength(1);
    calls[0]!.resolve();
    await settle();
    expect(calls.map((c) => c.text.body)).toEqual(['a', 'abc']);
    calls[1]!.resolve();
    await last;
    expect(calls).toHaveLength(2);
  });

  it('tries a failed save again with the next one', async () => {
    const { saver, calls, states, settle } = harness('r1');
    saver.change({ body: 'a' });
    const failing = saver.flush();
    await settle();
    calls[0]!.reject();
    await failing;
    expect(states).toEqual(['saving', 'failed']);
    const retry = saver.flush();
    await settle();
    calls[1]!.resolve();
    await retry;
    expect(calls.map((c) => c.text.body)).toEqual(['a', 'a']);
    expect(states.at(-1)).toBe('saved');
  });

  it('sends nothing while the text is over a limit', async () => {
    const { saver, calls, settle } = harness('r1');
    saver.change({ body: 'x'.repeat(11) });
    void saver.flush();
    saver.change({ title: 'y'.repeat(6), body: 'ok' });
    void saver.flush();
    await settle();
    expect(calls).toEqual([]);
  });
});
