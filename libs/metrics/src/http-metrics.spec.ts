import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expressRoute, instrumentHttpServer, metricsAccess } from './http-metrics.js';
import { registry } from './registry.js';

const TOKEN = 't'.repeat(40);
const req = (remoteAddress: string, headers: Record<string, string> = {}) =>
  ({ socket: { remoteAddress }, headers }) as unknown as IncomingMessage;

describe('who may read /metrics', () => {
  it.each([
    ['loopback, no token configured', req('127.0.0.1'), undefined, 200],
    ['IPv6 loopback', req('::1'), undefined, 200],
    ['IPv4-mapped loopback', req('::ffff:127.0.0.1'), undefined, 200],
    ['loopback but forwarded by a proxy', req('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }), undefined, 403],
    ['loopback with a Forwarded header', req('127.0.0.1', { forwarded: 'for=203.0.113.9' }), undefined, 403],
    ['another machine, no token configured', req('10.0.0.7'), undefined, 403],
    ['another machine with the token', req('10.0.0.7', { authorization: `Bearer ${TOKEN}` }), TOKEN, 200],
    ['another machine without it', req('10.0.0.7'), TOKEN, 401],
    ['loopback without it, once a token is set', req('127.0.0.1'), TOKEN, 401],
    ['a wrong token', req('10.0.0.7', { authorization: `Bearer ${'u'.repeat(40)}` }), TOKEN, 403],
    ['a prefix of the token', req('10.0.0.7', { authorization: `Bearer ${TOKEN.slice(0, 20)}` }), TOKEN, 403],
  ])('%s', (_name, request, token, status) => {
    expect(metricsAccess(request, token)).toBe(status);
  });
});

describe('route labels', () => {
  it.each([
    [{ route: { path: '/api/courses/:id' }, baseUrl: '' }, '/api/courses/:id'],
    [{ route: { path: '/queue/:name' }, baseUrl: '/api/admin/queues' }, '/api/admin/queues/queue/:name'],
    [{ baseUrl: '/api/admin/queues' }, '/api/admin/queues/*'],
    [{}, undefined],
  ])('%j → %s', (routed, label) => {
    expect(expressRoute(routed as unknown as IncomingMessage)).toBe(label);
  });
});

describe('an instrumented server', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    instrumentHttpServer(server, {
      routeOf: (r) => (r.url?.startsWith('/things/') ? '/things/:id' : undefined),
      serveMetrics: { token: undefined },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('counts requests by route pattern, never by raw path, and serves its metrics', async () => {
    await fetch(`${base}/things/raw-id-one`);
    await fetch(`${base}/things/raw-id-two?token=secret`);
    await fetch(`${base}/somewhere/else`);
    const scrape = await fetch(`${base}/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toContain('text/plain');
    const text = await scrape.text();
    expect(text).toMatch(/lectern_http_requests_total\{method="GET",route="\/things\/:id",status="2xx"\} 2/);
    expect(text).toMatch(/lectern_http_requests_total\{method="GET",route="unmatched",status="2xx"\} 1/);
    // Ids, not digits: a duration's sum may hold any digits.
    expect(text).not.toContain('raw-id');
    expect(text).not.toContain('/somewhere');
    expect(text).not.toContain('secret');
    expect(await registry.metrics()).toContain('lectern_http_request_duration_seconds_bucket');
  });

  it('refuses a scrape that came through a proxy', async () => {
    const scrape = await fetch(`${base}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(scrape.status).toBe(403);
  });
});
