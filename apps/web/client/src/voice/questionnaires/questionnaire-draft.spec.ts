import { describe, expect, it } from '@jest/globals';
import { questionIssues, type QuestionnaireQuestionKind } from '#contracts';
import {
  draftProblems,
  emptyDraft,
  emptyQuestion,
  inputOf,
  isoOf,
  localInput,
  moved,
  newId,
  nextOptionId,
  withKind,
} from './questionnaire-draft.js';

describe('questionnaire drafts', () => {
  it('makes random version 4 uuids without crypto.randomUUID', () => {
    const ids = new Set(Array.from({ length: 50 }, newId));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it.each<[QuestionnaireQuestionKind, QuestionnaireQuestionKind, number, boolean]>([
    ['single', 'rating', 0, true],
    ['single', 'text', 0, false],
    ['rating', 'multiple', 2, false],
    ['text', 'ranking', 2, false],
  ])('turns a %s question into a %s one with %i options (scale: %s)', (from, to, options, scale) => {
    const next = withKind(emptyQuestion(from), to);
    expect(next.kind).toBe(to);
    expect(next.options).toHaveLength(options);
    expect(next.scale !== null).toBe(scale);
  });

  it('drops the "other" option when a choice becomes a ranking, and names new options uniquely', () => {
    const q = emptyQuestion('single');
    const withOther = { ...q, options: [...q.options, { id: nextOptionId(q), label: '其他', other: true }] };
    expect(new Set(withOther.options.map((o) => o.id)).size).toBe(3);
    expect(withKind(withOther, 'ranking').options.some((o) => o.other)).toBe(false);
  });

  it('names what is missing before asking the server, and sends what the shared rules accept', () => {
    const draft = emptyDraft(new Date('2026-03-01T09:00:00'));
    const first = { ...emptyQuestion('single'), prompt: ' 想学吗？ ' };
    const second = { ...emptyQuestion('text'), showIf: { questionId: first.id, optionIds: [] } };
    expect(draftProblems({ ...draft, questions: [first, second] }).map((p) => [p.key, p.n])).toEqual([
      ['title', undefined],
      ['units', undefined],
      ['options', 1],
      ['prompt', 2],
      ['condition', 2],
    ]);
    const ready = {
      ...draft,
      title: '需求',
      audience: { ...draft.audience, unitIds: ['u'] },
      questions: [
        { ...first, options: first.options.map((o, i) => ({ ...o, label: ` 选项${i} ` })) },
        { ...second, prompt: '为什么？', showIf: { questionId: first.id, optionIds: [first.options[0]!.id] } },
      ],
    };
    expect(draftProblems(ready)).toEqual([]);
    const input = inputOf(ready);
    expect(input.questions[0]!.prompt).toBe('想学吗？');
    expect(input.questions[0]!.options[0]!.label).toBe('选项0');
    expect(questionIssues(input.questions)).toEqual([]);
    expect(input.opensAt).toBe(new Date('2026-03-01T09:00:00').toISOString());
  });

  it('round-trips local times and moves questions', () => {
    expect(isoOf(localInput('2026-03-01T01:30:00.000Z'))).toBe('2026-03-01T01:30:00.000Z');
    expect(isoOf('')).toBeNull();
    expect(moved(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
  });
});
