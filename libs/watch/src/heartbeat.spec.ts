import { describe, expect, it } from '@jest/globals';
import { parseHeartbeat, type Heartbeat } from './heartbeat.js';

const good = {
  sessionId: '3F2504E0-4F89-41D3-9A0C-0305E82C3301',
  seq: 7,
  intervals: [
    [0, 4.5],
    [10, 12.25],
  ],
  position: 12.25,
  playbackRate: 1.5,
  visible: true,
  muted: true,
  event: 'tick',
};

function errorsFor(patch: Record<string, unknown>): string[] {
  const result = parseHeartbeat({ ...good, ...patch });
  return result.ok ? [] : result.errors;
}

describe('parseHeartbeat accepts', () => {
  it('a full payload, lowercasing the session id', () => {
    expect(parseHeartbeat(good)).toEqual({
      ok: true,
      value: {
        ...good,
        sessionId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
        audio: false,
      },
    });
  });

  it.each<[string, Record<string, unknown>, Partial<Heartbeat>]>([
    ['muted omitted defaults to false', { muted: undefined }, { muted: false }],
    ['audio omitted (an older player) means video', { audio: undefined }, { audio: false }],
    ['audio while hidden', { audio: true, visible: false }, { audio: true, visible: false }],
    ['no intervals (paused)', { intervals: [], event: 'pause' }, { intervals: [] }],
    ['zero-length interval', { intervals: [[5, 5]] }, { intervals: [[5, 5]] }],
    ['interval up to 24 h', { intervals: [[0, 86400]] }, { intervals: [[0, 86400]] }],
    ['50 intervals', { intervals: Array.from({ length: 50 }, (_, i) => [i, i + 1]) }, {}],
    ['seq 0', { seq: 0 }, { seq: 0 }],
    ['seq 2^31 - 1', { seq: 2 ** 31 - 1 }, { seq: 2 ** 31 - 1 }],
    ['slowest rate', { playbackRate: 0.25 }, { playbackRate: 0.25 }],
    ['fastest rate', { playbackRate: 4 }, { playbackRate: 4 }],
    ['every event', { event: 'hide', visible: false }, { event: 'hide', visible: false }],
  ])('%s', (_name, patch, expected) => {
    const result = parseHeartbeat({ ...good, ...patch });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value).toMatchObject(expected);
  });

  it('drops unknown fields instead of passing them on', () => {
    const result = parseHeartbeat({ ...good, creditedSec: 9999 });
    expect(result.ok && 'creditedSec' in result.value).toBe(false);
  });
});

