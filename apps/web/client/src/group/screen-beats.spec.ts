import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ScreenBeatQueue, spanSeconds, unionSpans } from './screen-beats.js';

describe('unionSpans', () => {
  it.each([
    [[[[0, 5]], [[5, 9]]], [[0, 9]]],
    [
      [
        [
          [3, 4],
          [0, 1],
        ],
      ],
      [
        [0, 1],
        [3, 4],
      ],
    ],
    [
      [
        [
          [0, 2],
          [1, 3],
        ],
        [[2.5, 2.5]],
      ],
      [[0, 3]],
    ],
    [
      [
        [
          [-1, 2],
          [5, 4],
          [Number.NaN, 3],
        ],
      ],
      [[0, 2]],
    ],
  ] as Array<[Array<Array<[number, number]>>, Array<[number, number]>]>)('%j → %j', (lists, union) =>
    expect(unionSpans(...lists)).toEqual(union),
  );

  it('covers exactly what its parts cover, sorted and apart', () => {
    const span = fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })).map(([a, b]) => [a, b] as [number, number]);
    fc.assert(
      fc.property(fc.array(span, { maxLength: 12 }), (spans) => {
        const union = unionSpans(spans);
        for (let second = 0; second < 100; second += 1) {
          const inParts = spans.some(([a, b]) => a <= second + 0.5 && second + 0.5 < b);
          const inUnion = union.some(([a, b]) => a <= second + 0.5 && second + 0.5 < b);
          expect(inUnion).toBe(inParts);
        }
        union.slice(1).forEach(([a], i) => expect(a).toBeGreaterThan(union[i]![1]));
      }),
    );
  });

  it('counts seconds once', () =>
    expect(
      spanSeconds([
        [0, 10],
        [5, 15],
        [20, 21],
      ]),
    ).toBe(16));
});

describe('ScreenBeatQueue', () => {
  it('numbers heartbeats from the seq it is given, one at a time', () => {
    const queue = new ScreenBeatQueue(7);
    queue.add([[0, 10]], 10);
    const first = queue.next();
    expect(first).toEqual({ seq: 7, intervals: [[0, 10]], position: 10 });
    queue.add([[10, 20]], 20);
    expect(queue.next()).toBeNull();
    queue.acknowledged();
    expect(queue.next()).toEqual({ seq: 8, intervals: [[10, 20]], position: 20 });
  });

  it('sends a failed heartbeat again unchanged when nothing new was played', () => {
    const queue = new ScreenBeatQueue(1);
    queue.add([[0, 10]], 10);
    const first = queue.next()!;
    queue.failed();
    expect(queue.waiting).toBe(true);
    expect(queue.next()).toBe(first);
  });

  it('merges a failed heartbeat with what played since, under the next seq', () => {
    const queue = new ScreenBeatQueue(1);
    queue.add([[0, 10]], 10);
    queue.next();
    queue.failed();
    queue.add([[10, 20]], 20);
    expect(queue.next()).toEqual({ seq: 2, intervals: [[0, 20]], position: 20 });
    queue.acknowledged();
    expect(queue.waiting).toBe(false);
  });

  it('sends an empty heartbeat when asked (the screen starts playing) and keeps the position', () => {
    const queue = new ScreenBeatQueue(1);
    queue.add([], 42);
    expect(queue.next()).toEqual({ seq: 1, intervals: [], position: 42 });
  });

  it('takes its first seq from the clock by default, growing by the second', () => {
    const at = Date.parse('2026-12-04T10:00:00Z');
    expect(ScreenBeatQueue.clockSeq(at + 1000) - ScreenBeatQueue.clockSeq(at)).toBe(1);
    expect(ScreenBeatQueue.clockSeq(at)).toBeLessThan(2 ** 31);
  });
});
