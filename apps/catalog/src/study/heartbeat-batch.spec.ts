import { describe, expect, it } from '@jest/globals';
import { NO_CHECKIN, type Heartbeat } from '#watch';
import { creditSessionGroup, HeartbeatRejection, type LiveSession } from './heartbeat-batch.js';

const T0 = 1_700_000_000_000;
const session = (fields: Partial<LiveSession> = {}): LiveSession => ({
  id: 's1',
  userId: 'u1',
  lectureId: 'l1',
  durationSec: 600,
  ended: null,
  endedAtMs: null,
  lastSeq: null,
  seenMask: 0,
  clockMs: T0,
  carryMs: 0,
  lastResponse: null,
  sessionCreditedSec: 0,
  coverage: [],
  lectureCreditedSec: 0,
  completed: false,
  position: 0,
  checkins: NO_CHECKIN,
  checkinRange: { min: 10, max: 20 },
  stored: { checkinId: null, answeredAtMs: null },
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
  audio: false,
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
    ['superseded over 30 s ago', { ended: 'superseded', endedAtMs: T0 - 20_001 }, 409, 'another screen'],
    ['deactivated', { ended: 'deactivated', endedAtMs: T0 + 9_000 }, 403, 'deactivated'],
    ['withdrawn with its course', { ended: 'withdrawn', endedAtMs: T0 + 9_000 }, 403, 'no longer open to you'],
    ['silent for over 10 minutes', { clockMs: T0 + 10_000 - 600_001 }, 410, 'Reopen the lecture'],
  ] as const)('answers a session %s with %d and writes nothing', (_name, fields, status, message) => {
    const { outcomes, write } = creditSessionGroup(session(fields), [beat(1, [[0, 5]]), beat(2, [[5, 9]])], T0 + 10_000);
    for (const outcome of outcomes) {
      expect(outcome).toBeInstanceOf(HeartbeatRejection);
      expect((outcome as HeartbeatRejection).status).toBe(status);
      expect((outcome as HeartbeatRejection).message).toContain(message);
    }
    expect(write).toBeNull();
  });

  it('credits heartbeats of one batch in turn; what the first leaves of the wall clock goes to the next', () => {
    const { outcomes, write } = creditSessionGroup(
      session({ lectureCreditedSec: 30, coverage: [[0, 30]], sessionCreditedSec: 30, lastSeq: 3 }),
      [beat(4, [[30, 38]]), beat(5, [[38, 40]])],
      T0 + 10_000,
    );
    expect(outcomes).toEqual([
      { seq: 4, creditedSec: 8, lectureCreditedSec: 38, coverageRatio: 38 / 600, completed: false, position: 38 },
      // Same server instant: only the 2 s the first left unspent are there for the second one.
      { seq: 5, creditedSec: 2, lectureCreditedSec: 40, coverageRatio: 40 / 600, completed: false, position: 40 },
    ]);
    expect(write).toMatchObject({
      creditedSec: 10,
      suspicious: 0,
      before: { lastSeq: 3, lectureCreditedSec: 30 },
      after: {
        lastSeq: 5,
        lectureCreditedSec: 40,
        sessionCreditedSec: 40,
        coverage: [[0, 40]],
        clockMs: T0 + 10_000,
        carryMs: 0,
        position: 40,
      },
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
    expect((outcomes[0] as { creditedSec: number }).creditedSec).toBe(10);
    expect(write?.suspicious).toBe(1);
  });

  it('never takes completion back', () => {
    const done = session({ completed: true, coverage: [[0, 580]], lectureCreditedSec: 580, durationSec: 600 });
    const { write } = creditSessionGroup({ ...done, durationSec: 1200 }, [beat(1, [[580, 590]])], T0 + 10_000);
    expect(write?.after.completed).toBe(true);
  });

  it('credits a superseded session within its grace, as of the moment it was superseded, and still answers 409', () => {
    const superseded = session({ ended: 'superseded', endedAtMs: T0 + 6_000, lastSeq: 1 });
    const { outcomes, write } = creditSessionGroup(superseded, [beat(2, [[0, 18]])], T0 + 20_000);
    expect(outcomes[0]).toBeInstanceOf(HeartbeatRejection);
    expect(outcomes[0]).toMatchObject({ status: 409, message: expect.stringContaining('was counted') });
    expect(write?.after).toMatchObject({ clockMs: T0 + 6_000, lectureCreditedSec: 6 });
    expect(write?.before.endedAtMs).toBe(T0 + 6_000);
  });

  it('credits a heartbeat that arrives after a newer one, once, and keeps the newest answer for its repeats', () => {
    const { outcomes, write } = creditSessionGroup(
      session({ lastSeq: 1, carryMs: 0 }),
      [beat(3, [[10, 11]]), beat(2, [[0, 10]]), beat(2, [[0, 10]]), beat(3, [[10, 11]])],
      T0 + 20_000,
    );
    expect(outcomes.map((o) => (o as { creditedSec: number }).creditedSec)).toEqual([1, 10, 0, 1]);
    expect(outcomes[3]).toMatchObject({ seq: 3, lectureCreditedSec: 11, position: 11 });
    expect(write?.after).toMatchObject({ lastSeq: 3, seenMask: 3, lectureCreditedSec: 11, position: 11 });
  });

  it('keeps the saved position when a heartbeat played nothing', () => {
    const { outcomes, write } = creditSessionGroup(session({ position: 24 }), [beat(1, [], { position: 0, event: 'pause' })], T0 + 10_000);
    expect(outcomes[0]).toMatchObject({ position: 24 });
    expect(write?.after.position).toBe(24);
  });

  describe('listening with the screen off', () => {
    const attention = { unitMs: 1000, graceMs: 3000, drawFor: () => 0, newId: () => 'c1' };

    it('credits hidden audio like watching, and records it as audio, and sped-up credit as such', () => {
      const { outcomes, write } = creditSessionGroup(
        session(),
        [beat(1, [[0, 4]], { visible: false, audio: true }), beat(2, [[4, 8]], { playbackRate: 1.5 })],
        T0 + 10_000,
        attention,
      );
      expect(outcomes.map((o) => (o as { creditedSec: number }).creditedSec)).toEqual([4, 4]);
      expect(write).toMatchObject({ creditedSec: 8, audioSec: 4, speedupSec: 4, asked: null });
    });

    it('asks once enough has been listened to, and every answer carries the check-in until it is answered', () => {
      const { outcomes, write } = creditSessionGroup(
        session(),
        [beat(1, [[0, 6]], { visible: false, audio: true }), beat(2, [[6, 11]], { visible: false, audio: true })],
        T0 + 12_000,
        attention,
      );
      const prompt = { id: 'c1', askedAt: new Date(T0 + 12_000).toISOString(), answerBy: new Date(T0 + 15_000).toISOString() };
      expect(outcomes).toEqual([expect.objectContaining({ checkin: prompt }), expect.objectContaining({ checkin: prompt })]);
      expect(write?.asked).toEqual({ id: 'c1', askedAtMs: T0 + 12_000, answerByMs: T0 + 15_000, answeredAtMs: null });
      expect(write?.after.checkins).toMatchObject({ count: 1, listenedMs: 11_000 });
    });

    it('credits nothing hidden past the deadline, counts it as uncredited, and still credits visible video', () => {
      const asked = session({
        clockMs: T0 + 20_000,
        checkins: {
          count: 1,
          current: { id: 'c1', askedAtMs: T0 + 10_000, answerByMs: T0 + 13_000, answeredAtMs: null },
          listenedMs: 10_000,
        },
      });
      const hidden = creditSessionGroup(asked, [beat(1, [[20, 25]], { visible: false, audio: true })], T0 + 25_000, attention);
      expect(hidden.outcomes[0]).toMatchObject({ creditedSec: 0, checkin: { id: 'c1' } });
      expect(hidden.write).toMatchObject({ creditedSec: 0, uncreditedSec: 5, asked: null });
      const visible = creditSessionGroup(asked, [beat(1, [[20, 25]])], T0 + 25_000, attention);
      expect(visible.outcomes[0]).toMatchObject({ creditedSec: 5 });
    });

    it('never asks a member whose plans ask nothing', () => {
      const { outcomes, write } = creditSessionGroup(
        session({ checkinRange: null }),
        [beat(1, [[0, 30]], { visible: false, audio: true })],
        T0 + 30_000,
        attention,
      );
      expect(outcomes[0]).not.toHaveProperty('checkin');
      expect(write?.asked).toBeNull();
    });
  });
});
