import { describe, expect, it } from '@jest/globals';
import type { Heartbeat } from '#watch';
import { creditSessionGroup, HeartbeatRejection, type LiveSession } from './heartbeat-batch.js';

const T0 = 1_700_000_000_000;
const session = (fields: Partial<LiveSession> = {}): LiveSession => ({
  id: 's1',
  userId: 'u1',
  lectureId: 'l1',
  durationSec: 600,
  ended: null,
  lastSeq: null,
  clockMs: T0,
  lastResponse: null,
  sessionCreditedSec: 0,
  coverage: [],
  lectureCreditedSec: 0,
  completed: false,
  position: 0,
  ...fields,
});
const beat = (seq: number, intervals: Array<[number, number]>, fields: Partial<Heartbeat> = {}): Heartbeat => ({
  sessionId: 's1',
  seq,
  intervals,
  position: intervals.at(-1)?.[1] ?? 0,
  playbackRate: 1,
  visible: true,
  muted: false,
  event: 'tick',
  ...fields,
});

describe('creditSessionGroup', () => {
  it('answers 404 to every heartbeat of an unknown session and writes nothing', () => {
    const { outcomes, write } = creditSessionGroup(undefined, [beat(1, [[0, 5]]), beat(2, [[5, 9]])], T0 + 10_000);
    expect(outcomes.map((o) => (o as HeartbeatRejection).status)).toEqual([404, 404]);
    expect(write).toBeNull();
  });

  it.each([
    ['superseded', 409, 'another screen'],
    ['deactivated', 403, 'deactivated'],
  ] as const)('answers a session ended as %s with %d and writes nothing', (ended, status, message) => {
    const { outcomes, write } = creditSessionGroup(session({ ended }), [beat(1, [[0, 5]]), beat(2, [[5, 9]])], T0 + 10_000);
    for (const outcome of outcomes) {
      expect(outcome).toBeInstanceOf(HeartbeatRejection);
      expect((outcome as HeartbeatRejection).status).toBe(status);
      expect((outcome as HeartbeatRejection).message).toContain(message);
    }
    expect(write).toBeNull();
  });

  it('credits heartbeats of one batch in turn; the first uses up the wall clock since the last accepted one', () => {
    const { outcomes, write } = creditSessionGroup(
      session({ lectureCreditedSec: 30, coverage: [[0, 30]], sessionCreditedSec: 30, lastSeq: 3 }),
      [beat(4, [[30, 38]]), beat(5, [[38, 40]])],
      T0 + 10_000,
    );
    expect(outcomes).toEqual([
      { seq: 4, creditedSec: 8, lectureCreditedSec: 38, coverageRatio: 38 / 600, completed: false, position: 38 },
      // Same server instant: no wall-clock time is left for the second one.
      { seq: 5, creditedSec: 0, lectureCreditedSec: 38, coverageRatio: 38 / 600, completed: false, position: 40 },
    ]);
    expect(write).toMatchObject({
      creditedSec: 8,
      suspicious: 0,
      before: { lastSeq: 3, lectureCreditedSec: 30 },
      after: { lastSeq: 5, lectureCreditedSec: 38, sessionCreditedSec: 38, coverage: [[0, 38]], clockMs: T0 + 10_000, position: 40 },
    });
  });

  it('answers a repeated seq with the answer it had, and a lone replay writes nothing', () => {
    const first = creditSessionGroup(session(), [beat(1, [[0, 6]]), beat(1, [[0, 6]])], T0 + 10_000);
    expect(first.outcomes[1]).toEqual(first.outcomes[0]);
    expect(first.write?.creditedSec).toBe(6);
    const later = creditSessionGroup(first.write!.after, [beat(1, [[0, 6]])], T0 + 20_000);
    expect(later.outcomes[0]).toEqual(first.outcomes[0]);
    expect(later.write).toBeNull();
  });

  it('writes an accepted heartbeat that earns nothing, so its seq, clock and position are kept', () => {
    const { outcomes, write } = creditSessionGroup(session(), [beat(1, [[0, 6]], { visible: false })], T0 + 10_000);
    expect(outcomes[0]).toMatchObject({ creditedSec: 0, position: 6 });
    expect(write).toMatchObject({ creditedSec: 0, after: { lastSeq: 1, clockMs: T0 + 10_000, position: 6 } });
  });

  it('counts claims faster than any player can play, and credits them only up to the clock', () => {
    const { outcomes, write } = creditSessionGroup(session(), [beat(1, [[0, 600]], { playbackRate: 4 })], T0 + 10_000);
    expect((outcomes[0] as { creditedSec: number }).creditedSec).toBe(11);
    expect(write?.suspicious).toBe(1);
  });

  it('never takes completion back', () => {
    const done = session({ completed: true, coverage: [[0, 580]], lectureCreditedSec: 580, durationSec: 600 });
    const { write } = creditSessionGroup({ ...done, durationSec: 1200 }, [beat(1, [[580, 590]])], T0 + 10_000);
    expect(write?.after.completed).toBe(true);
  });
});
