import { describe, expect, it } from '@jest/globals';
import { checkExam, emptyExam, examInputOf, isoOf, localInput, moved, paperTotals, type ExamDraft } from './exam-draft.js';
import {
  addOption,
  blankCount,
  blanksFor,
  checkDraft,
  emptyDraft,
  inputOf,
  markCorrect,
  removeOption,
  withKind,
  type QuestionDraft,
} from './question-draft.js';

const filled = (changes: Partial<QuestionDraft>): QuestionDraft => ({
  ...emptyDraft('single'),
  stem: '哪一年？',
  options: ['A', 'B', 'C'].map((key) => ({ key, text: `选项${key}` })),
  ...changes,
});

describe('question draft', () => {
  it.each([
    ['____', 1],
    ['成立于 ____ 年，地点 ________。', 2],
    ['three ___ is not a blank', 0],
    ['括号（ ）和 ( ) 都算', 2],
    ['（内容）不算', 0],
  ])('counts the blanks of %p as %p', (stem, count) => {
    expect(blankCount(stem)).toBe(count);
  });

  it('removing an option moves later letters and their marks up', () => {
    const draft = markCorrect(markCorrect(filled({ kind: 'multiple' }), 'A', true), 'C', true);
    const after = removeOption(draft, 'B');
    expect(after.options).toEqual([
      { key: 'A', text: '选项A' },
      { key: 'B', text: '选项C' },
    ]);
    expect(after.correct).toEqual(['A', 'B']);
  });

  it('adds options up to H and no further', () => {
    let draft = filled({});
    for (let i = 0; i < 10; i++) draft = addOption(draft);
    expect(draft.options.map((o) => o.key).join('')).toBe('ABCDEFGH');
  });

  it('a single choice keeps one mark; turning a multiple into a single keeps the first', () => {
    const single = markCorrect(markCorrect(filled({}), 'A', true), 'C', true);
    expect(single.correct).toEqual(['C']);
    const multiple = markCorrect(markCorrect(filled({ kind: 'multiple' }), 'C', true), 'A', true);
    expect(multiple.correct).toEqual(['A', 'C']);
    expect(withKind(multiple, 'single').correct).toEqual(['A']);
  });

  it.each<[string, Partial<QuestionDraft>, Record<string, string>]>([
    ['a complete single choice', { correct: ['B'] }, {}],
    ['no stem', { stem: '  ', correct: ['B'] }, { stem: 'stemRequired' }],
    [
      'an empty option',
      {
        options: [
          { key: 'A', text: 'x' },
          { key: 'B', text: ' ' },
        ],
        correct: ['A'],
      },
      { options: 'optionRequired' },
    ],
    ['one option', { options: [{ key: 'A', text: 'x' }], correct: ['A'] }, { options: 'optionsTooFew' }],
    ['nothing marked', {}, { correct: 'pickCorrect' }],
    ['multiple with nothing marked', { kind: 'multiple' }, { correct: 'pickCorrectMultiple' }],
    ['true/false unanswered', { kind: 'true_false' }, { correct: 'pickTruth' }],
    ['fill-blank without a blank', { kind: 'fill_blank', blanks: ['北京'] }, { stem: 'noBlanks' }],
    ['fill-blank with an empty blank', { kind: 'fill_blank', stem: '____ 和 ____', blanks: ['北京', ' \n '] }, { blanks: 'blankRequired' }],
    ['zero points', { correct: ['A'], points: '0' }, { points: 'pointsRequired' }],
    ['a short answer without reference', { kind: 'short_answer' }, {}],
  ])('checks %s', (_, changes, problems) => {
    expect(checkDraft(filled(changes))).toEqual(problems);
  });

  it('sends each kind with only its own answer', () => {
    expect(inputOf(filled({ correct: ['B'], tags: '党章，2024, 党章', topic: ' ', difficulty: '3' }))).toMatchObject({
      kind: 'single',
      options: [
        { key: 'A', text: '选项A' },
        { key: 'B', text: '选项B' },
        { key: 'C', text: '选项C' },
      ],
      answer: { keys: ['B'] },
      tags: ['党章', '2024'],
      topic: null,
      difficulty: 3,
    });
    const blank = filled({ kind: 'fill_blank', stem: '首都是 ____，成立于 ____', blanks: ['北京\n 北京市 \n', '1949'] });
    expect(blanksFor(blank)).toHaveLength(2);
    expect(inputOf(blank)).toMatchObject({ options: [], answer: { blanks: [['北京', '北京市'], ['1949']] } });
    expect(inputOf(filled({ kind: 'true_false', truth: false })).answer).toEqual({ value: false });
    expect(inputOf(filled({ kind: 'short_answer', reference: ' 要点 ' })).answer).toEqual({ reference: '要点' });
  });
});

