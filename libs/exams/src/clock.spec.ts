import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { acceptsWrite, attemptDeadline, isOverdue, remainingSeconds, SUBMIT_GRACE_SECONDS } from './clock.js';

const at = (iso: string) => new Date(iso);

describe('attemptDeadline', () => {
  it.each<[string, string, number, string, string]>([
    ['the time limit ends first', '2026-03-01T09:00:00Z', 60, '2026-03-01T18:00:00Z', '2026-03-01T10:00:00.000Z'],
    ['the window closes first', '2026-03-01T17:30:00Z', 60, '2026-03-01T18:00:00Z', '2026-03-01T18:00:00.000Z'],
    ['both at once', '2026-03-01T17:00:00Z', 60, '2026-03-01T18:00:00Z', '2026-03-01T18:00:00.000Z'],
    ['a fractional limit', '2026-03-01T09:00:00Z', 1.5, '2026-03-02T00:00:00Z', '2026-03-01T09:01:30.000Z'],
    ['started with seconds to go', '2026-03-01T17:59:50Z', 45, '2026-03-01T18:00:00Z', '2026-03-01T18:00:00.000Z'],
  ])('%s', (_name, startedAt, limit, closesAt, expected) => {
    expect(attemptDeadline(at(startedAt), limit, at(closesAt)).toISOString()).toBe(expected);
  });
});

describe('remainingSeconds', () => {
  const deadline = at('2026-03-01T10:00:00Z');
  it.each<[string, string, number]>([
    ['a minute before', '2026-03-01T09:59:00Z', 60],
    ['rounded down', '2026-03-01T09:59:58.001Z', 1],
    ['less than a second', '2026-03-01T09:59:59.999Z', 0],
    ['at the deadline', '2026-03-01T10:00:00Z', 0],
    ['after the deadline never negative', '2026-03-01T10:05:00Z', 0],
  ])('%s', (_name, now, expected) => {
    expect(remainingSeconds(deadline, at(now))).toBe(expected);
  });

  it('never increases as time passes and never goes below 0', () => {
    const ms = fc.integer({ min: 0, max: 10 * 86_400_000 });
    fc.assert(
      fc.property(ms, ms, ms, (d, a, b) => {
        const [earlier, later] = a <= b ? [a, b] : [b, a];
        const deadlineAt = new Date(d);
        const first = remainingSeconds(deadlineAt, new Date(earlier));
        const second = remainingSeconds(deadlineAt, new Date(later));
        expect(second).toBeLessThanOrEqual(first);
        expect(second).toBeGreaterThanOrEqual(0);
        expect(Number.isInteger(first)).toBe(true);
      }),
    );
  });
});

describe('acceptsWrite and isOverdue', () => {
  const deadline = at('2026-03-01T10:00:00Z');
  it.each<[string, string, number | undefined, boolean, boolean]>([
    ['before the deadline', '2026-03-01T09:59:59Z', undefined, true, false],
    ['at the deadline: overdue, still accepted', '2026-03-01T10:00:00Z', undefined, true, true],
    ['inside the grace', '2026-03-01T10:00:29.999Z', undefined, true, true],
    ['at the end of the grace', '2026-03-01T10:00:30Z', undefined, true, true],
    ['just after the grace', '2026-03-01T10:00:30.001Z', undefined, false, true],
    ['long after', '2026-03-01T11:00:00Z', undefined, false, true],
    ['no grace', '2026-03-01T10:00:00.001Z', 0, false, true],
    ['a longer grace', '2026-03-01T10:00:45Z', 60, true, true],
  ])('%s', (_name, now, grace, accepted, overdue) => {
    expect(acceptsWrite(deadline, at(now), grace)).toBe(accepted);
    expect(isOverdue(deadline, at(now))).toBe(overdue);
  });

  it('the grace is 30 seconds', () => {
    expect(SUBMIT_GRACE_SECONDS).toBe(30);
  });
});
