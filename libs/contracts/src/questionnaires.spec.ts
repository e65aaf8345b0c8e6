import { describe, expect, it } from '@jest/globals';
import {
  answerIssues,
  answersToSubmit,
  questionIssues,
  visibleQuestionIds,
  type QuestionnaireAnswers,
  type QuestionnaireQuestion,
} from './questionnaires.js';

const q = (id: string, extra: Partial<QuestionnaireQuestion> = {}): QuestionnaireQuestion => ({
  id,
  kind: 'single',
  prompt: `问题 ${id}`,
  required: false,
  options: [
    { id: 'yes', label: '是' },
    { id: 'no', label: '否' },
  ],
  scale: null,
  showIf: null,
  ...extra,
});

// "Do you want more training?" → "Which topics?" only for yes → "Why these?" only for topic "law".
const WANT = q('want', { required: true });
const TOPICS = q('topics', {
  kind: 'multiple',
  required: true,
  options: [
    { id: 'law', label: '法律' },
    { id: 'farm', label: '农业' },
    { id: 'other', label: '其他', other: true },
  ],
  showIf: { questionId: 'want', optionIds: ['yes'] },
});
const WHY = q('why', { kind: 'text', options: [], required: true, showIf: { questionId: 'topics', optionIds: ['law'] } });
const RATE = q('rate', { kind: 'rating', options: [], scale: { min: 1, max: 5, minLabel: '差', maxLabel: '好' } });
const RANK = q('rank', {
  kind: 'ranking',
  options: [
    { id: 'a', label: '甲' },
    { id: 'b', label: '乙' },
    { id: 'c', label: '丙' },
  ],
});
const FORM = [WANT, TOPICS, WHY, RATE, RANK];

describe('visibleQuestionIds', () => {
  it.each<[string, QuestionnaireAnswers, string[]]>([
    ['nothing answered: only unconditional questions', {}, ['want', 'rate', 'rank']],
    ['yes shows the topics', { want: { optionIds: ['yes'] } }, ['want', 'topics', 'rate', 'rank']],
    ['no keeps them hidden', { want: { optionIds: ['no'] } }, ['want', 'rate', 'rank']],
    [
      'yes and law shows why',
      { want: { optionIds: ['yes'] }, topics: { optionIds: ['farm', 'law'] } },
      ['want', 'topics', 'why', 'rate', 'rank'],
    ],
    [
      'a hidden question hides what depends on it',
      { want: { optionIds: ['no'] }, topics: { optionIds: ['law'] } },
      ['want', 'rate', 'rank'],
    ],
  ])('%s', (_name, answers, shown) => {
    expect([...visibleQuestionIds(FORM, answers)]).toEqual(shown);
  });
});

describe('answerIssues', () => {
  it.each<[string, QuestionnaireAnswers, Array<[string, string]>]>([
    ['a full answer passes', { want: { optionIds: ['no'] }, rate: { rating: 3 }, rank: { ranking: ['c', 'a', 'b'] } }, []],
    ['required shown questions must be answered', { want: { optionIds: ['yes'] } }, [['topics', 'required']]],
    ['required hidden questions need not be', { want: { optionIds: ['no'] } }, []],
    ['the first question is required', {}, [['want', 'required']]],
    ['a hidden question must be empty', { want: { optionIds: ['no'] }, topics: { optionIds: ['law'] } }, [['topics', 'hidden_answered']]],
    ['an empty answer to a hidden question is fine', { want: { optionIds: ['no'] }, topics: { optionIds: [] } }, []],
    [
      'single takes one option',
      { want: { optionIds: ['yes', 'no'] } },
      [
        ['want', 'one_option'],
        ['topics', 'required'],
      ],
    ],
    ['options must be the question’s', { want: { optionIds: ['maybe'] } }, [['want', 'unknown_option']]],
    ['"other" needs its text', { want: { optionIds: ['yes'] }, topics: { optionIds: ['other'] } }, [['topics', 'other_text_missing']]],
    ['"other" with its text passes', { want: { optionIds: ['yes'] }, topics: { optionIds: ['other'], otherText: '电商' } }, []],
    [
      'text for "other" without choosing it',
      { want: { optionIds: ['yes'] }, topics: { optionIds: ['farm'], otherText: '电商' } },
      [['topics', 'other_text_unexpected']],
    ],
    ['a rating off the scale', { want: { optionIds: ['no'] }, rate: { rating: 6 } }, [['rate', 'rating_out_of_scale']]],
    ['a ranking must order every option', { want: { optionIds: ['no'] }, rank: { ranking: ['a', 'b'] } }, [['rank', 'ranking_incomplete']]],
    [
      'a ranking names each option once',
      { want: { optionIds: ['no'] }, rank: { ranking: ['a', 'a', 'b'] } },
      [['rank', 'repeated_option']],
    ],
    ['an answer of the wrong kind', { want: { optionIds: ['no'] }, rate: { text: '好' } }, [['rate', 'wrong_shape']]],
    ['an unknown question', { want: { optionIds: ['no'] }, ghost: { text: '?' } }, [['ghost', 'unknown_question']]],
    [
      'text too long',
      { want: { optionIds: ['yes'] }, topics: { optionIds: ['law'] }, why: { text: 'x'.repeat(2001) } },
      [['why', 'text_too_long']],
    ],
  ])('%s', (_name, answers, expected) => {
    expect(answerIssues(FORM, answers).map((i) => [i.questionId, i.problem])).toEqual(expected);
  });
});

