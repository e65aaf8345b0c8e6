import { describe, expect, it } from '@jest/globals';
import { isWithinScope } from './principal.js';

describe('isWithinScope', () => {
  it.each([
    ['committee', 'committee', true],
    ['committee/east', 'committee', true],
    ['committee/east/g1', 'committee/east', true],
    ['committee/eastern', 'committee/east', false],
    ['committee/west/g1', 'committee/east', false],
    ['committee', 'committee/east', false],
  ])('%s within %s → %s', (path, scope, expected) => {
    expect(isWithinScope(path, scope)).toBe(expected);
  });
});
