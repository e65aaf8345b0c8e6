import { describe, expect, it } from '@jest/globals';
import { tally, tallyChoice, tallyRanking, tallyRating, tallyText, type TallyOption } from './tally.js';

const OPTIONS: TallyOption[] = [
  { id: 'a', label: 'A' },
  { id: 'b', label: 'B' },
  { id: 'o', label: 'Other', other: true },
];

describe('tallyChoice', () => {
  it.each<[string, 'single' | 'multiple', string[][], Array<string | null>, Record<string, number>, number, number]>([
    ['single: one count each', 'single', [['a'], ['a'], ['b']], [null, null, null], { a: 2, b: 1, o: 0 }, 3, 0],
    ['single: "other" with its text', 'single', [['o'], ['o'], ['a']], ['x', '  ', null], { a: 1, b: 0, o: 2 }, 3, 1],
    ['multiple: each option chosen', 'multiple', [['a', 'b'], ['b'], ['b', 'o']], [null, null, 'x'], { a: 1, b: 3, o: 1 }, 3, 1],
    [
      'unknown options and empty answers are not counted',
      'multiple',
      [['gone'], [], ['a', 'a']],
      [null, null, null],
      { a: 1, b: 0, o: 0 },
      1,
      0,
    ],
    ['nobody answered', 'single', [], [], { a: 0, b: 0, o: 0 }, 0, 0],
  ])('%s', (_name, kind, chosen, texts, counts, answered, otherTexts) => {
    const result = tallyChoice(
      kind,
      OPTIONS,
      chosen.map((optionIds, i) => ({ optionIds, text: texts[i] })),
    );
    expect(Object.fromEntries(result.options.map((o) => [o.optionId, o.count]))).toEqual(counts);
    expect(result.answered).toBe(answered);
    expect(result.otherTexts).toBe(otherTexts);
    for (const o of result.options) expect(o.share).toBeCloseTo(answered ? o.count / answered : 0, 4);
    expect(result.options.find((o) => o.optionId === 'o')?.other).toBe(true);
  });
});

describe('tallyRating', () => {
  it.each<[string, number, number, Array<number | null>, number[], number | null]>([
    ['1 to 5', 1, 5, [5, 4, 4, 3], [0, 0, 1, 2, 1], 4],
    ['0 to 3, rounded mean', 0, 3, [0, 1, 1], [1, 2, 0, 0], 0.67],
    ['off the scale and empty are not counted', 1, 5, [0, 6, null, 2.5, 2], [0, 1, 0, 0, 0], 2],
    ['nobody answered', 1, 5, [], [0, 0, 0, 0, 0], null],
  ])('%s', (_name, min, max, values, counts, mean) => {
    const result = tallyRating(
      min,
      max,
      values.map((value) => ({ value })),
    );
    expect(result.distribution.map((d) => d.count)).toEqual(counts);
    expect(result.distribution.map((d) => d.value)).toEqual(counts.map((_, i) => min + i));
    expect(result.mean).toBe(mean);
    expect(result.answered).toBe(counts.reduce((s, c) => s + c, 0));
  });
});

describe('tallyRanking', () => {
  const THREE: TallyOption[] = [
    { id: 'x', label: 'X' },
    { id: 'y', label: 'Y' },
    { id: 'z', label: 'Z' },
  ];
  it.each<[string, string[][], Array<[string, number, number | null, number]>]>([
    [
      'Borda points: first 2, second 1, last 0',
      [
        ['y', 'x', 'z'],
        ['y', 'z', 'x'],
        ['x', 'y', 'z'],
      ],
      [
        ['y', 5, 1.33, 2],
        ['x', 3, 2, 1],
        ['z', 1, 2.67, 0],
      ],
    ],
    [
      'ties keep the question’s order; unplaced options earn nothing',
      [['z'], ['x']],
      [
        ['x', 2, 1, 1],
        ['z', 2, 1, 1],
        ['y', 0, null, 0],
      ],
    ],
    [
      'unknown and repeated ids are left out',
      [['q', 'x', 'x', 'y']],
      [
        ['x', 2, 1, 1],
        ['y', 1, 2, 0],
        ['z', 0, null, 0],
      ],
    ],
  ])('%s', (_name, rankings, expected) => {
    const result = tallyRanking(
      THREE,
      rankings.map((optionIds) => ({ optionIds })),
    );
    expect(result.options.map((o) => [o.optionId, o.borda, o.averageRank, o.firstChoice])).toEqual(expected);
  });
});

describe('tally', () => {
  it.each([
    ['text counts what was written', { kind: 'text' as const, options: [] }, [{ text: 'a' }, { text: ' ' }, {}], 1],
    ['rating defaults to 1..5', { kind: 'rating' as const, options: [] }, [{ value: 5 }, { value: 9 }], 1],
    ['ranking', { kind: 'ranking' as const, options: OPTIONS }, [{ optionIds: ['a', 'b'] }], 1],
  ])('%s', (_name, question, answers, answered) => {
    expect(tally(question, answers).answered).toBe(answered);
  });
  it('text alone', () => expect(tallyText([{ text: 'x' }, { text: null }])).toEqual({ kind: 'text', answered: 1 }));
});
