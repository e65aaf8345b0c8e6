import { describe, expect, it } from '@jest/globals';
import { inspectorMayCall } from './auth.guard.js';

describe('inspectorMayCall', () => {
  it.each([
    ['GET', '/api/reports/courses', true],
    ['HEAD', '/files/abc', true],
    ['OPTIONS', '/files', true],
    ['get', '/api/study-plans', true],
    ['POST', '/api/auth/logout', true],
    ['POST', '/api/auth/logout/', true],
    ['POST', '/API/Account/Password', true],
    ['POST', '/api/account/password', true],
    ['PATCH', '/api/account/password', false],
    ['POST', '/api/account/password/x', false],
    ['POST', '/api/reports/plans/1/close', false],
    ['POST', '/api/study-plans', false],
    ['PATCH', '/files/abc', false],
    ['DELETE', '/api/lectures/1', false],
    ['PUT', '/api/courses/1/cover', false],
    ['POST', '/files', false],
    [undefined, '/api/reports/courses', false],
    ['POST', undefined, false],
  ] as const)('%s %s → %s', (method, path, expected) => {
    expect(inspectorMayCall(method, path)).toBe(expected);
  });
});
