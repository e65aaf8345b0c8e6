import { describe, expect, it } from '@jest/globals';
import { contentTypeProblem, isHeartbeatRequest } from './heartbeat-endpoint.js';

describe('isHeartbeatRequest', () => {
  it.each<[string, string | undefined, string | undefined, boolean]>([
    ['the path itself', 'POST', '/api/heartbeats', true],
    ['with a query string', 'POST', '/api/heartbeats?x=1', true],
    ['with a trailing slash', 'POST', '/api/heartbeats/', true],
    ['in other letter case', 'POST', '/API/Heartbeats', true],
    ['as an absolute-form target', 'POST', 'http://example.com/api/heartbeats?x=1', true],
    ['another method', 'GET', '/api/heartbeats', false],
    ['another path', 'POST', '/api/heartbeats-export', false],
    ['a path below it', 'POST', '/api/heartbeats/1', false],
    ['no url', 'POST', undefined, false],
  ])('%s', (_name, method, url, expected) => {
    expect(isHeartbeatRequest(method, url)).toBe(expected);
  });
});

describe('contentTypeProblem', () => {
  it.each<[string | undefined, boolean]>([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['text/plain;charset=UTF-8', true],
    ['TEXT/PLAIN', true],
    ['application/x-www-form-urlencoded', false],
    ['multipart/form-data; boundary=x', false],
    [undefined, false],
  ])('%s', (type, accepted) => {
    const problem = contentTypeProblem(type);
    if (accepted) expect(problem).toBeNull();
    else expect(problem).toContain('application/json');
  });
});