describe('parseHeartbeat rejects', () => {
  it.each<[string, unknown, string[]]>([
    ['undefined body', undefined, ['body: must be a JSON object, got undefined']],
    ['null body', null, ['body: must be a JSON object, got null']],
    ['array body', [good], ['body: must be a JSON object, got an array']],
    ['string body', 'hello', ['body: must be a JSON object, got a string']],
  ])('%s', (_name, body, errors) => {
    expect(parseHeartbeat(body)).toEqual({ ok: false, errors });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['missing sessionId', { sessionId: undefined }, ['sessionId: is required']],
    ['malformed sessionId', { sessionId: 'abc' }, ['sessionId: must be a UUID string, got a malformed string']],
    ['numeric sessionId', { sessionId: 42 }, ['sessionId: must be a UUID string, got 42']],
    ['missing seq', { seq: undefined }, ['seq: is required']],
    ['seq as string', { seq: '7' }, ['seq: must be a number, got a string']],
    ['negative seq', { seq: -1 }, ['seq: must be ≥ 0, got -1']],
    ['fractional seq', { seq: 1.5 }, ['seq: must be an integer, got 1.5']],
    [
      'seq 2^31 (past the integer column)',
      { seq: 2 ** 31 },
      ['seq: must be ≤ 2147483647, got 2147483648; reopen the lecture to start a new session'],
    ],
    [
      'seq above 2^53',
      { seq: 2 ** 53 + 2 },
      ['seq: must be ≤ 2147483647, got 9007199254740994; reopen the lecture to start a new session'],
    ],
    ['seq NaN', { seq: NaN }, ['seq: must be a finite number, got NaN']],
    ['missing intervals', { intervals: undefined }, ['intervals: is required (send [] while paused)']],
    ['intervals not an array', { intervals: '0-5' }, ['intervals: must be an array of [start, end] pairs, got a string']],
    [
      'too many intervals',
      { intervals: Array.from({ length: 51 }, (_, i) => [i, i + 1]) },
      ['intervals: at most 50 intervals per heartbeat, got 51'],
    ],
    ['interval not a pair', { intervals: [[1, 2, 3]] }, ['intervals[0]: must be a [start, end] pair, got an array']],
    ['interval as object', { intervals: [{ start: 1, end: 2 }] }, ['intervals[0]: must be a [start, end] pair, got an object']],
    ['start NaN', { intervals: [[NaN, 3]] }, ['intervals[0]: start must be a finite number, got NaN']],
    ['end Infinity', { intervals: [[0, Infinity]] }, ['intervals[0]: end must be a finite number, got Infinity']],
    [
      'negative start',
      {
        intervals: [
          [0, 1],
          [-1, 3],
        ],
      },
      ['intervals[1]: start must be ≥ 0, got -1'],
    ],
    ['string endpoints', { intervals: [['0', 3]] }, ['intervals[0]: start must be a number, got a string']],
    ['null endpoint', { intervals: [[0, null]] }, ['intervals[0]: end must be a number, got null']],
    [
      'start after end',
      {
        intervals: [
          [0, 1],
          [2, 3],
          [9, 4],
        ],
      },
      ['intervals[2]: end must be ≥ start, got [9, 4]'],
    ],
    ['end past 24 h', { intervals: [[0, 86401]] }, ['intervals[0]: end must be ≤ 86400, got 86401']],
    ['end past 2^53', { intervals: [[0, 2 ** 53 + 2]] }, ['intervals[0]: end must be ≤ 86400, got 9007199254740994']],
    ['missing position', { position: undefined }, ['position: is required']],
    ['negative position', { position: -0.5 }, ['position: must be ≥ 0, got -0.5']],
    ['position Infinity', { position: Infinity }, ['position: must be a finite number, got Infinity']],
    ['rate 16', { playbackRate: 16 }, ['playbackRate: must be ≤ 4, got 16']],
    ['rate 0', { playbackRate: 0 }, ['playbackRate: must be ≥ 0.25, got 0']],
    ['rate NaN', { playbackRate: NaN }, ['playbackRate: must be a finite number, got NaN']],
    ['missing visible', { visible: undefined }, ['visible: is required']],
    ['visible as string', { visible: 'true' }, ['visible: must be true or false, got a string']],
    ['muted as number', { muted: 1 }, ['muted: must be true or false, got 1']],
    ['audio as string', { audio: 'yes' }, ['audio: must be true or false, got a string']],
    ['audio null', { audio: null }, ['audio: must be true or false, got null']],
    ['missing event', { event: undefined }, ['event: is required']],
    ['unknown event', { event: 'credit' }, ['event: must be one of tick, pause, seek, ended, hide, got "credit"']],
  ])('%s', (_name, patch, errors) => {
    expect(errorsFor(patch)).toEqual(errors);
  });

  it('lists every problem at once', () => {
    expect(parseHeartbeat({ seq: -1, intervals: [[2, 1]], playbackRate: 16 })).toEqual({
      ok: false,
      errors: [
        'sessionId: is required',
        'seq: must be ≥ 0, got -1',
        'intervals[0]: end must be ≥ start, got [2, 1]',
        'position: is required',
        'playbackRate: must be ≤ 4, got 16',
        'visible: is required',
        'event: is required',
      ],
    });
  });
});
