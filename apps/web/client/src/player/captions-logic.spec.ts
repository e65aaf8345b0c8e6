import { describe, expect, it } from '@jest/globals';
import type { TranscriptLine } from '../../../../../libs/media/src/captions.js';
import { chosenTrack, currentLine, followScrollTop, linkedStartSec, transcriptTrack } from './captions-logic.js';

const line = (startSec: number, endSec: number): TranscriptLine => ({ startSec, endSec, text: `${startSec}`, firstCue: 0, lastCue: 0 });
const lines = [line(1, 3), line(4, 6), line(6, 9), line(12, 14)];

describe('currentLine', () => {
  it.each<[number, number | null]>([
    [0, null],
    [1, 0],
    [2.9, 0],
    [3.5, 0],
    [4, 1],
    [6, 2],
    [10, 2],
    [13, 3],
    [100, 3],
  ])('at %s s highlights line %s', (at, expected) => {
    expect(currentLine(lines, at)).toBe(expected);
  });

  it('has nothing to highlight without lines', () => {
    expect(currentLine([], 5)).toBeNull();
  });
});

describe('chosenTrack and transcriptTrack', () => {
  it('shows the preferred language only when the lecture has it', () => {
    expect(chosenTrack(['zh-CN', 'en'], 'en')).toBe('en');
    expect(chosenTrack(['zh-CN'], 'en')).toBeNull();
    expect(chosenTrack(['zh-CN'], null)).toBeNull();
  });

  it('gives the transcript the captions showing, else the page language, else any', () => {
    expect(transcriptTrack(['zh-CN', 'en'], 'en', 'zh-CN')).toBe('en');
    expect(transcriptTrack(['zh-CN', 'en'], null, 'en')).toBe('en');
    expect(transcriptTrack(['en'], null, 'zh-CN')).toBe('en');
    expect(transcriptTrack([], null, 'zh-CN')).toBeNull();
  });
});

describe('followScrollTop', () => {
  const view = { scrollTop: 100, height: 300 };
  it('leaves the list alone while the line is in view', () => {
    expect(followScrollTop(view, { top: 100, height: 40 })).toBeNull();
    expect(followScrollTop(view, { top: 360, height: 40 })).toBeNull();
  });

  it('brings a line below or above into view a third of the way down', () => {
    expect(followScrollTop(view, { top: 380, height: 40 })).toBe(280);
    expect(followScrollTop(view, { top: 50, height: 40 })).toBe(0);
  });
});

describe('linkedStartSec', () => {
  it.each<[string, number, number | null]>([
    ['?course=c&t=192', 600, 192],
    ['?t=0', 600, 0],
    ['?course=c', 600, null],
    ['?t=-5', 600, null],
    ['?t=1e3', 600, null],
    ['?t=abc', 600, null],
    ['?t=600', 600, null],
    ['?t=30', 0, 30],
  ])('%s in a lecture of %s s starts at %s', (search, duration, expected) => {
    expect(linkedStartSec(search, duration)).toBe(expected);
  });
});
