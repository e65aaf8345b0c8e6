import { describe, expect, it } from '@jest/globals';
import type { Role } from '#auth';
import { mayAddSharedCategory, mayEditCourse, mayManageAccount, mayNameAudience, playbackAccess, type Caller } from './access-rules.js';

const who = (role: Role, unitPath: string): Caller => ({ role, unitPath });

describe('mayEditCourse', () => {
  it.each([
    [who('editor', 'committee'), 'committee/west', true],
    [who('editor', 'committee'), 'committee', true],
    [who('editor', 'committee/east'), 'committee/east/group-1', true],
    [who('editor', 'committee/east'), 'committee/east', true],
    [who('editor', 'committee/east'), 'committee', false],
    [who('editor', 'committee/east'), 'committee/west', false],
    [who('editor', 'committee/east'), 'committee/eastern', false],
    [who('admin', 'committee'), 'committee/east', false],
    [who('admin', 'committee/east'), 'committee/east', false],
    [who('member', 'committee/east'), 'committee/east', false],
  ])('%j edits a course of %s → %s', (caller, owner, expected) => {
    expect(mayEditCourse(caller, owner)).toBe(expected);
  });
});

describe('mayNameAudience', () => {
  it.each([
    [who('editor', 'committee'), [], true],
    [who('editor', 'committee'), ['committee/west/group-1'], true],
    [who('editor', 'committee/east'), [], false],
    [who('editor', 'committee/east'), ['committee/east', 'committee/east/group-2'], true],
    [who('editor', 'committee/east'), ['committee/east', 'committee/west'], false],
    [who('editor', 'committee/east'), ['committee'], false],
    [who('admin', 'committee'), ['committee/east'], false],
  ])('%j names %j → %s', (caller, paths, expected) => {
    expect(mayNameAudience(caller, paths)).toBe(expected);
  });
});

describe('playbackAccess', () => {
  it.each([
    [who('member', 'committee/east/group-1'), 'published', 'committee', true, 'learner'],
    [who('member', 'committee/east/group-1'), 'draft', 'committee', true, 'none'],
    [who('member', 'committee/east/group-1'), 'published', 'committee', false, 'none'],
    [who('admin', 'committee'), 'draft', 'committee', true, 'none'],
    [who('admin', 'committee'), 'archived', 'committee', true, 'none'],
    [who('admin', 'committee/east'), 'published', 'committee/west', false, 'none'],
    [who('admin', 'committee/east'), 'published', 'committee/west', true, 'learner'],
    [who('editor', 'committee/east'), 'draft', 'committee/east/group-1', false, 'preview'],
    [who('editor', 'committee/east'), 'draft', 'committee/west', true, 'none'],
    [who('editor', 'committee/east'), 'published', 'committee/west', true, 'learner'],
    [who('editor', 'committee'), 'archived', 'committee/west', false, 'preview'],
  ] as const)('%j, a %s course of %s, shown to them: %s → %s', (caller, status, ownerPath, visibleToCaller, expected) => {
    expect(playbackAccess(caller, { status, ownerPath, visibleToCaller })).toBe(expected);
  });
});

describe('mayManageAccount', () => {
  it.each([
    [who('admin', 'committee'), null, 'editor', true],
    [who('admin', 'committee'), { role: 'admin' }, 'member', true],
    [who('admin', 'committee/east'), null, 'member', true],
    [who('admin', 'committee/east'), null, 'editor', false],
    [who('admin', 'committee/east'), null, 'admin', false],
    [who('admin', 'committee/east'), { role: 'member' }, undefined, true],
    [who('admin', 'committee/east'), { role: 'member' }, 'editor', false],
    [who('admin', 'committee/east'), { role: 'editor' }, undefined, false],
    [who('admin', 'committee/east'), { role: 'admin' }, 'member', false],
    [who('editor', 'committee'), null, 'member', false],
    [who('admin', 'committee'), null, 'inspector', true],
    [who('admin', 'committee'), { role: 'inspector' }, undefined, true],
    [who('admin', 'committee'), { role: 'inspector' }, 'member', true],
    [who('admin', 'committee/east'), null, 'inspector', false],
    [who('admin', 'committee/east'), { role: 'member' }, 'inspector', false],
    [who('admin', 'committee/east'), { role: 'inspector' }, undefined, false],
    [who('admin', 'committee/east'), { role: 'inspector' }, 'member', false],
    [who('inspector', 'committee'), null, 'member', false],
    [who('inspector', 'committee'), { role: 'member' }, undefined, false],
  ] as const)('%j, account %j, new role %s → %s', (caller, account, role, expected) => {
    expect(mayManageAccount(caller, account, role)).toBe(expected);
  });
});

describe('mayAddSharedCategory', () => {
  it.each([
    [who('editor', 'committee'), 'course', true],
    [who('admin', 'committee'), 'course', true],
    [who('editor', 'committee/east'), 'course', false],
    [who('admin', 'committee/east'), 'course', false],
    [who('member', 'committee'), 'course', false],
    [who('admin', 'committee'), 'member', true],
    [who('editor', 'committee'), 'member', false],
    [who('admin', 'committee/east'), 'member', false],
  ] as const)('%j adds a %s category → %s', (caller, kind, expected) => {
    expect(mayAddSharedCategory(caller, kind)).toBe(expected);
  });
});
