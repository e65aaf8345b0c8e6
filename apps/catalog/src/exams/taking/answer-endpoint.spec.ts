import { describe, expect, it } from '@jest/globals';
import { answerRoute, readsAsJson } from './answer-endpoint.js';

const ID = '0b0e3f5c-6a47-4d55-9a55-6f1d6c0f2a11';

describe('answerRoute', () => {
  it.each([
    [`/api/me/attempts/${ID}/answers/3`, { attemptId: ID, item: '3' }],
    [`/api/me/attempts/${ID}/answers/3/`, { attemptId: ID, item: '3' }],
    [`/API/Me/Attempts/${ID}/ANSWERS/3`, { attemptId: ID, item: '3' }],
    [`/api/me/attempts/${ID}/answers/3?x=1&y=/2`, { attemptId: ID, item: '3' }],
    [`/api/me/attempts/${ID}/answers/3/?x`, { attemptId: ID, item: '3' }],
    [`http://catalog.example/api/me/attempts/${ID}/answers/3`, { attemptId: ID, item: '3' }],
    [`/api/me/attempts/%30b0e3f5c-6a47-4d55-9a55-6f1d6c0f2a11/answers/%33`, { attemptId: ID, item: '3' }],
    ['/api/me/attempts/not-an-id/answers/x', { attemptId: 'not-an-id', item: 'x' }],
  ])('routes %s to the fast path', (url, route) => {
    expect(answerRoute('PUT', url)).toEqual(route);
  });

  it.each([
    ['GET', `/api/me/attempts/${ID}/answers/3`],
    ['POST', `/api/me/attempts/${ID}/answers/3`],
    ['put', `/api/me/attempts/${ID}/answers/3`],
    ['PUT', `/api/me/attempts/${ID}/answers/3//`],
    ['PUT', `/api/me/attempts/${ID}/answers/`],
    ['PUT', `/api/me/attempts/${ID}/answers/3/extra`],
    ['PUT', `/api/me/attempts//answers/3`],
    ['PUT', `//api/me/attempts/${ID}/answers/3`],
    ['PUT', `/api/me/attempts/${ID}`],
    ['PUT', `/api/me/attempts/${ID}/answers/%E0%A4%A`],
    ['PUT', `/api/heartbeats`],
    ['PUT', ''],
    ['PUT', undefined],
  ])('leaves %s %s to Express', (method, url) => {
    expect(answerRoute(method, url)).toBeNull();
  });
});

describe('readsAsJson', () => {
  it.each([
    [{ 'content-type': 'application/json' }, true],
    [{ 'content-type': 'application/json; charset=utf-8' }, true],
    [{ 'content-type': 'Application/JSON; charset="UTF-8"' }, true],
    [{ 'content-type': 'application/merge-patch+json' }, true],
    [{ 'content-type': 'application/json', 'content-encoding': 'identity' }, true],
    [{ 'content-type': 'application/json', 'content-encoding': 'gzip' }, false],
    [{ 'content-type': 'application/json; charset=latin1' }, false],
    [{ 'content-type': 'text/plain' }, false],
    [{}, false],
  ])('%j reads as JSON: %s', (headers, expected) => {
    expect(readsAsJson(headers)).toBe(expected);
  });
});
