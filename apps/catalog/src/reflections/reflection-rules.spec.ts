import { describe, expect, it } from '@jest/globals';
import { REFLECTION_STATUSES, type ReflectionStatus } from '#contracts';
import { checkAction, isAccepted, mayReview, reviewScopes, type ReflectionAction, type Reviewer } from './reflection-rules.js';

const member = (positions: Reviewer['positions'] = [], role = 'member'): Reviewer => ({
  userId: 'r',
  role,
  orgPath: 'city/east',
  positions,
});

describe('who may review a reflection', () => {
  it.each<[string, Reviewer, string, string, boolean]>([
    ['a plain member reviews nobody', member(), 'a', 'city/east', false],
    ['a group leader reviews their group', member([{ unitPath: 'city/east/g1', positionCode: 'group-leader' }]), 'a', 'city/east/g1', true],
    ['… and units below it', member([{ unitPath: 'city/east/g1', positionCode: 'group-leader' }]), 'a', 'city/east/g1/x', true],
    ['… but not a sibling group', member([{ unitPath: 'city/east/g1', positionCode: 'group-leader' }]), 'a', 'city/east/g10', false],
    ['… nor the unit above', member([{ unitPath: 'city/east/g1', positionCode: 'group-leader' }]), 'a', 'city/east', false],
    ['a secretary reviews the branch', member([{ unitPath: 'city/east', positionCode: 'secretary' }]), 'a', 'city/east/g2', true],
    ['a committee member does not review', member([{ unitPath: 'city/east', positionCode: 'committee-member' }]), 'a', 'city/east', false],
    ['an admin reviews their subtree', member([], 'admin'), 'a', 'city/east/g2', true],
    ['an admin does not review outside it', member([], 'admin'), 'a', 'city/west', false],
    ['an editor without a position reviews nobody', member([], 'editor'), 'a', 'city/east', false],
    ['nobody reviews their own', member([{ unitPath: 'city', positionCode: 'secretary' }], 'admin'), 'r', 'city/east', false],
  ])('%s', (_name, reviewer, author, unitPath, expected) => {
    expect(mayReview(reviewer, author, unitPath)).toBe(expected);
  });

  it('keeps only the outermost of nested scopes', () => {
    expect(
      reviewScopes(
        member(
          [
            { unitPath: 'city/east/g1', positionCode: 'group-leader' },
            { unitPath: 'city/west', positionCode: 'secretary' },
          ],
          'admin',
        ),
      ),
    ).toEqual(['city/east', 'city/west']);
  });
});

describe('what may be done in each status', () => {
  const allowed: Record<ReflectionAction, ReflectionStatus[]> = {
    save: ['draft', 'returned'],
    submit: ['draft', 'returned'],
    withdraw: ['draft', 'submitted', 'returned'],
    consent: ['excellent'],
    review: ['submitted'],
  };
  const cases = (Object.keys(allowed) as ReflectionAction[]).flatMap((action) =>
    REFLECTION_STATUSES.map((status) => [action, status, allowed[action].includes(status)] as const),
  );
  it.each(cases)('%s when %s: %s', (action, status, ok) => {
    const message = checkAction(action, status);
    if (ok) expect(message).toBeNull();
    else expect(message).toMatch(/\.$/);
  });

  it('counts read and excellent as accepted', () => {
    expect(REFLECTION_STATUSES.filter(isAccepted)).toEqual(['read', 'excellent']);
  });
});
