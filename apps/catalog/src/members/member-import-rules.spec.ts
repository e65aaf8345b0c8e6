import { describe, expect, it } from '@jest/globals';
import type { MemberRow } from './member-csv.js';
import { describeProblems } from './member-import-reasons.js';
import { classifyRows, driftedRows, resolveCategory, resolveUnit, type ExistingPerson, type ImportContext } from './member-import-rules.js';

const units = [
  { id: 'u-east', path: 'committee/east', name: '东区分会' },
  { id: 'u-g1', path: 'committee/east/group-1', name: '东区第一小组' },
  { id: 'u-g2', path: 'committee/east/group-2', name: '第二小组' },
  { id: 'u-g2b', path: 'committee/east/group-1/sub', name: '第二小组' },
];
const categories = [
  { code: 'retired', nameZh: '离退休', nameEn: 'Retired' },
  { code: 'rural', nameZh: '农村', nameEn: 'Rural' },
];
const person = (over: Partial<ExistingPerson>): ExistingPerson => ({
  id: 'p1',
  login: 'zs',
  name: '张三',
  role: 'member',
  unitId: 'u-g1',
  unitPath: 'committee/east/group-1',
  category: 'retired',
  active: true,
  ...over,
});
const context = (existing: ExistingPerson[] = []): ImportContext => ({
  rootPath: 'committee/east',
  units,
  categories,
  existing: new Map(existing.map((p) => [p.login, p])),
});
const row = (over: Partial<MemberRow>): MemberRow => ({
  line: 2,
  cells: [],
  name: '张三',
  login: 'zs',
  unit: 'committee/east/group-1',
  category: '',
  active: null,
  problems: [],
  ...over,
});

describe('resolveUnit (caller: committee/east)', () => {
  it.each([
    ['committee/east/group-1', 'u-g1'],
    ['/committee/east/group-1/', 'u-g1'],
    ['Committee/East/Group-1', 'u-g1'],
    ['group-1', 'u-g1'],
    ['east/group-1', 'u-g1'],
    ['east', 'u-east'],
    ['东区第一小组', 'u-g1'],
  ])('%j is %s', (raw, id) => expect(resolveUnit(raw, context())).toEqual({ unit: expect.objectContaining({ id }) }));

  it.each([
    ['', 'unit-missing'],
    ['committee/west/group-1', 'unit-outside'],
    ['/committee', 'unit-outside'],
    ['committee/east/group-9', 'unit-unknown'],
    ['west/group-1', 'unit-unknown'],
    ['第二小组', 'unit-ambiguous'],
    ['西区第一小组', 'unit-unknown'],
  ])('%j is refused: %s', (raw, code) => expect(resolveUnit(raw, context())).toEqual({ problem: expect.objectContaining({ code }) }));
});

describe('resolveCategory', () => {
  it.each([
    ['', null],
    ['retired', 'retired'],
    ['RETIRED', 'retired'],
    ['离退休', 'retired'],
    ['rural', 'rural'],
  ])('%j → %j', (raw, code) => expect(resolveCategory(raw, categories)).toEqual({ code }));

  it('names the known categories when one is unknown', () => {
    const answer = resolveCategory('astronaut', categories);
    expect(answer).toEqual({
      problem: { code: 'category-unknown', params: { category: 'astronaut', known: 'retired (离退休), rural (农村)' } },
    });
  });
});

describe('classifyRows', () => {
  it('creates a new login with its unit, category and status (active unless the file says otherwise)', () => {
    expect(classifyRows([row({ category: '农村' })], context())).toEqual([
      {
        action: 'create',
        line: 2,
        login: 'zs',
        name: '张三',
        unitId: 'u-g1',
        unitPath: 'committee/east/group-1',
        category: 'rural',
        active: true,
      },
    ]);
  });

  it('updates a member in the subtree with what changes; blank category and status keep theirs', () => {
    const [outcome] = classifyRows([row({ name: '张叁' })], context([person({})]));
    expect(outcome).toMatchObject({ action: 'update', userId: 'p1', name: '张叁', category: 'retired', active: true });
    expect(outcome.action === 'update' && outcome.changes).toEqual({ name: { from: '张三', to: '张叁' } });
    const [deactivated] = classifyRows([row({ active: false, category: 'rural', unit: '' })], context([person({})]));
    expect(deactivated.action === 'update' && deactivated.changes).toEqual({
      category: { from: 'retired', to: 'rural' },
      active: { from: true, to: false },
    });
  });

  it('leaves a member alone when nothing differs', () => {
    expect(classifyRows([row({ category: 'retired' })], context([person({})]))).toEqual([
      { action: 'unchanged', line: 2, login: 'zs', userId: 'p1' },
    ]);
  });

  it.each([
    ['a person outside the subtree', row({}), [person({ unitPath: 'committee/west/group-1', unitId: 'w' })], 'login-foreign'],
    ['an admin account', row({}), [person({ role: 'admin' })], 'login-not-member'],
    ['a different unit (no silent move)', row({ unit: 'group-2' }), [person({})], 'unit-differs'],
    ['an unknown unit', row({ unit: 'group-9' }), [], 'unit-unknown'],
    ['a unit outside', row({ unit: 'committee/west' }), [], 'unit-outside'],
    ['no unit for a new member', row({ unit: '' }), [], 'unit-missing'],
    ['an unknown category', row({ category: 'astronaut' }), [], 'category-unknown'],
    ['a problem found while reading', row({ problems: [{ code: 'name-missing' }], name: '' }), [], 'name-missing'],
  ])('rejects %s', (_label, input, existing, code) => {
    const [outcome] = classifyRows([input], context(existing));
    expect(outcome.action).toBe('reject');
    expect(outcome.action === 'reject' && outcome.problems.map((p) => p.code)).toContain(code);
  });

  it('gives every reason a sentence in both languages', () => {
    const [outcome] = classifyRows([row({ unit: 'group-2', category: 'x' })], context([person({})]));
    const words = describeProblems(outcome.action === 'reject' ? outcome.problems : []);
    expect(words.reason).toContain('use a transfer');
    expect(words.reason).toContain('category "x" is unknown');
    expect(words.reasonZh).toContain('请办理转接');
  });
});

describe('driftedRows', () => {
  it('reports rows whose preview no longer holds, and ignores rows that were rejected anyway', () => {
    const now = classifyRows(
      [
        row({ line: 2 }),
        row({ line: 3, login: 'ls', unit: 'group-9' }),
        row({ line: 4, login: 'ww' }),
        row({ line: 5, login: 'zl', name: '赵六' }),
      ],
      context([person({}), person({ id: 'p4', login: 'zl', name: '赵' })]),
    );
    const drifted = driftedRows(
      [
        { line: 2, action: 'create' },
        { line: 3, action: 'reject' },
        { line: 4, action: 'create' },
        { line: 5, action: 'unchanged' },
      ],
      now,
    );
    expect(drifted.map((d) => [d.line, d.problems[0].code])).toEqual([
      [2, 'changed'],
      [5, 'changed'],
    ]);
  });
});
