import { describe, expect, it } from '@jest/globals';
import { openWhilePasswordChangeRequired } from './password-change-gate.js';

describe('openWhilePasswordChangeRequired', () => {
  it.each([
    ['POST', '/api/account/password', true],
    ['post', '/api/account/password/', true],
    ['POST', '/api/auth/logout', true],
    ['GET', '/api/me', true],
    ['GET', '/api/account/password', false],
    ['PATCH', '/api/me', false],
    ['GET', '/api/members', false],
    ['POST', '/api/members/x/reset-password', false],
    ['GET', '/api/courses', false],
    [undefined, undefined, false],
  ])('%s %s → %s', (method, path, open) => {
    expect(openWhilePasswordChangeRequired(method, path)).toBe(open);
  });
});
