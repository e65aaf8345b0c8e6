import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { MemberAnswer, QuestionAnswerKey, QuestionKind } from '#contracts';
import { finalScore, gradeAnswer, hasPassed, normaliseBlank, percentOf, scoreAttempt, validateAnswer } from './grading.js';
import type { ItemGrade, MultipleScoring, PaperItem } from './types.js';

const OPTIONS = ['A', 'B', 'C', 'D', 'E'].map((key) => ({ key, text: `option ${key}` }));

function item(kind: QuestionKind, key: QuestionAnswerKey, points = 4): PaperItem {
  return {
    questionId: `q-${kind}`,
    kind,
    stem: 'stem',
    options: kind === 'single' || kind === 'multiple' ? OPTIONS : [],
    key,
    points,
    explanation: 'why',
    imageId: null,
    topic: null,
    courseId: null,
    lectureId: null,
  };
}

const single = item('single', { keys: ['B'] });
const multiple = item('multiple', { keys: ['A', 'C', 'D'] }, 3);
const trueFalse = item('true_false', { value: false });
const fillBlank = item('fill_blank', { blanks: [['北京', '北京市'], ['1921'], ['Mao Zedong', '毛泽东']] }, 5);
const shortAnswer = item('short_answer', { reference: 'Mentions the three causes.' }, 10);

describe('normaliseBlank', () => {
  it.each<[string, string, string]>([
    ['full-width digits and letters become half-width', 'ＡＢＣ１２３', 'abc123'],
    ['trims and collapses inner whitespace (including the ideographic space)', '  Mao \u3000  Zedong\t', 'mao zedong'],
    ['lower-cases Latin', 'Beijing', 'beijing'],
    ['full-width punctuation becomes ASCII', '（一），二：三', '(一),二:三'],
    ['Chinese characters are kept', '北京市', '北京市'],
    ['the ideographic full stop is not an ASCII full stop', '完。', '完。'],
    ['empty stays empty', '   ', ''],
  ])('%s', (_name, input, expected) => {
    expect(normaliseBlank(input)).toBe(expected);
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(normaliseBlank(normaliseBlank(text))).toBe(normaliseBlank(text));
      }),
    );
  });
});

describe('validateAnswer', () => {
  it.each<[string, PaperItem, unknown, MemberAnswer]>([
    ['single: one existing key', single, { keys: ['C'] }, { keys: ['C'] }],
    ['multiple: keys stored sorted', multiple, { keys: ['D', 'A'] }, { keys: ['A', 'D'] }],
    ['multiple: one key is enough', multiple, { keys: ['E'] }, { keys: ['E'] }],
    ['true_false', trueFalse, { value: true }, { value: true }],
    ['fill_blank: one text per blank, empty allowed', fillBlank, { blanks: ['北京', '', 'x'] }, { blanks: ['北京', '', 'x'] }],
    ['short_answer', shortAnswer, { text: 'Because.' }, { text: 'Because.' }],
    ['short_answer: empty text', shortAnswer, { text: '' }, { text: '' }],
    ['extra fields are dropped', single, { keys: ['A'], value: true, note: 'x' }, { keys: ['A'] }],
    ['fill_blank at the 500 character limit', fillBlank, { blanks: ['a'.repeat(500), '', ''] }, { blanks: ['a'.repeat(500), '', ''] }],
    ['short_answer at the 10,000 character limit', shortAnswer, { text: '字'.repeat(10_000) }, { text: '字'.repeat(10_000) }],
  ])('accepts %s', (_name, paperItem, answer, expected) => {
    expect(validateAnswer(paperItem, answer)).toEqual({ ok: true, answer: expected });
  });

  it.each<[string, PaperItem, unknown, RegExp]>([
    ['not an object', single, 'B', /^Send the answer as an object/],
    ['null', single, null, /^Send the answer as an object/],
    ['an array', multiple, ['A'], /^Send the answer as an object/],
    ['single: two keys', single, { keys: ['A', 'B'] }, /exactly one of the keys A, B, C, D, E/],
    ['single: no keys', single, { keys: [] }, /exactly one of the keys/],
    ['single: a key that is not an option', single, { keys: ['F'] }, /"F" is not an option/],
    ['single: a number', single, { keys: [1] }, /exactly one of the keys/],
    ['multiple: none chosen', multiple, { keys: [] }, /at least one of the keys/],
    ['multiple: a key twice', multiple, { keys: ['A', 'A'] }, /each chosen key once/],
    ['multiple: an unknown key', multiple, { keys: ['A', 'Z'] }, /"Z" is not an option/],
    ['multiple: keys not a list', multiple, { keys: 'AC' }, /at least one of the keys/],
    ['true_false: a string', trueFalse, { value: 'true' }, /\{ "value": true \} or \{ "value": false \}/],
    ['true_false: keys', trueFalse, { keys: ['A'] }, /\{ "value": true \}/],
    ['fill_blank: too few blanks', fillBlank, { blanks: ['北京'] }, /exactly 3 texts, one per blank/],
    ['fill_blank: too many blanks', fillBlank, { blanks: ['a', 'b', 'c', 'd'] }, /exactly 3 texts/],
    ['fill_blank: a number in a blank', fillBlank, { blanks: ['a', 2, 'c'] }, /exactly 3 texts/],
    [
      'fill_blank: a blank over 500 characters',
      fillBlank,
      { blanks: ['', 'a'.repeat(501), ''] },
      /Shorten blank 2 to at most 500 characters/,
    ],
    ['short_answer: not text', shortAnswer, { text: 42 }, /\{ "text": "\.\.\." \}/],
    ['short_answer: over 10,000 characters', shortAnswer, { text: 'a'.repeat(10_001) }, /at most 10,000 characters/],
  ])('refuses %s and says what to send', (_name, paperItem, answer, message) => {
    const result = validateAnswer(paperItem, answer);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });

  it('a one-blank question asks for one text', () => {
    const result = validateAnswer(item('fill_blank', { blanks: [['x']] }), { blanks: [] });
    expect(result).toEqual({ ok: false, error: expect.stringContaining('exactly 1 text, one per blank') });
  });
});

