import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '#logging';
import { trustOneHopFrom } from '#platform/trusted-proxies';
import { createGateway } from './gateway.js';
import { CONTENT_SECURITY_POLICY, requestProtocol } from './security-headers.js';

describe('requestProtocol', () => {
  const from = (remoteAddress: string, proto?: string, encrypted = false) =>
    ({
      headers: proto === undefined ? {} : { 'x-forwarded-proto': proto },
      socket: { remoteAddress, encrypted },
    }) as unknown as IncomingMessage;
  const loopback = trustOneHopFrom('loopback');
  it.each([
    ['a trusted proxy says https', from('127.0.0.1', 'https'), 'https'],
    ['a trusted proxy says HTTPS, then a later hop http', from('::1', 'HTTPS, http'), 'https'],
    ['a trusted proxy says http', from('127.0.0.1', 'http'), 'http'],
    ['a trusted proxy says nothing', from('127.0.0.1'), 'http'],
    ['a trusted proxy says something else', from('127.0.0.1', 'gopher'), 'http'],
    ['anyone else says https', from('203.0.113.9', 'https'), 'http'],
    ['anyone else, over TLS to the gateway itself', from('203.0.113.9', undefined, true), 'https'],
    ['anyone else says http over TLS', from('203.0.113.9', 'http', true), 'https'],
  ])('%s → %s', (_label, req, expected) => expect(requestProtocol(req, loopback)).toBe(expected));
});

describe('the gateway’s security headers', () => {
  const dist = mkdtempSync(join(tmpdir(), 'lectern-gateway-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>');
  let upstream: Server;
  let seen: IncomingHttpHeaders = {};
  const gateways: Server[] = [];

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      seen = req.headers;
      res.writeHead(200, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' });
      res.end('{}');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const server of [upstream, ...gateways]) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    rmSync(dist, { recursive: true, force: true });
  });

  async function gateway(trustedProxies: string): Promise<string> {
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const server = createGateway({
      catalogUrl: upstreamUrl,
      uploadUrl: upstreamUrl,
      distDir: dist,
      logger: createLogger('web', 'silent'),
      trustedProxies,
    });
    gateways.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** node:http rather than fetch, to see each header line as sent (fetch joins repeated ones). */
  const get = (url: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; raw: string[] }>((resolve, reject) => {
      const req = request(url, { headers }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, raw: res.rawHeaders }));
      });
      req.on('error', reject);
      req.end();
    });
  const header = (raw: string[], name: string) => {
    const values: string[] = [];
    for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) values.push(raw[i + 1]!);
    return values;
  };

  it('gives the app its CSP, no framing and no Referer; HSTS only when a trusted proxy says the browser used TLS', async () => {
    const base = await gateway('loopback');
    const plain = await get(`${base}/courses`);
    expect(plain.status).toBe(200);
    expect(header(plain.raw, 'content-security-policy')).toEqual([CONTENT_SECURITY_POLICY]);
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(header(plain.raw, 'x-frame-options')).toEqual(['DENY']);
    expect(header(plain.raw, 'x-content-type-options')).toEqual(['nosniff']);
    expect(header(plain.raw, 'referrer-policy')).toEqual(['no-referrer']);
    expect(header(plain.raw, 'strict-transport-security')).toEqual([]);

    const overTls = await get(`${base}/courses`, { 'x-forwarded-proto': 'https' });
    expect(header(overTls.raw, 'strict-transport-security')).toEqual(['max-age=31536000']);
  });

  it('passes the real scheme upstream and adds HSTS to proxied answers without repeating their own headers', async () => {
    const base = await gateway('loopback');
    const plain = await get(`${base}/api/me`);
    expect(seen['x-forwarded-proto']).toBe('http');
    expect(header(plain.raw, 'strict-transport-security')).toEqual([]);
    expect(header(plain.raw, 'x-content-type-options')).toEqual(['nosniff']);
    expect(header(plain.raw, 'content-security-policy')).toEqual([]);

    const overTls = await get(`${base}/api/me`, { 'x-forwarded-proto': 'https' });
    expect(seen['x-forwarded-proto']).toBe('https');
    expect(header(overTls.raw, 'strict-transport-security')).toEqual(['max-age=31536000']);
    expect(header(overTls.raw, 'x-content-type-options')).toEqual(['nosniff']);
  });

  it('believes no X-Forwarded-Proto from a client it does not trust', async () => {
    const base = await gateway('10.0.0.0/8');
    const claimed = await get(`${base}/courses`, { 'x-forwarded-proto': 'https' });
    expect(header(claimed.raw, 'strict-transport-security')).toEqual([]);
    await get(`${base}/api/me`, { 'x-forwarded-proto': 'https' });
    expect(seen['x-forwarded-proto']).toBe('http');
  });
});
