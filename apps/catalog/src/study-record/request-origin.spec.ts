import { describe, expect, it } from '@jest/globals';
import { publicOrigin } from './request-origin.js';

describe('publicOrigin', () => {
  it.each<[string, string | undefined, string | null]>([
    ['http', 'localhost:8080', 'http://localhost:8080'],
    ['https', 'Study.Example.ORG', 'https://study.example.org'],
    ['http', '127.0.0.1:3000', 'http://127.0.0.1:3000'],
    ['http', '[::1]:8080', 'http://[::1]:8080'],
    ['gopher', 'example.org', 'http://example.org'],
    ['http', undefined, null],
    ['http', '', null],
    ['http', 'evil.org/path', null],
    ['http', 'a.org@b.org', null],
    ['http', 'example.org:80:80', null],
    ['http', 'exa mple.org', null],
    ['http', 'x'.repeat(300), null],
  ])('%s + %j → %j', (protocol, host, expected) => {
    expect(publicOrigin(protocol, host)).toBe(expected);
  });
});
