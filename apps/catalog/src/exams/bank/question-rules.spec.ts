import { describe, expect, it } from '@jest/globals';
import { checkQuestion, countBlanks, type RawQuestion } from './question-rules.js';

const base: RawQuestion = {
  kind: 'single',
  stem: ' 中国共产党成立于哪一年？ ',
  options: [
    { key: 'a', text: ' 1919 ' },
    { key: 'B', text: '1921' },
  ],
  answer: { keys: ['b'] },
  points: 2,
  explanation: '',
  topic: '  ',
  courseId: null,
  lectureId: null,
  difficulty: null,
  tags: [' 党史 ', '党史', ''],
  imageId: null,
};

describe('countBlanks', () => {
  it.each([
    ['一大在____召开，时间是______年', 2],
    ['一大在（ ）召开', 1],
    ['一大在（）召开，(  )年', 2],
    ['一大在 ___ 召开', 0],
    ['(注意) 没有空', 0],
  ])('%s has %d blanks', (stem, n) => expect(countBlanks(stem)).toBe(n));
});

describe('checkQuestion', () => {
  it('tidies a valid single-choice question', () => {
    const checked = checkQuestion(base);
    expect(checked.errors).toEqual([]);
    expect(checked.question).toMatchObject({
      stem: '中国共产党成立于哪一年？',
      options: [
        { key: 'A', text: '1919' },
        { key: 'B', text: '1921' },
      ],
      answer: { keys: ['B'] },
      topic: null,
      tags: ['党史'],
    });
  });

  it.each<[string, Partial<RawQuestion>, string]>([
    ['one option', { options: [{ key: 'A', text: 'x' }], answer: { keys: ['A'] } }, 'needs at least 2 options'],
    ['two keys on single', { answer: { keys: ['A', 'B'] } }, 'exactly one correct option'],
    ['an unknown key', { answer: { keys: ['C'] } }, '"C" is not one of the options (A, B)'],
    [
      'a repeated letter',
      {
        options: [
          { key: 'A', text: 'x' },
          { key: 'a', text: 'y' },
        ],
        answer: { keys: ['A'] },
      },
      'the letter A is used twice',
    ],
    [
      'a letter past H',
      {
        options: [
          { key: 'A', text: 'x' },
          { key: 'Z', text: 'y' },
        ],
        answer: { keys: ['A'] },
      },
      '"Z" is not an option letter',
    ],
    ['no correct option on multiple', { kind: 'multiple', answer: { keys: [] } }, 'choose at least one correct option'],
    ['true/false without a value', { kind: 'true_false', options: [], answer: {} }, 'true or false'],
    ['true/false with options', { kind: 'true_false', answer: { value: true } }, 'has no options'],
    [
      'blanks that do not match the stem',
      { kind: 'fill_blank', options: [], stem: '一大在____召开', answer: { blanks: [['上海'], ['1921']] } },
      'the stem has 1 blank but the answer gives 2',
    ],
    [
      'a stem without blanks',
      { kind: 'fill_blank', options: [], stem: '一大在哪里召开', answer: { blanks: [['上海']] } },
      'mark each blank',
    ],
    [
      'a blank with no accepted answer',
      { kind: 'fill_blank', options: [], stem: '一大在____召开', answer: { blanks: [[' ']] } },
      'blank 1 has no accepted answer',
    ],
    ['zero points', { points: 0 }, 'points: give the points'],
    ['three decimals', { points: 1.005 }, 'at most two decimals'],
    ['difficulty 6', { difficulty: 6 }, 'difficulty: give a whole number from 1'],
    ['an empty stem', { stem: '  ' }, 'stem: write the question'],
  ])('refuses %s', (_name, change, message) => {
    const checked = checkQuestion({ ...base, ...change });
    expect(checked.question).toBeNull();
    expect(checked.errors.join(' | ')).toContain(message);
  });

  it('accepts points with two decimals', () => expect(checkQuestion({ ...base, points: 0.29 }).errors).toEqual([]));

  it('accepts each other kind with its own answer only', () => {
    expect(checkQuestion({ ...base, kind: 'multiple', answer: { keys: ['B', 'A'] } }).question?.answer).toEqual({ keys: ['A', 'B'] });
    expect(checkQuestion({ ...base, kind: 'true_false', options: [], answer: { value: false, keys: ['A'] } }).question?.answer).toEqual({
      value: false,
    });
    expect(
      checkQuestion({
        ...base,
        kind: 'fill_blank',
        options: [],
        stem: '（ ）年，在____',
        answer: { blanks: [['1921', '一九二一'], ['上海']] },
      }).question?.answer,
    ).toEqual({ blanks: [['1921', '一九二一'], ['上海']] });
    expect(checkQuestion({ ...base, kind: 'short_answer', options: [], answer: {} }).question?.answer).toEqual({ reference: '' });
  });
});
