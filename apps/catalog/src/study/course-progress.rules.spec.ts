import { describe, expect, it } from '@jest/globals';
import { chooseContinue, courseShare, percentOf, resumePosition, type StudiedLecture } from './course-progress.rules.js';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 8, minute));
const lecture = (n: number, over: Partial<StudiedLecture> = {}): StudiedLecture => ({
  lectureId: `l${n}`,
  title: `第${n}讲`,
  durationSec: 1800,
  coveredSec: 0,
  positionSec: 0,
  completed: false,
  lastStudiedAt: null,
  ...over,
});

describe('chooseContinue', () => {
  it.each<[string, StudiedLecture[], ReturnType<typeof chooseContinue>]>([
    [
      'nothing started: lecture 1 from the start',
      [lecture(1), lecture(2)],
      { lectureId: 'l1', position: 1, title: '第1讲', positionSec: 0 },
    ],
    [
      'the unfinished lecture studied last, at its position',
      [
        lecture(1, { completed: true, lastStudiedAt: at(1) }),
        lecture(2, { lastStudiedAt: at(2), positionSec: 300 }),
        lecture(3, { lastStudiedAt: at(5), positionSec: 760.6 }),
      ],
      { lectureId: 'l3', position: 3, title: '第3讲', positionSec: 760 },
    ],
    [
      'a finished lecture studied last does not count: the latest unfinished one',
      [lecture(1, { lastStudiedAt: at(1), positionSec: 90 }), lecture(2, { completed: true, lastStudiedAt: at(9) }), lecture(3)],
      { lectureId: 'l1', position: 1, title: '第1讲', positionSec: 90 },
    ],
    [
      'only finished lectures studied: the first unfinished one from the start',
      [lecture(1, { completed: true, lastStudiedAt: at(1) }), lecture(2), lecture(3, { completed: true, lastStudiedAt: at(3) })],
      { lectureId: 'l2', position: 2, title: '第2讲', positionSec: 0 },
    ],
    [
      'stopped at the very end without finishing: from the start',
      [lecture(1, { lastStudiedAt: at(1), positionSec: 1795 })],
      { lectureId: 'l1', position: 1, title: '第1讲', positionSec: 0 },
    ],
    ['all finished: nothing to continue', [lecture(1, { completed: true, lastStudiedAt: at(1) }), lecture(2, { completed: true })], null],
    ['no lectures', [], null],
  ])('%s', (_, lectures, expected) => {
    expect(chooseContinue(lectures)).toEqual(expected);
  });
});

describe('percentOf', () => {
  it.each([
    [0, 100, 0],
    [50, 100, 50],
    [99.9, 100, 99],
    [100, 100, 100],
    [130, 100, 100],
    [10, 0, 0],
    [-5, 100, 0],
  ])('%d of %d s is %d%%', (covered, duration, expected) => {
    expect(percentOf(covered, duration)).toBe(expected);
  });
});

describe('resumePosition', () => {
  it.each([
    [0, 600, 0],
    [4.9, 600, 0],
    [5, 600, 5],
    [300.7, 600, 300],
    [595, 600, 0],
  ])('stopped at %d s of %d s resumes at %d s', (position, duration, expected) => {
    expect(resumePosition(position, duration)).toBe(expected);
  });
});

describe('courseShare', () => {
  it.each<[string, Array<{ durationSec: number; coveredSec: number; completed: boolean }>, number]>([
    ['nothing watched', [{ durationSec: 600, coveredSec: 0, completed: false }], 0],
    [
      'watched seconds over the course length, each lecture capped at its length',
      [
        { durationSec: 600, coveredSec: 900, completed: true },
        { durationSec: 900, coveredSec: 0, completed: false },
      ],
      40,
    ],
    ['not all finished never reads 100', [{ durationSec: 600, coveredSec: 600, completed: false }], 99],
    [
      'all finished reads 100 even when not every second was watched',
      [
        { durationSec: 600, coveredSec: 580, completed: true },
        { durationSec: 60, coveredSec: 58, completed: true },
      ],
      100,
    ],
    ['no lectures', [], 0],
  ])('%s', (_, lectures, expected) => {
    expect(courseShare(lectures)).toBe(expected);
  });
});
