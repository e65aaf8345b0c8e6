import { describe, expect, it } from '@jest/globals';
import type { Interval } from '#watch';
import { progressShare, RETENTION_BUCKETS } from './activity-rollup.js';

const row = (over: Partial<Parameters<typeof progressShare>[0]>) => ({
  user_id: 'u',
  lecture_id: 'l',
  unit_id: 'o',
  course_id: 'c',
  completed: false,
  credited_sec: 0,
  covered_sec: 0,
  duration_sec: 0,
  coverage: [] as Interval[],
  media_sec: 0,
  ...over,
});

/** The buckets watched, as indexes. */
const watched = (bits: string) => [...bits].flatMap((b, i) => (b === '1' ? [i] : []));

describe('progressShare', () => {
  it.each([
    {
      what: 'the first half of a 100 s lecture',
      input: { coverage: [[0, 50]] as Interval[], media_sec: 100, covered_sec: 50, duration_sec: 100 },
      lectureRatio: 0.5,
      courseRatio: 0.5,
      buckets: Array.from({ length: 25 }, (_, i) => i),
    },
    {
      what: 'overlapping pieces measured once, coverage past the end capped at 1',
      input: {
        coverage: [
          [0, 80],
          [40, 120],
        ] as Interval[],
        media_sec: 100,
        covered_sec: 130,
        duration_sec: 100,
      },
      lectureRatio: 1,
      courseRatio: 1,
      buckets: Array.from({ length: 50 }, (_, i) => i),
    },
    {
      what: 'a piece ending at the point of a bucket leaves it unwatched (half open)',
      input: { coverage: [[0, 3]] as Interval[], media_sec: 100, covered_sec: 3, duration_sec: 100 },
      lectureRatio: 0.03,
      courseRatio: 0.03,
      buckets: [0],
    },
    {
      what: 'no media duration: no lecture coverage, every point at 0',
      input: { coverage: [[0, 5]] as Interval[], media_sec: 0, covered_sec: 5, duration_sec: 10 },
      lectureRatio: 0,
      courseRatio: 0.5,
      buckets: Array.from({ length: 50 }, (_, i) => i),
    },
    {
      what: 'a progress row without a duration leaves the course average',
      input: { coverage: [[10, 20]] as Interval[], media_sec: 40, covered_sec: 10, duration_sec: 0 },
      lectureRatio: 0.25,
      courseRatio: null,
      buckets: [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
    },
  ])('$what', ({ input, lectureRatio, courseRatio, buckets }) => {
    const share = progressShare(row(input));
    expect(share.watched).toHaveLength(RETENTION_BUCKETS);
    expect(share.lecture_ratio).toBeCloseTo(lectureRatio, 12);
    if (courseRatio === null) expect(share.course_ratio).toBeNull();
    else expect(share.course_ratio).toBeCloseTo(courseRatio, 12);
    expect(watched(share.watched)).toEqual(buckets);
  });
});
