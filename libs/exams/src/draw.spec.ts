import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { QuestionKind } from '#contracts';
import {
  buildPaper,
  drawPaper,
  drawShortages,
  DrawShortageError,
  matchesRule,
  ruleFillOrder,
  seededRandom,
  shuffle,
  type DrawShortage,
} from './draw.js';
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
      { key: 'D', text: `${id} d` },
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

const ids = (drawn: Array<{ question: BankQuestion }>) => drawn.map((d) => d.question.id);

describe('seededRandom', () => {
  it('gives the same sequence for the same seed, in [0, 1)', () => {
    const a = seededRandom('member-1|exam-1');
    const b = seededRandom('member-1|exam-1');
    const first = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('gives different sequences for different seeds, including the empty seed', () => {
    const sequences = ['', 'a', 'b', 'member-1', 'member-2'].map((seed) => {
      const random = seededRandom(seed);
      return Array.from({ length: 4 }, () => random()).join(',');
    });
    expect(new Set(sequences).size).toBe(sequences.length);
  });

  it('spreads values over [0, 1)', () => {
    const random = seededRandom('spread');
    const buckets = Array.from({ length: 10 }, () => 0);
    for (let i = 0; i < 10_000; i++) buckets[Math.floor(random() * 10)] += 1;
    for (const count of buckets) expect(count).toBeGreaterThan(800);
  });
});

describe('shuffle', () => {
  it('returns a permutation and leaves the input as it was', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.string(), (items, seed) => {
        const before = [...items];
        const shuffled = shuffle(items, seededRandom(seed));
        expect(items).toEqual(before);
        expect([...shuffled].sort((x, y) => x - y)).toEqual([...items].sort((x, y) => x - y));
        expect(shuffle(items, seededRandom(seed))).toEqual(shuffled);
      }),
    );
  });

  it('stays within bounds when the generator returns its extremes', () => {
    expect(shuffle([1, 2, 3], () => 0.9999999999999999)).toEqual([1, 2, 3]);
    expect(shuffle([1, 2, 3], () => 0).sort()).toEqual([1, 2, 3]);
  });

  it('puts each item in each place about equally often', () => {
    const random = seededRandom('fair');
    const counts = Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => 0));
    for (let i = 0; i < 4000; i++) shuffle([0, 1, 2, 3], random).forEach((value, place) => (counts[value][place] += 1));
    for (const row of counts) for (const count of row) expect(count).toBeGreaterThan(800);
  });
});

describe('matchesRule and ruleFillOrder', () => {
  const q = question('q', { topic: 'x', courseId: 'c1', difficulty: 2 });
  it.each<[string, DrawRule, boolean]>([
    ['the kind alone', { kind: 'single', count: 1 }, true],
    ['another kind', { kind: 'multiple', count: 1 }, false],
    ['null fields are unset', { kind: 'single', topic: null, courseId: null, difficulty: null, count: 1 }, true],
    ['every field equal', { kind: 'single', topic: 'x', courseId: 'c1', difficulty: 2, count: 1 }, true],
    ['another topic', { kind: 'single', topic: 'y', count: 1 }, false],
    ['another course', { kind: 'single', courseId: 'c2', count: 1 }, false],
    ['another difficulty', { kind: 'single', difficulty: 3, count: 1 }, false],
  ])('%s', (_name, rule, expected) => {
    expect(matchesRule(q, rule)).toBe(expected);
  });

  it('fills the rules with most fields set first, in the exam order among equals', () => {
    const rules: DrawRule[] = [
      { kind: 'single', count: 1 },
      { kind: 'single', topic: 'x', count: 1 },
      { kind: 'multiple', count: 1 },
      { kind: 'single', topic: 'x', difficulty: 1, count: 1 },
      { kind: 'single', courseId: 'c', count: 1 },
    ];
    expect(ruleFillOrder(rules)).toEqual([3, 1, 4, 0, 2]);
  });
});