describe('answersToSubmit', () => {
  it('drops answers a change of mind has hidden, empty ones, and "other" text when other is not chosen', () => {
    const entered: QuestionnaireAnswers = {
      want: { optionIds: ['no'] },
      topics: { optionIds: ['law'] },
      why: { text: '想学' },
      rate: { rating: 4 },
      rank: { ranking: [] },
    };
    const kept = answersToSubmit(FORM, entered);
    expect(kept).toEqual({ want: { optionIds: ['no'] }, rate: { rating: 4 } });
    expect(answerIssues(FORM, kept)).toEqual([]);
    expect(answersToSubmit(FORM, { want: { optionIds: ['yes'], otherText: 'x' } })).toEqual({ want: { optionIds: ['yes'] } });
    expect(answersToSubmit(FORM, { want: { optionIds: ['yes'] }, topics: { optionIds: ['other'], otherText: '  电商 ' } })).toEqual({
      want: { optionIds: ['yes'] },
      topics: { optionIds: ['other'], otherText: '电商' },
    });
  });
});

describe('questionIssues', () => {
  it.each<[string, QuestionnaireQuestion[], Array<[number, string]>]>([
    ['the example form is fine', FORM, []],
    [
      'a condition on a later question',
      [q('a', { showIf: { questionId: 'b', optionIds: ['yes'] } }), q('b')],
      [[0, 'condition_not_earlier']],
    ],
    ['a condition on itself', [q('a', { showIf: { questionId: 'a', optionIds: ['yes'] } })], [[0, 'condition_not_earlier']]],
    ['a condition on an unknown question', [q('a', { showIf: { questionId: 'zz', optionIds: ['yes'] } })], [[0, 'condition_unknown']]],
    ['a condition on a rating', [RATE, q('a', { showIf: { questionId: 'rate', optionIds: ['1'] } })], [[1, 'condition_not_choice']]],
    ['a condition on a ranking', [RANK, q('a', { showIf: { questionId: 'rank', optionIds: ['a'] } })], [[1, 'condition_not_choice']]],
    ['a condition with no options', [WANT, q('a', { showIf: { questionId: 'want', optionIds: [] } })], [[1, 'condition_no_options']]],
    [
      'a condition on an unknown option',
      [WANT, q('a', { showIf: { questionId: 'want', optionIds: ['maybe'] } })],
      [[1, 'condition_unknown_option']],
    ],
    ['one option', [q('a', { options: [{ id: 'x', label: 'x' }] })], [[0, 'too_few_options']]],
    [
      'repeated option ids',
      [
        q('a', {
          options: [
            { id: 'x', label: '甲' },
            { id: 'x', label: '乙' },
          ],
        }),
      ],
      [[0, 'option_repeated']],
    ],
    [
      'repeated labels',
      [
        q('a', {
          options: [
            { id: 'x', label: '甲' },
            { id: 'y', label: '甲 ' },
          ],
        }),
      ],
      [[0, 'option_label_repeated']],
    ],
    [
      'two "other" options',
      [
        q('a', {
          options: [
            { id: 'x', label: '甲', other: true },
            { id: 'y', label: '乙', other: true },
          ],
        }),
      ],
      [[0, 'other_twice']],
    ],
    [
      '"other" on a ranking',
      [
        q('a', {
          kind: 'ranking',
          options: [
            { id: 'x', label: '甲', other: true },
            { id: 'y', label: '乙' },
          ],
        }),
      ],
      [[0, 'other_on_ranking']],
    ],
    ['options on a text question', [q('a', { kind: 'text' })], [[0, 'options_not_allowed']]],
    ['a rating without a scale', [q('a', { kind: 'rating', options: [] })], [[0, 'scale_missing']]],
    ['a scale on a choice', [q('a', { scale: { min: 1, max: 5, minLabel: '', maxLabel: '' } })], [[0, 'scale_not_allowed']]],
    ['the same question twice', [q('a'), q('a')], [[1, 'question_repeated']]],
  ])('%s', (_name, questions, expected) => {
    expect(questionIssues(questions).map((i) => [i.index, i.problem])).toEqual(expected);
  });
});
