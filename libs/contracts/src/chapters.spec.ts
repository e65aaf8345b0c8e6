import { describe, expect, it } from '@jest/globals';
import { stoppedInChapter, type LectureChapter } from './chapters.js';

const chapters: LectureChapter[] = [
  { title: '开场', startSec: 0 },
  { title: '党章总纲', startSec: 90 },
  { title: '组织制度', startSec: 750.5 },
];
const late: LectureChapter[] = [{ title: '正文', startSec: 30 }];

describe('stoppedInChapter', () => {
  it.each([
    ['the very start', chapters, 0, { number: 1, title: '开场', startSec: 0 }],
    ['inside the first chapter', chapters, 89.9, { number: 1, title: '开场', startSec: 0 }],
    ['exactly at a chapter start', chapters, 90, { number: 2, title: '党章总纲', startSec: 90 }],
    ['in the middle chapter', chapters, 600, { number: 2, title: '党章总纲', startSec: 90 }],
    ['just before a fractional start', chapters, 750.4, { number: 2, title: '党章总纲', startSec: 90 }],
    ['in the last chapter', chapters, 751, { number: 3, title: '组织制度', startSec: 750.5 }],
    ['past the end of the lecture', chapters, 99_999, { number: 3, title: '组织制度', startSec: 750.5 }],
    ['a negative position counts as the start', chapters, -5, { number: 1, title: '开场', startSec: 0 }],
    ['before the first chapter of a lecture without one at 0', late, 29, null],
    ['at the first chapter of a lecture without one at 0', late, 30, { number: 1, title: '正文', startSec: 30 }],
    ['no chapters', [], 500, null],
    ['NaN', chapters, Number.NaN, null],
    ['Infinity', chapters, Number.POSITIVE_INFINITY, null],
  ])('%s', (_name, list, position, expected) => {
    expect(stoppedInChapter(list as LectureChapter[], position as number)).toEqual(expected);
  });
});