describe('drawShortages', () => {
  const bank = [
    question('s1', { topic: 'x' }),
    question('s2', { topic: 'x', courseId: 'c1' }),
    question('s3', { courseId: 'c1' }),
    question('s4'),
    question('m1', { kind: 'multiple', topic: 'x' }),
    question('t1', { kind: 'true_false', answer: { value: true }, options: [] }),
  ];
  it.each<[string, DrawRule[], DrawShortage[]]>([
    ['no rules', [], []],
    ['enough of a kind', [{ kind: 'single', count: 4 }], []],
    ['too few of a kind', [{ kind: 'single', count: 5 }], [{ rule: 0, needed: 5, available: 4 }]],
    ['none of a kind', [{ kind: 'fill_blank', count: 1 }], [{ rule: 0, needed: 1, available: 0 }]],
    ['a count of 0 needs nothing', [{ kind: 'fill_blank', count: 0 }], []],
    [
      'a broad rule listed first does not starve a narrow one',
      [
        { kind: 'single', count: 2 },
        { kind: 'single', topic: 'x', count: 2 },
      ],
      [],
    ],
    [
      'rules share the bank: no question is counted twice',
      [
        { kind: 'single', topic: 'x', count: 2 },
        { kind: 'single', courseId: 'c1', count: 1 },
      ],
      [],
    ],
    [
      'a question an earlier rule holds moves when another serves it as well',
      [
        { kind: 'single', courseId: 'c1', count: 1 },
        { kind: 'single', topic: 'x', count: 1 },
        { kind: 'single', topic: 'x', courseId: 'c1', count: 1 },
        { kind: 'single', count: 1 },
      ],
      [],
    ],
    [
      'the broad rule reports what is left after the narrow ones',
      [
        { kind: 'single', count: 3 },
        { kind: 'single', topic: 'x', count: 2 },
      ],
      [{ rule: 0, needed: 3, available: 2 }],
    ],
    [
      'the narrow rule short, the broad one fine',
      [
        { kind: 'single', count: 1 },
        { kind: 'single', topic: 'x', courseId: 'c1', count: 2 },
      ],
      [{ rule: 1, needed: 2, available: 1 }],
    ],
    [
      'kinds do not mix',
      [
        { kind: 'multiple', topic: 'x', count: 1 },
        { kind: 'true_false', count: 2 },
      ],
      [{ rule: 1, needed: 2, available: 1 }],
    ],
  ])('%s', (_name, rules, expected) => {
    expect(drawShortages(bank, rules)).toEqual(expected);
  });

  it('a rule filled earlier moves to another question when that lets a later rule fill', () => {
    // Filled first (same specificity, listed first), the topic rule could take a1, the only question of course
    // c1; it takes b2 instead so the course rule fills too.
    const overlapping = [question('a1', { topic: 'x', courseId: 'c1' }), question('b2', { topic: 'x' })];
    const rules: DrawRule[] = [
      { kind: 'single', topic: 'x', count: 1 },
      { kind: 'single', courseId: 'c1', count: 1 },
    ];
    expect(drawShortages(overlapping, rules)).toEqual([]);
    for (const seed of ['a', 'b', 'c', 'd', 'e', 'f']) expect(ids(drawPaper(overlapping, rules, seed))).toEqual(['b2', 'a1']);
  });

  it('counts a question listed twice in the bank once', () => {
    expect(drawShortages([question('a'), question('a')], [{ kind: 'single', count: 2 }])).toEqual([{ rule: 0, needed: 2, available: 1 }]);
  });
});

// Small random banks and rules, with few distinct field values so that rules overlap often.
const KINDS: QuestionKind[] = ['single', 'single', 'single', 'multiple'];
const field = <T>(values: T[]) => fc.option(fc.constantFrom(...values), { nil: null, freq: 2 });
const bankArb = fc
  .array(fc.record({ kind: fc.constantFrom(...KINDS), topic: field(['x', 'y']), courseId: field(['c1']), difficulty: field([1]) }), {
    maxLength: 7,
  })
  .map((rows) => rows.map((row, i) => question(`q${i}`, row)));
const rulesArb = fc.array(
  fc.record({
    kind: fc.constantFrom(...KINDS),
    topic: field(['x', 'y']),
    courseId: field(['c1']),
    difficulty: field([1]),
    count: fc.integer({ min: 0, max: 2 }),
    points: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
  }),
  { minLength: 1, maxLength: 3 },
);

// Two rules of equal specificity that overlap (topic x, course c1), in either order, then a broad rule: the
// case where filling rules one by one can take a question the other rule needed.
const overlapArb = fc.tuple(
  fc
    .uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 3 }), topic: field(['x']), courseId: field(['c1']) }), {
      selector: (row) => row.id,
      minLength: 1,
      maxLength: 5,
    })
    .map((rows) => rows.map(({ id, ...row }) => question(id, row))),
  fc
    .tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.boolean())
    .map(([a, b, c, flip]): DrawRule[] => {
      const pair: DrawRule[] = [
        { kind: 'single', topic: 'x', count: a },
        { kind: 'single', courseId: 'c1', count: b },
      ];
      return [...(flip ? pair.reverse() : pair), { kind: 'single', count: c }];
    }),
);
const casesArb = fc.oneof(fc.tuple(bankArb, rulesArb), overlapArb);

