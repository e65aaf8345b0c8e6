import { describe, expect, it } from '@jest/globals';
import { buildPaper, drawPaper, drawShortages, DrawShortageError } from './draw.js';
import type { BankQuestion, DrawRule } from './types.js';

function question(id: string, fields: Partial<BankQuestion> = {}): BankQuestion {
  return {
    id,
    kind: 'single',
    stem: `Stem ${id}`,
    options: [
      { key: 'A', text: `${id} a` },
      { key: 'B', text: `${id} b` },
      { key: 'C', text: `${id} c` },
    ],
    answer: { keys: ['B'] },
    points: 2,
    explanation: '',
    topic: null,
    courseId: null,
    lectureId: null,
    difficulty: null,
    imageId: null,
    ...fields,
  };
}

describe('drawPaper', () => {
  it('a narrow rule is filled before a broad one', () => {
    const bank = [question('q1', { topic: 'x' }), question('q2')];
    const rules: DrawRule[] = [
      { kind: 'single', count: 1 },
      { kind: 'single', topic: 'x', count: 1 },
    ];
    expect(drawShortages(bank, rules)).toEqual([]);
    for (const seed of ['a', 'b', 'c', 'd']) {
      const drawn = drawPaper(bank, rules, seed);
      expect(drawn.map((d) => d.question.id)).toEqual(['q2', 'q1']);
    }
  });

  it('throws the shortages', () => {
    const bank = [question('q1')];
    expect(() => drawPaper(bank, [{ kind: 'single', count: 2 }], 's')).toThrow(DrawShortageError);
    expect(drawShortages(bank, [{ kind: 'single', count: 2 }])).toEqual([{ rule: 0, needed: 2, available: 1 }]);
  });

  it('builds a paper', () => {
    const paper = buildPaper([{ question: question('q1'), points: 3 }], 's', { shuffleQuestions: true, shuffleOptions: true });
    expect(paper[0]?.points).toBe(3);
    expect(paper[0]?.options.map((o) => o.key).sort()).toEqual(['A', 'B', 'C']);
  });
});