describe('gradeAnswer', () => {
  it.each<[string, PaperItem, MemberAnswer | null, MultipleScoring, ItemGrade]>([
    ['no answer scores 0', single, null, 'partial', { points: 0, correct: false }],
    ['no answer to a short answer waits for a person', shortAnswer, null, 'partial', { points: null, correct: null }],
    ['a short answer waits for a person', shortAnswer, { text: 'Mentions the three causes.' }, 'partial', { points: null, correct: null }],
    ['single: right', single, { keys: ['B'] }, 'partial', { points: 4, correct: true }],
    ['single: wrong', single, { keys: ['A'] }, 'partial', { points: 0, correct: false }],
    ['single: an answer of another kind scores 0', single, { value: true }, 'partial', { points: 0, correct: false }],
    ['true_false: right', trueFalse, { value: false }, 'partial', { points: 4, correct: true }],
    ['true_false: wrong', trueFalse, { value: true }, 'partial', { points: 0, correct: false }],
    ['multiple, all or nothing: the exact set', multiple, { keys: ['A', 'C', 'D'] }, 'all_or_nothing', { points: 3, correct: true }],
    [
      'multiple, all or nothing: order does not matter',
      multiple,
      { keys: ['D', 'A', 'C'] },
      'all_or_nothing',
      { points: 3, correct: true },
    ],
    ['multiple, all or nothing: a subset scores 0', multiple, { keys: ['A', 'C'] }, 'all_or_nothing', { points: 0, correct: false }],
    [
      'multiple, all or nothing: a superset scores 0',
      multiple,
      { keys: ['A', 'B', 'C', 'D'] },
      'all_or_nothing',
      { points: 0, correct: false },
    ],
    ['multiple, partial: the exact set', multiple, { keys: ['A', 'C', 'D'] }, 'partial', { points: 3, correct: true }],
    ['multiple, partial: 2 of 3 right keys', multiple, { keys: ['A', 'D'] }, 'partial', { points: 2, correct: false }],
    ['multiple, partial: 1 of 3 right keys', multiple, { keys: ['C'] }, 'partial', { points: 1, correct: false }],
    ['multiple, partial: any wrong key scores 0', multiple, { keys: ['A', 'C', 'E'] }, 'partial', { points: 0, correct: false }],
    [
      'multiple, partial: all right keys plus a wrong one scores 0',
      multiple,
      { keys: ['A', 'B', 'C', 'D'] },
      'partial',
      { points: 0, correct: false },
    ],
    [
      'multiple, partial: rounded down to 0.01 (2 of 3 of 1 point = 0.66)',
      item('multiple', { keys: ['A', 'B', 'C'] }, 1),
      { keys: ['A', 'B'] },
      'partial',
      { points: 0.66, correct: false },
    ],
    [
      'multiple, partial: rounded down to 0.01 (1 of 3 of 2.5 points = 0.83)',
      item('multiple', { keys: ['A', 'B', 'C'] }, 2.5),
      { keys: ['C'] },
      'partial',
      { points: 0.83, correct: false },
    ],
    ['fill_blank: all right', fillBlank, { blanks: ['北京市', '1921', '毛泽东'] }, 'partial', { points: 5, correct: true }],
    [
      'fill_blank: normalised text matches',
      fillBlank,
      { blanks: [' 北京 ', '１９２１', '  mao   ZEDONG '] },
      'partial',
      { points: 5, correct: true },
    ],
    [
      'fill_blank: 2 of 3 blanks (3.333… → 3.33)',
      fillBlank,
      { blanks: ['北京', '1921', '周恩来'] },
      'partial',
      { points: 3.33, correct: false },
    ],
    [
      'fill_blank: 1 of 3 blanks (1.666… → 1.67)',
      fillBlank,
      { blanks: ['上海', '', 'Mao Zedong'] },
      'partial',
      { points: 1.67, correct: false },
    ],
    ['fill_blank: none right', fillBlank, { blanks: ['', '', ''] }, 'partial', { points: 0, correct: false }],
    [
      'fill_blank: each blank is checked against its own answers',
      fillBlank,
      { blanks: ['1921', '北京', '毛泽东'] },
      'partial',
      { points: 1.67, correct: false },
    ],
    [
      'fill_blank: an empty text never matches, even an empty accepted answer',
      item('fill_blank', { blanks: [[''], ['a']] }, 2),
      { blanks: [' ', 'A'] },
      'partial',
      { points: 1, correct: false },
    ],
  ])('%s', (_name, paperItem, answer, scoring, expected) => {
    expect(gradeAnswer(paperItem, answer, scoring)).toEqual(expected);
  });
});

