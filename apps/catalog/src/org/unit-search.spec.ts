import { describe, expect, it } from '@jest/globals';
import { MATCH_RANKS, matchUnit, namesAlong, searchUnits, spellingOf, type SearchableUnit } from './unit-search.js';

const unit = (path: string, name: string): SearchableUnit => ({
  id: path,
  name,
  slug: path.split('/').at(-1)!,
  path,
  depth: path.split('/').length - 1,
});

const committee = unit('committee', '委员会');
const east = unit('committee/east', '东区');
const eastOne = unit('committee/east/group-1', '东区一组');
const eastTwo = unit('committee/east/group-2', '东区第二小组');
const west = unit('committee/west', '西区分会');
const village = unit('committee/north/village-1', '北区农村小组');
const latin = unit('committee/north/team-a', 'Team A 队');
const all = [committee, east, eastOne, eastTwo, west, village, latin];

describe('matchUnit', () => {
  it.each([
    // query, unit, rank (null: no match)
    ['东区', east, MATCH_RANKS.nameExact],
    ['东区', eastOne, MATCH_RANKS.namePrefix],
    ['一组', eastOne, MATCH_RANKS.nameContains],
    ['  东 区 ', east, MATCH_RANKS.nameExact],
    ['dq', east, MATCH_RANKS.initialsPrefix],
    ['dqyz', eastOne, MATCH_RANKS.initialsPrefix],
    ['DQYZ', eastOne, MATCH_RANKS.initialsPrefix],
    ['dqyzx', eastOne, null],
    ['xq', west, MATCH_RANKS.initialsPrefix],
    ['xz', village, MATCH_RANKS.initialsContains],
    ['nc', village, MATCH_RANKS.initialsContains],
    ['nongcun', village, MATCH_RANKS.pinyinPrefix],
    ['dongqu', eastOne, MATCH_RANKS.pinyinPrefix],
    ['dongq', eastOne, MATCH_RANKS.pinyinPrefix],
    ['xiaozu', eastTwo, MATCH_RANKS.pinyinPrefix],
    ['ncxz', village, MATCH_RANKS.initialsContains],
    ['wyh', committee, MATCH_RANKS.initialsPrefix],
    ['team', latin, MATCH_RANKS.namePrefix],
    ['teamad', latin, MATCH_RANKS.initialsPrefix],
    ['group-1', eastOne, MATCH_RANKS.slug],
    ['village', village, MATCH_RANKS.slug],
    ['east/group', eastOne, MATCH_RANKS.path],
    ['east/group', east, null],
    ['committee/west', west, MATCH_RANKS.path],
    ['', east, null],
    ['   ', east, null],
    ['南区', east, null],
    ['zz', east, null],
    ['\u0000', east, null],
  ])('%j against %j answers %p', (query, target, rank) => {
    expect(matchUnit(target, query)).toBe(rank);
  });
});

describe('searchUnits', () => {
  it('ranks name matches before initials, shallower units first', () => {
    expect(searchUnits(all, 'dq').map((m) => m.unit.path)).toEqual(['committee/east', 'committee/east/group-1', 'committee/east/group-2']);
    expect(searchUnits(all, '东区').map((m) => m.unit.path)).toEqual([
      'committee/east',
      'committee/east/group-1',
      'committee/east/group-2',
    ]);
  });

  it('finds a unit by path and gives at most the limit', () => {
    expect(searchUnits(all, 'east/group').map((m) => m.unit.path)).toEqual(['committee/east/group-1', 'committee/east/group-2']);
    const many = Array.from({ length: 120 }, (_, i) => unit(`committee/g-${i}`, `小组${i}`));
    expect(searchUnits(many, 'xz')).toHaveLength(50);
    expect(searchUnits(many, 'xz', 5)).toHaveLength(5);
  });

  it('answers nothing for a query that matches nothing', () => {
    expect(searchUnits(all, 'qqqq')).toEqual([]);
  });
});

describe('spellingOf', () => {
  it('spells initials and syllables and gives the cached answer the second time', () => {
    const first = spellingOf('东区一组');
    expect(first).toEqual({ initials: 'dqyz', syllables: ['dong', 'qu', 'yi', 'zu'] });
    expect(spellingOf('东区一组')).toBe(first);
  });
});

describe('namesAlong', () => {
  it('names every unit from the caller’s top unit down', () => {
    const names = new Map(all.map((u) => [u.path, u.name]));
    expect(namesAlong('committee/east/group-1', 'committee', names)).toEqual(['委员会', '东区', '东区一组']);
    expect(namesAlong('committee/east/group-1', 'committee/east', names)).toEqual(['东区', '东区一组']);
  });
});
