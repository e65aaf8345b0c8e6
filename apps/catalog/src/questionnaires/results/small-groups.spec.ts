import { describe, expect, it } from '@jest/globals';
import { SmallGroups, type RespondentCount, type UnitNode } from './small-groups.js';

// root ─ a ─ a1, a2
//      ├ b
//      └ c
const TREE: UnitNode[] = [
  { id: 'root', parentId: null },
  { id: 'a', parentId: 'root' },
  { id: 'a1', parentId: 'a' },
  { id: 'a2', parentId: 'a' },
  { id: 'b', parentId: 'root' },
  { id: 'c', parentId: 'root' },
];

const at = (unitId: string, count: number, category: string | null = 'retired'): RespondentCount => ({ unitId, category, count });
const shownUnits = (groups: SmallGroups) =>
  Object.fromEntries(TREE.map((u) => [u.id, groups.subtree(u.id).shown ? groups.subtree(u.id).count : null]));

describe('SmallGroups: units', () => {
  it.each<[string, RespondentCount[], Record<string, number | null>]>([
    [
      'every group of five or more is shown',
      [at('a1', 5), at('a2', 6), at('b', 7), at('c', 5)],
      { root: 23, a: 11, a1: 5, a2: 6, b: 7, c: 5 },
    ],
    [
      'a group of four is hidden, and the smallest other part with it, so the total does not tell it',
      [at('a1', 5), at('a2', 6), at('b', 4), at('c', 9)],
      { root: 24, a: 11, a1: 5, a2: 6, b: null, c: null },
    ],
    [
      'two small groups hidden together hold five: nothing more is hidden',
      [at('a1', 5), at('a2', 6), at('b', 2), at('c', 3)],
      { root: 16, a: 11, a1: 5, a2: 6, b: null, c: null },
    ],
    [
      'a hidden unit hides the units below it, and the units above keep their parts consistent',
      [at('a1', 1), at('a2', 2), at('b', 10), at('c', 10)],
      { root: 23, a: null, a1: null, a2: null, b: null, c: 10 },
    ],
    ['fewer than five in all: nothing is shown', [at('a1', 1), at('b', 3)], { root: null, a: null, a1: null, a2: null, b: null, c: null }],
    [
      'members directly in a unit are a part of it too: two of them hide the smallest unit below it',
      [at('a', 2), at('a1', 6), at('a2', 7), at('b', 5), at('c', 5)],
      { root: 25, a: 15, a1: null, a2: 7, b: 5, c: 5 },
    ],
  ])('%s', (_name, respondents, expected) => {
    expect(shownUnits(new SmallGroups(TREE, respondents))).toEqual(expected);
  });
});

describe('SmallGroups: categories', () => {
  it('hides a small category and the next smallest, in the unit and in the units above', () => {
    const groups = new SmallGroups(TREE, [
      at('a1', 6, 'retired'),
      at('a1', 3, 'rural'),
      at('a1', 7, 'mobile'),
      at('a2', 9, 'retired'),
      at('b', 8, 'rural'),
    ]);
    expect(groups.subtree('a1').shown).toBe(true);
    expect(groups.subtree('a1', 'rural').shown).toBe(false);
    // Unit a's rural (3) is as small, so its smallest other category (mobile, 7) is hidden with it, and so in a1.
    expect(groups.subtree('a', 'mobile').shown).toBe(false);
    expect(groups.subtree('a1', 'mobile').shown).toBe(false);
    // Then a1's hidden categories hold ten: retired stays, in a1 and in a2.
    expect(groups.subtree('a1', 'retired')).toEqual({ count: 6, shown: true });
    expect(groups.subtree('a2', 'retired').shown).toBe(true);
    // At the top, rural = a's 3 + b's 8: b's rural is hidden with a's, the total of eleven stays.
    expect(groups.subtree('b', 'rural').shown).toBe(false);
    expect(groups.subtree('root', 'rural')).toEqual({ count: 11, shown: true });
  });

  it('members without a category are a category of their own', () => {
    const many = new SmallGroups(TREE, [at('b', 6, null), at('b', 6, 'retired'), at('c', 7, null)]);
    expect(many.subtree('b', '')).toEqual({ count: 6, shown: true });
    expect(many.subtree('root', '')).toEqual({ count: 13, shown: true });
    const few = new SmallGroups(TREE, [at('b', 6, null), at('b', 6, 'retired'), at('c', 2, null)]);
    expect(few.subtree('c', '').shown).toBe(false);
    expect(few.subtree('b', '').shown).toBe(false);
  });

  it('no table whose total is shown has hidden parts holding between one and four respondents', () => {
    // Random organisations: the rule holds for every table a report can show.
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    for (let round = 0; round < 80; round++) {
      const respondents = TREE.flatMap((u) =>
        ['retired', 'rural', null].map((category) => at(u.id, random(3) === 0 ? 0 : random(9), category)),
      );
      const groups = new SmallGroups(TREE, respondents);
      const categories: Array<string | undefined> = [undefined, 'retired', 'rural', ''];
      for (const unit of TREE) {
        const below = TREE.filter((u) => u.parentId === unit.id);
        for (const category of categories) {
          if (!groups.subtree(unit.id, category).shown) continue;
          const hidden = below.map((u) => groups.subtree(u.id, category)).filter((f) => !f.shown);
          const sum = hidden.reduce((s, f) => s + f.count, 0);
          const direct = groups.direct(unit.id, category);
          const total = sum + (direct.shown ? 0 : direct.count);
          expect(total === 0 || total >= 5).toBe(true);
        }
        if (groups.subtree(unit.id).shown) {
          const sum = ['retired', 'rural', '']
            .map((c) => groups.subtree(unit.id, c))
            .filter((f) => !f.shown)
            .reduce((s, f) => s + f.count, 0);
          expect(sum === 0 || sum >= 5).toBe(true);
        }
        for (const category of categories) {
          const figure = groups.subtree(unit.id, category);
          if (figure.shown) expect(figure.count === 0 || figure.count >= 5).toBe(true);
        }
      }
    }
  });
});

describe('SmallGroups: the unit an anonymous answer is told of', () => {
  it.each<[string, RespondentCount[], string, string | null]>([
    ['its own unit when shown', [at('a1', 5), at('a2', 5)], 'a1', 'a1'],
    ['the smallest shown unit above a hidden one', [at('a1', 5), at('a2', 2), at('b', 9)], 'a2', 'a'],
    ['none when the top itself is hidden', [at('a1', 2)], 'a1', null],
    ['none for a unit outside the top', [at('a1', 5), at('b', 5)], 'b', null],
  ])('%s', (_name, respondents, unit, expected) => {
    const top = expected === null && unit === 'b' ? 'a' : 'root';
    expect(new SmallGroups(TREE, respondents).shownUnitOf(unit, top)).toBe(expected);
  });
});