const KEYS = ['A', 'B', 'C', 'D', 'E', 'F'];
const points = fc.integer({ min: 0, max: 10_000 }).map((hundredths) => hundredths / 100);
const keySubset = (min: number) => fc.subarray(KEYS, { minLength: min });
const scoring = fc.constantFrom<MultipleScoring>('all_or_nothing', 'partial');

const multipleCase = fc.record({ key: keySubset(1), chosen: keySubset(1), points });
const anyItemAndAnswer = fc.oneof(
  fc.record({ p: points, key: fc.constantFrom(...KEYS), chosen: fc.option(fc.constantFrom(...KEYS)) }).map(({ p, key, chosen }) => ({
    paperItem: { ...item('single', { keys: [key] }, p), options: KEYS.map((k) => ({ key: k, text: k })) },
    answer: chosen === null ? null : { keys: [chosen] },
  })),
  multipleCase.map(({ key, chosen, points: p }) => ({
    paperItem: { ...item('multiple', { keys: key }, p), options: KEYS.map((k) => ({ key: k, text: k })) },
    answer: { keys: chosen } as MemberAnswer | null,
  })),
  fc.record({ p: points, key: fc.boolean(), chosen: fc.option(fc.boolean()) }).map(({ p, key, chosen }) => ({
    paperItem: item('true_false', { value: key }, p),
    answer: chosen === null ? null : { value: chosen },
  })),
  fc
    .record({
      p: points,
      blanks: fc.array(fc.array(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }),
      seed: fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.constant(null)), { minLength: 6, maxLength: 6 }),
    })
    .map(({ p, blanks, seed }) => ({
      paperItem: item('fill_blank', { blanks }, p),
      // Some blanks copy an accepted answer, the others are random text.
      answer: { blanks: blanks.map((accepted, i) => seed[i] ?? accepted[0] ?? '') } as MemberAnswer | null,
    })),
);

