import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { QuestionAnswerKey, QuestionKind } from '#contracts';
import { toMemberQuestion } from './paper-view.js';
import type { PaperItem } from './types.js';

const imageUrl = (id: string) => `/api/exam-images/${id}`;

function item(fields: Partial<PaperItem>): PaperItem {
  return {
    questionId: '9f1c7a52-0000-4000-8000-000000000001',
    kind: 'single',
    stem: '中国共产党成立于哪一年？',
    options: [
      { key: 'A', text: '1919' },
      { key: 'B', text: '1921' },
    ],
    key: { keys: ['B'] },
    points: 2,
    explanation: '1921 年 7 月在上海召开第一次全国代表大会。',
    imageId: null,
    topic: '党史',
    courseId: 'course-1',
    lectureId: 'lecture-1',
    ...fields,
  };
}

describe('toMemberQuestion', () => {
  it('keeps what the member needs and nothing else', () => {
    expect(toMemberQuestion(item({ imageId: 'img-1' }), 3, imageUrl)).toEqual({
      item: 3,
      kind: 'single',
      stem: '中国共产党成立于哪一年？',
      options: [
        { key: 'A', text: '1919' },
        { key: 'B', text: '1921' },
      ],
      blanks: 0,
      points: 2,
      imageUrl: '/api/exam-images/img-1',
    });
  });

  it.each<[string, Partial<PaperItem>, number]>([
    ['fill_blank counts the blanks of the key', { kind: 'fill_blank', options: [], key: { blanks: [['北京'], ['1921', '一九二一']] } }, 2],
    ['true_false has none', { kind: 'true_false', options: [], key: { value: true } }, 0],
    ['short_answer has none', { kind: 'short_answer', options: [], key: { reference: 'r' } }, 0],
  ])('%s', (_name, fields, blanks) => {
    const view = toMemberQuestion(item(fields), 0, imageUrl);
    expect(view.blanks).toBe(blanks);
    expect(view.imageUrl).toBeNull();
  });

  it('drops fields added to an option', () => {
    const options = [{ key: 'A', text: 'yes', correct: true }] as unknown as PaperItem['options'];
    expect(toMemberQuestion(item({ options }), 0, imageUrl).options).toEqual([{ key: 'A', text: 'yes' }]);
  });

  // Texts from a few Chinese characters: JSON does not escape them, and the view's own field names, kinds,
  // option letters, numbers and image addresses are ASCII, so a text is in the JSON only if a text put it there.
  const text = fc.string({ unit: fc.constantFrom('北', '京', '上', '海', '年'), minLength: 1, maxLength: 4 });
  const kind = fc.constantFrom<QuestionKind>('single', 'multiple', 'true_false', 'fill_blank', 'short_answer');
  const anyItem = fc
    .record({
      kind,
      stem: text,
      optionTexts: fc.array(text, { maxLength: 5 }),
      blanks: fc.array(fc.array(text, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }),
      reference: text,
      explanation: text,
      topic: fc.option(text, { nil: null }),
      imageId: fc.option(fc.constantFrom('img-1', 'img-2'), { nil: null }),
      secret: fc.boolean(),
    })
    .map(({ kind: k, stem, optionTexts, blanks, reference, explanation, topic, imageId, secret }) => {
      const options = optionTexts.map((t, i) => ({ key: String.fromCharCode(65 + i), text: t }));
      const key: QuestionAnswerKey =
        k === 'fill_blank'
          ? { blanks }
          : k === 'short_answer'
            ? { reference }
            : k === 'true_false'
              ? { value: secret }
              : { keys: options.length > 0 ? [options[0].key] : [] };
      return item({ kind: k, stem, options, key, explanation, topic, imageId, questionId: `题${reference}` });
    });

  it('never shows an accepted answer, reference or explanation that is not already in the stem or options', () => {
    fc.assert(
      fc.property(anyItem, fc.nat(), (paperItem, index) => {
        const view = toMemberQuestion(paperItem, index, imageUrl);
        const json = JSON.stringify(view);
        const visible = JSON.stringify([paperItem.stem, paperItem.options]);
        const secrets = [
          ...('blanks' in paperItem.key ? paperItem.key.blanks.flat() : []),
          ...('reference' in paperItem.key ? [paperItem.key.reference] : []),
          paperItem.explanation,
          paperItem.questionId,
        ];
        for (const secret of secrets) {
          if (!visible.includes(secret)) expect(json).not.toContain(secret);
        }
        expect(Object.keys(view).sort()).toEqual(['blanks', 'imageUrl', 'item', 'kind', 'options', 'points', 'stem']);
        expect(view).not.toHaveProperty('key');
        expect(view).not.toHaveProperty('explanation');
        expect(view.item).toBe(index);
        expect(view.imageUrl).toBe(paperItem.imageId ? imageUrl(paperItem.imageId) : null);
        for (const option of view.options) expect(Object.keys(option).sort()).toEqual(['key', 'text']);
      }),
    );
  });
});