const exam = (changes: Partial<ExamDraft>): ExamDraft => ({
  ...emptyExam(new Date(2026, 0, 5, 9, 30)),
  title: '党史测验',
  audience: { unitIds: ['u1'], categories: [], positions: [], classIds: [] },
  ...changes,
});

describe('exam draft', () => {
  it('opens next full hour and closes two weeks later, in local time', () => {
    const draft = emptyExam(new Date(2026, 0, 5, 9, 30));
    expect(draft.opensAt).toBe('2026-01-05T10:00');
    expect(draft.closesAt).toBe('2026-01-19T10:00');
    expect(localInput(isoOf(draft.opensAt)!)).toBe(draft.opensAt);
    expect(isoOf('')).toBeNull();
  });

  it.each<[string, Partial<ExamDraft>, boolean, Record<string, string>]>([
    ['a draft without questions', {}, false, {}],
    ['publishing without questions', {}, true, { items: 'itemsRequired' }],
    ['no title', { title: ' ' }, false, { title: 'titleRequired' }],
    [
      'a drawn paper with a bad count',
      { paperKind: 'drawn', rules: [{ kind: 'single', topic: '', difficulty: '', count: '0', points: '' }] },
      false,
      { rules: 'countRequired' },
    ],
    [
      'a drawn rule without points',
      { paperKind: 'drawn', rules: [{ kind: 'single', topic: '', difficulty: '', count: '3', points: '' }] },
      false,
      { rules: 'countRequired' },
    ],
    ['no unit', { audience: { unitIds: [], categories: ['rural'], positions: [], classIds: [] } }, false, { audience: 'unitsRequired' }],
    ['a drawn paper with no rules', { paperKind: 'drawn', rules: [] }, false, { rules: 'rulesRequired' }],
    ['closing before opening', { opensAt: '2026-02-01T10:00', closesAt: '2026-02-01T09:00' }, false, { window: 'windowOrder' }],
    ['no window', { opensAt: '' }, false, { window: 'windowRequired' }],
    ['a pass mark over 100', { passPercent: '120' }, false, { passPercent: 'passPercentRequired' }],
    [
      'fractional attempts',
      { maxAttempts: '1.5', timeLimitMin: '0' },
      false,
      { maxAttempts: 'maxAttemptsRequired', timeLimitMin: 'timeLimitRequired' },
    ],
    ['negative credit hours', { creditHours: '-1' }, false, { creditHours: 'creditHoursInvalid' }],
    ['a course condition without a course', { prerequisite: 'course' }, false, { prerequisite: 'prereqMissing' }],
  ])('checks %s', (_, changes, publishing, problems) => {
    expect(checkExam(exam(changes), publishing)).toEqual(problems);
  });

  it('sends only the chosen paper and condition, the share as 0..1 and the window as instants', () => {
    const draft = exam({
      items: [
        { questionId: 'q1', kind: 'single', stem: 'x', basePoints: 2, points: '' },
        { questionId: 'q2', kind: 'fill_blank', stem: 'y', basePoints: 3, points: '5' },
      ],
      prerequisite: 'course',
      requiresCourseId: 'c1',
      requiresPlanId: 'p1',
      requiresShare: '80',
      creditHours: '',
    });
    const input = examInputOf(draft);
    expect(input.fixedItems).toEqual([
      { questionId: 'q1', points: null },
      { questionId: 'q2', points: 5 },
    ]);
    expect(input.drawRules).toEqual([]);
    expect(input).toMatchObject({ requiresCourseId: 'c1', requiresPlanId: null, requiresShare: 0.8, creditHours: null });
    expect(input.opensAt).toBe(new Date(2026, 0, 5, 10, 0).toISOString());
    expect(paperTotals(draft)).toEqual({ count: 2, score: 7 });
    const drawn = examInputOf({
      ...draft,
      paperKind: 'drawn',
      rules: [{ kind: 'multiple', topic: ' 党史 ', difficulty: '2', count: '10', points: '' }],
    });
    expect(drawn.fixedItems).toEqual([]);
    expect(drawn.drawRules).toEqual([{ kind: 'multiple', topic: '党史', difficulty: 2, count: 10, points: null }]);
  });

  it('moves items up and down within the list', () => {
    expect(moved(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moved(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
  });
});
