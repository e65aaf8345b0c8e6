import { describe, expect, it } from '@jest/globals';
import { answerTimeStats, anyTermsQuery, percentile, rankDemand, rankSimilar, similarity } from './request-logic.js';

describe('anyTermsQuery', () => {
  it.each([
    ['电商补贴', `'电商' | '商补' | '补贴'`],
    ['党', `'党':*`],
    ['rural e-comm', `'rural' | 'e' | 'comm':*`],
    ["it's", `'it' | 's':*`],
    ['!!!', null],
    ['', null],
  ])('%j → %j', (text, expected) => expect(anyTermsQuery(text)).toBe(expected));
});

describe('similarity', () => {
  it.each([
    ['电商补贴', '农村电商补贴怎么申请', 1],
    ['电商的补贴', '农村电商补贴怎么申请', 0.5],
    ['养猪技术', '农村电商补贴怎么申请', 0],
    ['subsid', 'How to apply for subsidies', 1],
    ['subsid apply', 'How to apply for subsidies', 0.5],
    ['', '任何', 0],
  ])('%j in %j → %d', (typed, text, expected) => expect(similarity(typed, text)).toBe(expected));
});

describe('rankSimilar', () => {
  const candidate = (title: string, votes: number, createdAt = '2026-01-01') => ({ title, detail: '', votes, createdAt });

  it('puts the best cover first, then the most votes, then the oldest, and drops weak matches', () => {
    const ranked = rankSimilar('电商补贴申请', [
      candidate('电商培训', 9),
      candidate('农村电商补贴怎么申请', 1, '2026-02-01'),
      candidate('电商补贴申请流程', 1, '2026-01-15'),
      candidate('补贴申请', 5),
    ]);
    expect(ranked.map((r) => [r.title, r.score])).toEqual([
      ['电商补贴申请流程', 1],
      ['农村电商补贴怎么申请', 0.8],
      ['补贴申请', 0.6],
    ]);
  });

  it('keeps at most `limit`', () => {
    expect(
      rankSimilar(
        '党课',
        Array.from({ length: 20 }, (_, i) => candidate(`党课 ${i}`, i)),
        3,
      ).map((r) => r.votes),
    ).toEqual([19, 18, 17]);
  });
});

describe('rankDemand', () => {
  it('orders by votes, then the longest waiting, then the latest vote, then id', () => {
    const rows = [
      { id: 'a', votes: 2, createdAt: '2026-03-01', lastVoteAt: '2026-03-02' },
      { id: 'b', votes: 5, createdAt: '2026-03-05', lastVoteAt: '2026-03-06' },
      { id: 'c', votes: 2, createdAt: '2026-02-01', lastVoteAt: '2026-02-02' },
      { id: 'e', votes: 2, createdAt: '2026-03-01', lastVoteAt: '2026-03-09' },
      { id: 'd', votes: 2, createdAt: '2026-03-01', lastVoteAt: '2026-03-09' },
    ];
    expect(rankDemand(rows).map((r) => r.id)).toEqual(['b', 'c', 'd', 'e', 'a']);
    expect(rows[0]!.id).toBe('a');
  });
});

describe('percentile', () => {
  it.each([
    [[], 0.5, null],
    [[4], 0.9, 4],
    [[1, 2, 3], 0.5, 2],
    [[4, 1, 3, 2], 0.5, 2.5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9.1],
  ])('%j at %d → %j', (values, p, expected) => {
    const got = percentile(values, p);
    if (expected === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(expected, 10);
  });
});

describe('answerTimeStats', () => {
  it('gives median and p90 per category in order, empty ones without figures, no category last', () => {
    expect(
      answerTimeStats(
        ['x', 'y'],
        [
          { categoryId: null, days: 3 },
          { categoryId: 'y', days: 1 },
          { categoryId: 'y', days: 2.04 },
          { categoryId: 'y', days: 10 },
        ],
      ),
    ).toEqual([
      { categoryId: 'x', answered: 0, medianDays: null, p90Days: null },
      { categoryId: 'y', answered: 3, medianDays: 2, p90Days: 8.4 },
      { categoryId: null, answered: 1, medianDays: 3, p90Days: 3 },
    ]);
  });

  it('leaves out "no category" when nothing without one was answered', () => {
    expect(answerTimeStats(['x'], []).map((s) => s.categoryId)).toEqual(['x']);
  });
});
