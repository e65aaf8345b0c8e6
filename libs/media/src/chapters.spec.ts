import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  CHAPTER_MAX_COUNT,
  CHAPTER_TITLE_MAX_CHARS,
  chapterAt,
  chapterMarkers,
  chapterSpans,
  chaptersFromProbe,
  formatChapterTime,
  parseChapterTime,
  validateChapters,
  type Chapter,
  type ChapterInput,
  type ChapterValidation,
} from './chapters.js';

function chaptersOf(result: ChapterValidation): Chapter[] {
  if (!result.ok) throw new Error(`expected chapters, got ${JSON.stringify(result.errors)}`);
  return result.chapters;
}
function errorsOf(result: ChapterValidation) {
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.chapters)}`);
  return result.errors.map((e) => [e.row, e.field, e.code, e.message]);
}

describe('formatChapterTime and parseChapterTime', () => {
  it.each<[number, string]>([
    [0, '00:00'],
    [59.999, '00:59'],
    [750, '12:30'],
    [3723.4, '1:02:03'],
    [36000, '10:00:00'],
    [-5, '00:00'],
  ])('formatChapterTime(%p) = %p', (sec, text) => {
    expect(formatChapterTime(sec)).toBe(text);
  });

  it.each<[string, number | null]>([
    ['0', 0],
    ['90', 90],
    ['12:30', 750],
    ['1:02:03', 3723],
    ['12:30.5', 750.5],
    ['12:30,25', 750.25],
    [' 05:07 ', 307],
    ['123:00', 7380],
    ['1:60:00', null],
    ['12:60', null],
    ['12:3', null],
    ['', null],
    ['abc', null],
    ['-1', null],
    ['1:2:3:4', null],
    ['12:30.1234', null],
  ])('parseChapterTime(%p) = %p', (text, sec) => {
    expect(parseChapterTime(text)).toBe(sec);
  });

  it('property: parsing a formatted whole second gives it back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 * 3600 }), (sec) => {
        expect(parseChapterTime(formatChapterTime(sec))).toBe(sec);
      }),
    );
  });
});

describe('validateChapters', () => {
  it('sorts, trims titles, collapses inner whitespace and rounds starts to the millisecond', () => {
    expect(
      chaptersOf(
        validateChapters(
          [
            { title: '  第二部分：  党的纪律 ', startSec: 750.00049 },
            { title: 'Introduction', startSec: 0 },
            { title: 'Summary\n and questions', startSec: 3599.9 },
          ],
          3600,
        ),
      ),
    ).toEqual([
      { title: 'Introduction', startSec: 0 },
      { title: '第二部分： 党的纪律', startSec: 750 },
      { title: 'Summary and questions', startSec: 3599.9 },
    ]);
  });

  it('accepts no chapters, and a list without a chapter at 0', () => {
    expect(chaptersOf(validateChapters([], 60))).toEqual([]);
    expect(chaptersOf(validateChapters([{ title: 'Later', startSec: 30 }], 60))).toEqual([{ title: 'Later', startSec: 30 }]);
  });

  it(`accepts a title of exactly ${CHAPTER_TITLE_MAX_CHARS} characters, counting CJK and emoji as one each`, () => {
    const title = '党'.repeat(CHAPTER_TITLE_MAX_CHARS - 1) + '😀';
    expect(chaptersOf(validateChapters([{ title, startSec: 0 }], 60))[0].title).toBe(title);
  });

  it('does not check the end while the duration is unknown', () => {
    expect(chaptersOf(validateChapters([{ title: 'a', startSec: 99_999 }], null))).toEqual([{ title: 'a', startSec: 99_999 }]);
    expect(chaptersOf(validateChapters([{ title: 'a', startSec: 99_999 }], NaN))).toHaveLength(1);
  });

  it.each<[string, ChapterInput[], number, Array<[number | null, string | null, string, string]>]>([
    ['an empty title', [{ title: '   ', startSec: 0 }], 60, [[0, 'title', 'title_empty', 'Chapter 1 has no title; give it a name']]],
    [
      'a title too long',
      [
        { title: 'ok', startSec: 0 },
        { title: 'x'.repeat(101), startSec: 5 },
      ],
      60,
      [[1, 'title', 'title_too_long', "Chapter 2's title has 101 characters; the limit is 100. Shorten it"]],
    ],
    [
      'a start that is not a number',
      [{ title: 'a', startSec: NaN }],
      60,
      [[0, 'startSec', 'start_invalid', 'Chapter 1 has no start time; enter one like 12:30']],
    ],
    [
      'a start before 0',
      [{ title: 'a', startSec: -1 }],
      60,
      [[0, 'startSec', 'start_negative', 'Chapter 1 starts before the lecture does; the earliest start is 00:00']],
    ],
    [
      'a start at the end',
      [{ title: 'a', startSec: 3723 }],
      3723,
      [[0, 'startSec', 'start_too_late', 'Chapter 1 starts at 1:02:03, but the lecture ends at 1:02:03; start it earlier']],
    ],
    [
      'two in the same second',
      [
        { title: 'a', startSec: 750.2 },
        { title: 'b', startSec: 10 },
        { title: 'c', startSec: 750.9 },
      ],
      3600,
      [[2, 'startSec', 'same_second', 'Chapter 3 starts at the same second (12:30) as chapter 1; move one of them']],
    ],
    [
      'problems in several rows, title and start of one row both',
      [
        { title: '', startSec: -3 },
        { title: 'fine', startSec: 1 },
        { title: 'late', startSec: 61 },
      ],
      60,
      [
        [0, 'title', 'title_empty', 'Chapter 1 has no title; give it a name'],
        [0, 'startSec', 'start_negative', 'Chapter 1 starts before the lecture does; the earliest start is 00:00'],
        [2, 'startSec', 'start_too_late', 'Chapter 3 starts at 01:01, but the lecture ends at 01:00; start it earlier'],
      ],
    ],
  ])('rejects %s', (_name, input, duration, expected) => {
    expect(errorsOf(validateChapters(input, duration))).toEqual(expected);
  });

  it(`accepts ${CHAPTER_MAX_COUNT} chapters and rejects one more`, () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => ({ title: `第${i + 1}章`, startSec: i * 10 }));
    expect(chaptersOf(validateChapters(list(CHAPTER_MAX_COUNT), 10_000))).toHaveLength(CHAPTER_MAX_COUNT);
    expect(errorsOf(validateChapters(list(CHAPTER_MAX_COUNT + 1), 10_000))).toEqual([
      [null, null, 'too_many', 'There are 201 chapters; a lecture may have at most 200. Remove some or merge short ones'],
    ]);
  });

  const inputs = fc.array(
    fc.record({
      title: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 110 }), fc.constantFrom('引言', ' 第一部分 ', '')),
      startSec: fc.oneof(fc.double({ min: -10, max: 4000, noNaN: true }), fc.integer({ min: 0, max: 3600 }), fc.constant(NaN)),
    }),
    { maxLength: 30 },
  );
  const duration = fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 3600 }), fc.double({ min: 0.5, max: 4000, noNaN: true }));

  it('property: idempotent — checking the result again gives the same chapters', () => {
    fc.assert(
      fc.property(inputs, duration, (input, d) => {
        const first = validateChapters(input, d);
        if (first.ok) expect(validateChapters(first.chapters, d)).toEqual(first);
      }),
    );
  });

  it('property: accepted chapters are sorted, in range, one per second, with tidy titles; rejected lists say which row', () => {
    fc.assert(
      fc.property(inputs, duration, (input, d) => {
        const result = validateChapters(input, d);
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const e of result.errors) expect(e.row === null || (e.row >= 0 && e.row < input.length)).toBe(true);
          return;
        }
        expect(result.chapters).toHaveLength(input.length);
        result.chapters.forEach((c, i) => {
          expect(c.startSec).toBeGreaterThanOrEqual(0);
          if (d !== null) expect(c.startSec).toBeLessThan(d);
          expect(c.title).toBe(c.title.trim());
          expect([...c.title].length).toBeGreaterThan(0);
          expect([...c.title].length).toBeLessThanOrEqual(CHAPTER_TITLE_MAX_CHARS);
          if (i > 0) expect(Math.floor(c.startSec)).toBeGreaterThan(Math.floor(result.chapters[i - 1].startSec));
        });
      }),
    );
  });
});

const LECTURE: Chapter[] = [
  { title: '引言', startSec: 5 },
  { title: '第一部分', startSec: 60 },
  { title: '第二部分', startSec: 750.5 },
];

describe('chapterAt', () => {
  it.each<[number, number | null]>([
    [0, null],
    [4.999, null],
    [5, 0],
    [59.9, 0],
    [60, 1],
    [750.4, 1],
    [750.5, 2],
    [99_999, 2],
    [Infinity, 2],
    [-Infinity, null],
    [NaN, null],
  ])('at %p s → chapter index %p', (position, index) => {
    const hit = chapterAt(LECTURE, position);
    expect(hit?.index ?? null).toBe(index);
    if (hit) expect(hit.chapter).toBe(LECTURE[hit.index]);
  });

  it('finds nothing in a lecture without chapters', () => {
    expect(chapterAt([], 10)).toBeNull();
  });

  const sortedChapters = fc
    .uniqueArray(fc.integer({ min: 0, max: 36_000 }), { maxLength: 50 })
    .map((starts) => starts.sort((a, b) => a - b).map((s, i) => ({ title: `c${i}`, startSec: s / 10 })));

  it('property: monotone in position, and agrees with a linear scan', () => {
    fc.assert(
      fc.property(
        sortedChapters,
        fc.double({ min: -10, max: 4000, noNaN: true }),
        fc.double({ min: -10, max: 4000, noNaN: true }),
        (chapters, a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const at = (p: number) => chapterAt(chapters, p)?.index ?? -1;
          expect(at(lo)).toBeLessThanOrEqual(at(hi));
          const scan = chapters.reduce((found, c, i) => (c.startSec <= lo ? i : found), -1);
          expect(at(lo)).toBe(scan);
        },
      ),
    );
  });
});

describe('chapterSpans', () => {
  it('ends each chapter where the next starts, the last at the end of the lecture', () => {
    expect(chapterSpans(LECTURE, 900)).toEqual([
      { index: 0, title: '引言', startSec: 5, endSec: 60 },
      { index: 1, title: '第一部分', startSec: 60, endSec: 750.5 },
      { index: 2, title: '第二部分', startSec: 750.5, endSec: 900 },
    ]);
  });
});

describe('chapterMarkers', () => {
  it('places chapters as fractions of the lecture', () => {
    expect(chapterMarkers([{ title: 'a', startSec: 0 }, ...LECTURE], 1000)).toEqual([
      { index: 0, fraction: 0 },
      { index: 1, fraction: 0.005 },
      { index: 2, fraction: 0.06 },
      { index: 3, fraction: 0.7505 },
    ]);
  });

  it.each<[string, number]>([
    ['unknown', NaN],
    ['zero', 0],
    ['negative', -1],
  ])('has none when the duration is %s', (_name, d) => {
    expect(chapterMarkers(LECTURE, d)).toEqual([]);
  });

  it('leaves out chapters at or after the end', () => {
    expect(chapterMarkers(LECTURE, 750.5)).toEqual([
      { index: 0, fraction: 5 / 750.5 },
      { index: 1, fraction: 60 / 750.5 },
    ]);
  });

  it('property: markers lie in [0, 1) and are sorted, one per chapter before the end', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ title: fc.constant('t'), startSec: fc.double({ min: -100, max: 5000, noNaN: true }) }), { maxLength: 40 }),
        fc.double({ min: -10, max: 4000, noNaN: true }),
        (chapters, d) => {
          const markers = chapterMarkers(chapters, d);
          markers.forEach((m, i) => {
            expect(m.fraction).toBeGreaterThanOrEqual(0);
            expect(m.fraction).toBeLessThan(1);
            if (i > 0) expect(markers[i - 1].fraction).toBeLessThanOrEqual(m.fraction);
          });
          expect(markers).toHaveLength(d > 0 ? chapters.filter((c) => c.startSec >= 0 && c.startSec < d).length : 0);
        },
      ),
    );
  });
});

// Trimmed output of `ffprobe -v error -show_chapters -print_format json` for an MP4 with a chapter track.
const FFPROBE_CHAPTERS = {
  chapters: [
    { id: 0, time_base: '1/1000', start: 0, start_time: '0.000000', end: 65000, end_time: '65.000000', tags: { title: '开场' } },
    { id: 1, time_base: '1/1000', start: 65000, start_time: '65.000000', end: 300500, end_time: '300.500000', tags: {} },
    {
      id: 2,
      time_base: '1/1000',
      start: 300500,
      start_time: '300.500000',
      end: 600000,
      end_time: '600.000000',
      tags: { TITLE: '  Q &\tA  ' },
    },
  ],
};

describe('chaptersFromProbe', () => {
  it('reads titles and starts; untitled chapters are named by their number', () => {
    expect(chaptersFromProbe(FFPROBE_CHAPTERS)).toEqual([
      { title: '开场', startSec: 0 },
      { title: 'Chapter 2', startSec: 65 },
      { title: 'Q & A', startSec: 300.5 },
    ]);
  });

  it('takes the JSON text, a name for untitled chapters, and drops chapters at or past the end', () => {
    expect(chaptersFromProbe(JSON.stringify(FFPROBE_CHAPTERS), { durationSec: 300.5, untitled: (n) => `第 ${n} 章` })).toEqual([
      { title: '开场', startSec: 0 },
      { title: '第 2 章', startSec: 65 },
    ]);
  });

  it('uses start × time_base when start_time is missing, sorts, counts negative starts as 0 and keeps one chapter per second', () => {
    const probe = {
      chapters: [
        { start: 90_000, time_base: '1/90000', tags: { title: 'one second' } },
        { start_time: '-0.5', tags: { title: 'pre-roll' } },
        { start_time: '1.4', tags: { title: 'same second as one' } },
        { start_time: 'N/A', tags: { title: 'no time' } },
        'not a chapter',
      ],
    };
    expect(chaptersFromProbe(probe)).toEqual([
      { title: 'pre-roll', startSec: 0 },
      { title: 'one second', startSec: 1 },
    ]);
  });

  it.each<[string, unknown]>([
    ['no chapters', { chapters: [] }],
    ['no chapters key', { streams: [] }],
    ['broken JSON text', '{"chapters": ['],
    ['null', null],
    ['an array', [1, 2]],
  ])('gives none for %s', (_name, probe) => {
    expect(chaptersFromProbe(probe)).toEqual([]);
  });

  it(`cuts long titles to ${CHAPTER_TITLE_MAX_CHARS} characters and keeps the first ${CHAPTER_MAX_COUNT} chapters`, () => {
    const chapters = Array.from({ length: 250 }, (_, i) => ({ start_time: String(i * 2), tags: { title: '长'.repeat(150) } }));
    const read = chaptersFromProbe({ chapters });
    expect(read).toHaveLength(CHAPTER_MAX_COUNT);
    expect(read[0].title).toBe('长'.repeat(CHAPTER_TITLE_MAX_CHARS));
    expect(read[CHAPTER_MAX_COUNT - 1].startSec).toBe((CHAPTER_MAX_COUNT - 1) * 2);
  });

  it('property: what it reads always passes validateChapters for the same duration', () => {
    const probeChapter = fc.record(
      {
        start_time: fc.oneof(fc.double({ min: -5, max: 5000, noNaN: true }).map(String), fc.constantFrom('N/A', '', 'x')),
        tags: fc.record({ title: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 120 }), fc.constant('   ')) }, { requiredKeys: [] }),
      },
      { requiredKeys: ['start_time'] },
    );
    fc.assert(
      fc.property(
        fc.array(probeChapter, { maxLength: 60 }),
        fc.oneof(fc.constant(null), fc.double({ min: 1, max: 4000, noNaN: true })),
        (chapters, d) => {
          const read = chaptersFromProbe({ chapters }, { durationSec: d });
          expect(validateChapters(read, d)).toEqual({ ok: true, chapters: read });
        },
      ),
    );
  });
});