/** Whether the rules can all be filled, by trying every assignment of questions to rules. */
function fillable(bank: BankQuestion[], rules: DrawRule[]): boolean {
  const need = rules.map((rule) => rule.count);
  const place = (index: number): boolean => {
    if (need.every((n) => n === 0)) return true;
    if (index >= bank.length) return false;
    for (let r = 0; r < rules.length; r++) {
      if (need[r] > 0 && matchesRule(bank[index], rules[r])) {
        need[r] -= 1;
        if (place(index + 1)) return true;
        need[r] += 1;
      }
    }
    return place(index + 1);
  };
  return place(0);
}

describe('drawPaper', () => {
  it('reports a shortage exactly when no assignment of questions fills every rule', () => {
    fc.assert(
      fc.property(casesArb, ([bank, rules]) => {
        expect(drawShortages(bank, rules).length === 0).toBe(fillable(bank, rules));
      }),
      { numRuns: 600 },
    );
  });

  it('draws the right count of distinct questions for each rule, each matching its rule', () => {
    fc.assert(
      fc.property(casesArb, fc.string(), ([bank, rules], seed) => {
        const shortages = drawShortages(bank, rules);
        if (shortages.length > 0) {
          expect(() => drawPaper(bank, rules, seed)).toThrow(DrawShortageError);
          try {
            drawPaper(bank, rules, seed);
          } catch (error) {
            expect((error as DrawShortageError).shortages).toEqual(shortages);
          }
          return;
        }
        const drawn = drawPaper(bank, rules, seed);
        expect(new Set(ids(drawn)).size).toBe(drawn.length);
        let at = 0;
        rules.forEach((rule) => {
          const part = drawn.slice(at, at + rule.count);
          at += rule.count;
          expect(part).toHaveLength(rule.count);
          for (const { question: q, points } of part) {
            expect(matchesRule(q, rule)).toBe(true);
            expect(points).toBe(rule.points ?? q.points);
          }
        });
        expect(at).toBe(drawn.length);
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same paper for the same seed, whatever the order of the bank', () => {
    fc.assert(
      fc.property(casesArb, fc.string(), fc.string(), ([bank, rules], seed, shuffleSeed) => {
        fc.pre(drawShortages(bank, rules).length === 0);
        const reordered = shuffle(bank, seededRandom(shuffleSeed));
        expect(ids(drawPaper(reordered, rules, seed))).toEqual(ids(drawPaper(bank, rules, seed)));
      }),
    );
  });

  it('gives different members different papers, and draws every question sometimes', () => {
    const bank = Array.from({ length: 20 }, (_, i) => question(`q${String(i).padStart(2, '0')}`));
    const papers = Array.from({ length: 200 }, (_, i) => ids(drawPaper(bank, [{ kind: 'single', count: 5 }], `member-${i}`)));
    expect(new Set(papers.map((paper) => [...paper].sort().join(','))).size).toBeGreaterThan(150);
    const drawnSometimes = new Set(papers.flat());
    expect(drawnSometimes.size).toBe(20);
  });

  it('the broad rule also draws questions the narrow rule left', () => {
    const bank = [
      ...Array.from({ length: 4 }, (_, i) => question(`x${i}`, { topic: 'x' })),
      ...Array.from({ length: 4 }, (_, i) => question(`o${i}`)),
    ];
    const rules: DrawRule[] = [
      { kind: 'single', count: 2 },
      { kind: 'single', topic: 'x', count: 1 },
    ];
    const broadPicks = new Set(Array.from({ length: 100 }, (_, i) => ids(drawPaper(bank, rules, `m${i}`)).slice(0, 2)).flat());
    expect([...broadPicks].some((id) => id.startsWith('x'))).toBe(true);
    expect([...broadPicks].some((id) => id.startsWith('o'))).toBe(true);
  });

  it('a narrow rule listed after a broad one still gets its only question', () => {
    const bank = [question('q1', { topic: 'x' }), question('q2')];
    const rules: DrawRule[] = [
      { kind: 'single', count: 1 },
      { kind: 'single', topic: 'x', count: 1 },
    ];
    for (const seed of ['a', 'b', 'c', 'd', 'e', 'f']) expect(ids(drawPaper(bank, rules, seed))).toEqual(['q2', 'q1']);
  });

  it('a draw that would strand an overlapping rule is avoided', () => {
    // s2 is the only question on course c1; the topic rule must leave it to the course rule.
    const bank = [question('s1', { topic: 'x' }), question('s2', { topic: 'x', courseId: 'c1' })];
    const rules: DrawRule[] = [
      { kind: 'single', topic: 'x', count: 1 },
      { kind: 'single', courseId: 'c1', count: 1 },
    ];
    for (const seed of ['a', 'b', 'c', 'd', 'e', 'f']) expect(ids(drawPaper(bank, rules, seed))).toEqual(['s1', 's2']);
  });

  it('the error names each short rule', () => {
    try {
      drawPaper(
        [question('q1')],
        [
          { kind: 'single', count: 2 },
          { kind: 'multiple', count: 1 },
        ],
        's',
      );
      throw new Error('drawPaper did not throw');
    } catch (error) {
      expect(error).toBeInstanceOf(DrawShortageError);
      expect((error as Error).message).toBe(
        'The question bank cannot fill the paper: rule 1 needs 2 questions but only 1 can be drawn; rule 2 needs 1 question but only 0 can be drawn.',
      );
    }
  });
});

describe('buildPaper', () => {
  const picked = [
    { question: question('q1'), points: 3 },
    { question: question('q2', { kind: 'multiple', answer: { keys: ['A', 'D'] } }), points: 1 },
    {
      question: question('q3', {
        kind: 'true_false',
        answer: { value: false },
        options: [
          { key: 'T', text: 'true' },
          { key: 'F', text: 'false' },
        ],
      }),
      points: 2,
    },
    { question: question('q4', { kind: 'fill_blank', answer: { blanks: [['a']] }, options: [] }), points: 2 },
  ];

  it('without shuffling, keeps the order and the options and copies each field', () => {
    const paper = buildPaper(picked, 's', { shuffleQuestions: false, shuffleOptions: false });
    expect(paper.map((item) => item.questionId)).toEqual(['q1', 'q2', 'q3', 'q4']);
    expect(paper[0]).toEqual({
      questionId: 'q1',
      kind: 'single',
      stem: 'Stem q1',
      options: picked[0].question.options,
      key: { keys: ['B'] },
      points: 3,
      explanation: '',
      imageId: null,
      topic: null,
      courseId: null,
      lectureId: null,
    });
    expect(paper[1].key).not.toBe(picked[1].question.answer);
    expect(paper[0].options).not.toBe(picked[0].question.options);
  });

  it('shuffles questions and choice options by the seed; keys stay with their texts; other kinds keep their options', () => {
    fc.assert(
      fc.property(fc.string(), fc.boolean(), fc.boolean(), (seed, shuffleQuestions, shuffleOptions) => {
        const paper = buildPaper(picked, seed, { shuffleQuestions, shuffleOptions });
        expect(buildPaper(picked, seed, { shuffleQuestions, shuffleOptions })).toEqual(paper);
        expect(paper.map((item) => item.questionId).sort()).toEqual(['q1', 'q2', 'q3', 'q4']);
        if (!shuffleQuestions) expect(paper.map((item) => item.questionId)).toEqual(['q1', 'q2', 'q3', 'q4']);
        for (const item of paper) {
          const original = picked.find((p) => p.question.id === item.questionId)!;
          const byKey = (list: Array<{ key: string; text: string }>) => [...list].sort((a, b) => a.key.localeCompare(b.key));
          expect(byKey(item.options)).toEqual(byKey(original.question.options));
          expect(item.key).toEqual(original.question.answer);
          if (item.kind === 'true_false' || !shuffleOptions) expect(item.options).toEqual(original.question.options);
        }
      }),
    );
  });

  it('different seeds give different orders', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ question: question(`q${i}`), points: 1 }));
    const orders = new Set(
      Array.from({ length: 20 }, (_, i) =>
        buildPaper(many, `m${i}`, { shuffleQuestions: true, shuffleOptions: true })
          .map((item) => `${item.questionId}:${item.options.map((o) => o.key).join('')}`)
          .join(','),
      ),
    );
    expect(orders.size).toBe(20);
  });
});