describe('grading properties', () => {
  it('never gives more than the item’s points nor less than 0, in hundredths', () => {
    fc.assert(
      fc.property(anyItemAndAnswer, scoring, ({ paperItem, answer }, how) => {
        const grade = gradeAnswer(paperItem, answer, how);
        expect(grade.points).not.toBeNull();
        const got = grade.points as number;
        expect(got).toBeGreaterThanOrEqual(0);
        expect(got).toBeLessThanOrEqual(paperItem.points);
        expect(Math.abs(got * 100 - Math.round(got * 100))).toBeLessThan(1e-6);
        if (grade.correct) expect(got).toBe(paperItem.points);
      }),
    );
  });

  it('multiple, partial: at least all-or-nothing, 0 with any wrong key, and at most the share of right keys', () => {
    fc.assert(
      fc.property(multipleCase, ({ key, chosen, points: p }) => {
        const paperItem = item('multiple', { keys: key }, p);
        const partial = gradeAnswer(paperItem, { keys: chosen }, 'partial');
        const strict = gradeAnswer(paperItem, { keys: chosen }, 'all_or_nothing');
        const exact = chosen.length === key.length && chosen.every((k) => key.includes(k));
        const anyWrong = chosen.some((k) => !key.includes(k));
        expect(partial.correct).toBe(exact);
        expect(strict.correct).toBe(exact);
        expect(strict.points).toBe(exact ? p : 0);
        expect(partial.points as number).toBeGreaterThanOrEqual(strict.points as number);
        if (anyWrong) expect(partial.points).toBe(0);
        else {
          const share = (p * chosen.length) / key.length;
          expect(partial.points as number).toBeLessThanOrEqual(share + 1e-9);
          expect(partial.points as number).toBeGreaterThan(share - 0.01 - 1e-9);
        }
      }),
    );
  });
});

describe('scoreAttempt', () => {
  it('sums the automatic points and lists the short answers for a person', () => {
    const items = [single, multiple, trueFalse, fillBlank, shortAnswer, item('short_answer', { reference: '' }, 2)];
    const answers = new Map<number, MemberAnswer>([
      [0, { keys: ['B'] }],
      [1, { keys: ['A', 'C'] }],
      [3, { blanks: ['北京', '1921', ''] }],
      [4, { text: 'Three causes.' }],
    ]);
    const result = scoreAttempt(items, answers, 'partial');
    expect(result).toEqual({
      autoScore: 4 + 2 + 0 + 3.33,
      maxScore: 4 + 3 + 4 + 5 + 10 + 2,
      pendingItems: [4, 5],
      grades: [
        { points: 4, correct: true },
        { points: 2, correct: false },
        { points: 0, correct: false },
        { points: 3.33, correct: false },
        { points: null, correct: null },
        { points: null, correct: null },
      ],
    });
    expect(scoreAttempt(items, answers, 'all_or_nothing').autoScore).toBe(7.33);
  });

  it('sums in hundredths, without binary drift', () => {
    const items = [0.1, 0.2, 0.7].map((p) => item('true_false', { value: true }, p));
    const answers = new Map<number, MemberAnswer>(items.map((_, i) => [i, { value: true }]));
    expect(scoreAttempt(items, answers, 'partial')).toMatchObject({ autoScore: 1, maxScore: 1, pendingItems: [] });
  });

  it('an empty paper scores 0 of 0', () => {
    expect(scoreAttempt([], new Map(), 'partial')).toEqual({ autoScore: 0, maxScore: 0, pendingItems: [], grades: [] });
  });
});

