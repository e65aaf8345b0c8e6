import { describe, expect, it } from '@jest/globals';
import type { TreeUnit, UnitKind } from '../api/org-units.js';
import { ancestorsOf, indexUnits, kindBelow, moveTargets, namesPath } from './units-logic.js';

const unit = (path: string, name: string, kind: UnitKind = 'group'): TreeUnit => {
  const parts = path.split('/');
  return {
    id: path,
    parentId: parts.length > 1 ? parts.slice(0, -1).join('/') : null,
    slug: parts.at(-1)!,
    name,
    kind,
    path,
    depth: parts.length - 1,
    memberCount: 0,
    subtreeMemberCount: 0,
    childCount: 0,
    secretary: null,
  };
};

const whole = indexUnits([
  unit('committee', '委员会', 'committee'),
  unit('committee/east', '东区', 'branch'),
  unit('committee/east/group-1', '东区一组'),
  unit('committee/east/group-1/team', '东区一组甲队', 'unit'),
  unit('committee/east/group-2', '东区二组'),
  unit('committee/west', '西区', 'branch'),
  unit('committee/west/group-1', '西区一组'),
  unit('committee/north', '北区', 'branch'),
]);
// A branch admin's list: their unit's parent is not in it.
const branch = indexUnits([
  unit('committee/east', '东区', 'branch'),
  unit('committee/east/group-1', '东区一组'),
  unit('committee/east/group-2', '东区二组'),
]);
const paths = (units: TreeUnit[]) => units.map((u) => u.path);

describe('indexUnits', () => {
  it('finds the top unit and each unit’s children', () => {
    expect(paths(whole.tops)).toEqual(['committee']);
    expect(paths(whole.children.get('committee')!)).toEqual(['committee/east', 'committee/west', 'committee/north']);
    expect(paths(branch.tops)).toEqual(['committee/east']);
  });
});

describe('ancestorsOf and namesPath', () => {
  it.each([
    ['committee/east/group-1/team', ['committee', 'committee/east', 'committee/east/group-1'], '委员会 / 东区 / 东区一组 / 东区一组甲队'],
    ['committee', [], '委员会'],
  ])('%s', (path, ancestors, names) => {
    expect(paths(ancestorsOf(whole, path))).toEqual(ancestors);
    expect(namesPath(whole, whole.byId.get(path)!)).toBe(names);
  });

  it('stops at the top of a branch admin’s list', () => {
    expect(namesPath(branch, branch.byId.get('committee/east/group-1')!)).toBe('东区 / 东区一组');
  });
});

describe('moveTargets', () => {
  it.each([
    // Not itself, not below it, not its present parent; west already has a "group-1".
    ['committee/east/group-1', whole, ['committee', 'committee/east/group-2', 'committee/west/group-1', 'committee/north']],
    [
      'committee/east/group-2',
      whole,
      ['committee', 'committee/east/group-1', 'committee/east/group-1/team', 'committee/west', 'committee/west/group-1', 'committee/north'],
    ],
    ['committee/east', whole, ['committee/west', 'committee/west/group-1', 'committee/north']],
    // Nowhere for the top unit of the list.
    ['committee', whole, []],
    ['committee/east', branch, []],
    ['committee/east/group-1', branch, ['committee/east/group-2']],
  ])('%s', (path, index, expected) => {
    expect(paths(moveTargets(index, index.byId.get(path)!)).sort()).toEqual([...expected].sort());
  });
});

describe('kindBelow', () => {
  it.each([
    ['committee', 'branch'],
    ['branch', 'group'],
    ['group', 'unit'],
    ['unit', 'unit'],
  ] as const)('%s → %s', (parent, child) => {
    expect(kindBelow(parent)).toBe(child);
  });
});