describe('finalScore, percentOf and hasPassed', () => {
  it.each<[number, number[], number]>([
    [7.33, [], 7.33],
    [7.33, [8.5, 1], 16.83],
    [0.1, [0.2], 0.3],
    [0, [0, 0], 0],
  ])('finalScore(%p, %p) = %p', (auto, grader, expected) => {
    expect(finalScore(auto, grader)).toBe(expected);
  });

  it.each<[number, number, number]>([
    [30, 50, 60],
    [1, 3, 33.33],
    [2, 3, 66.67],
    [0, 10, 0],
    [10, 10, 100],
    [5, 0, 0],
    [12, 10, 100],
  ])('percentOf(%p, %p) = %p', (score, max, expected) => {
    expect(percentOf(score, max)).toBe(expected);
  });

  it.each<[string, number, number, number, boolean]>([
    ['60 % of 50 is exactly 30', 30, 50, 60, true],
    ['just below', 29.99, 50, 60, false],
    ['70 % of 0.3 points', 0.21, 0.3, 70, true],
    ['a fractional pass mark', 66.67, 100, 66.67, true],
    ['a fractional pass mark just missed', 66.66, 100, 66.67, false],
    ['one of 3 at 33.33 %', 1, 3, 33.33, true],
    ['pass mark 0 always passes', 0, 10, 0, true],
    ['pass mark 100 needs everything', 9.99, 10, 100, false],
    ['pass mark 100 met', 10, 10, 100, true],
  ])('hasPassed: %s', (_name, score, max, pass, expected) => {
    expect(hasPassed(score, max, pass)).toBe(expected);
  });

  it('hasPassed: the lowest passing score passes and one hundredth less fails', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 10_000 }), (maxHundredths, passHundredths) => {
        const max = maxHundredths / 100;
        const pass = passHundredths / 100;
        // The lowest score, in hundredths, whose share of max is at least pass %.
        const lowest = Math.ceil((maxHundredths * passHundredths) / 10_000 - 1e-9);
        expect(hasPassed(lowest / 100, max, pass)).toBe(true);
        expect(hasPassed((lowest - 1) / 100, max, pass)).toBe(false);
        expect(hasPassed(max, max, pass)).toBe(true);
      }),
    );
  });
});

describe('validateAnswer and scoreAttempt properties', () => {
  const anyAnswer = fc.oneof(
    fc.record({ keys: fc.array(fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F', 'a'), { maxLength: 7 }) }),
    fc.record({ value: fc.oneof(fc.boolean(), fc.constant('true')) }),
    fc.record({ blanks: fc.array(fc.string({ maxLength: 3 }), { maxLength: 4 }) }),
    fc.record({ text: fc.string({ maxLength: 5 }) }),
    fc.constant(null),
  );
  const items = [single, multiple, trueFalse, fillBlank, shortAnswer];

  it('an accepted answer is accepted again unchanged, and grades within bounds', () => {
    fc.assert(
      fc.property(fc.constantFrom(...items), anyAnswer, scoring, (paperItem, answer, how) => {
        const result = validateAnswer(paperItem, answer);
        if (!result.ok) {
          expect(result.error).toMatch(/^[A-Z].*\.$/);
          return;
        }
        expect(validateAnswer(paperItem, result.answer)).toEqual(result);
        const grade = gradeAnswer(paperItem, result.answer, how);
        if (paperItem.kind === 'short_answer') expect(grade).toEqual({ points: null, correct: null });
        else {
          expect(grade.points as number).toBeGreaterThanOrEqual(0);
          expect(grade.points as number).toBeLessThanOrEqual(paperItem.points);
        }
      }),
    );
  });

  it('the attempt score is the sum of the item grades and the pending items are the short answers', () => {
    fc.assert(
      fc.property(
        fc.array(anyItemAndAnswer, { maxLength: 8 }),
        fc.array(fc.nat({ max: 8 }), { maxLength: 3 }),
        scoring,
        (cases, shortAt, how) => {
          const paper = cases.map((c) => c.paperItem);
          for (const at of shortAt) paper.splice(Math.min(at, paper.length), 0, shortAnswer);
          const answers = new Map<number, MemberAnswer>();
          cases.forEach((c) => {
            const index = paper.indexOf(c.paperItem);
            if (c.answer) answers.set(index, c.answer);
          });
          const result = scoreAttempt(paper, answers, how);
          const expectedPending = paper.flatMap((p, i) => (p.kind === 'short_answer' ? [i] : []));
          expect(result.pendingItems).toEqual(expectedPending);
          expect(result.grades).toEqual(paper.map((p, i) => gradeAnswer(p, answers.get(i) ?? null, how)));
          const sum = result.grades.reduce((total, g) => total + Math.round((g.points ?? 0) * 100), 0);
          expect(Math.round(result.autoScore * 100)).toBe(sum);
          expect(Math.round(result.maxScore * 100)).toBe(paper.reduce((total, p) => total + Math.round(p.points * 100), 0));
          expect(result.autoScore).toBeLessThanOrEqual(result.maxScore);
        },
      ),
    );
  });
});
