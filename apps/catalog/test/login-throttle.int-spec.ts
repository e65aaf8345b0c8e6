import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createLogger } from '#logging';
import { createGateway } from '../../web/src/gateway.js';
import { LoginThrottle } from '../src/accounts/login-throttle.js';
import { DEMO_PASSWORD } from '../src/seed/demo-organisation.js';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';

// Each wrong password costs an argon2 verification, slow while the cores are busy.
jest.setTimeout(180_000);

// Two processes of one installation: one Redis, one key prefix, so they share every count.
const sharedPrefix = `lectern-test-throttle-${randomBytes(4).toString('hex')}`;
let first: CatalogHarness;
let second: CatalogHarness;
let quick: CatalogHarness;
let untrusting: CatalogHarness;

/** A client address of its own per test, named by the trusted gateway (the test runs on loopback). */
let nextAddress = 1;
const freshAddress = () => `203.0.113.${nextAddress++}`;
const login = (catalog: CatalogHarness, name: string, password: string, address?: string) => {
  const req = catalog.http().post('/api/auth/login');
  if (address) req.set('X-Forwarded-For', address);
  return req.send({ login: name, password });
};

beforeAll(async () => {
  const options = { QUEUE_PREFIX: sharedPrefix, LOGIN_MAX_FAILURES: '5', LOGIN_MAX_FAILURES_PER_ADDRESS: '7' };
  [first, second, quick, untrusting] = await Promise.all([
    startCatalog(options),
    startCatalog(options),
    // Its throttle runs on a clock the test moves, so expiry is seen without waiting.
    startCatalog({ LOGIN_MAX_FAILURES: '3', LOGIN_FAILURE_WINDOW_SECONDS: '600' }),
    // The peer is not the gateway: whatever X-Forwarded-For it sends is ignored.
    startCatalog({ TRUSTED_PROXIES: '10.9.9.9', LOGIN_MAX_FAILURES_PER_ADDRESS: '4' }),
  ]);
}, 120_000);
afterAll(() => Promise.all([first, second, quick, untrusting].filter(Boolean).map((catalog) => catalog.close())));

describe('login throttling', () => {
  it('locks a login after 5 wrong passwords in a row, answering 429 with Retry-After and a message', async () => {
    const address = freshAddress();
    const statuses: number[] = [];
    let locked: request.Response | undefined;
    for (let attempt = 1; attempt <= 25; attempt++) {
      const answer = await login(first, 'member', 'wrong-password', address);
      statuses.push(answer.status);
      if (answer.status === 429) locked ??= answer;
    }
    expect(statuses).toEqual([401, 401, 401, 401, ...Array(21).fill(429)]);
    expect(locked!.headers['retry-after']).toBe('900');
    expect(locked!.body).toEqual({
      statusCode: 429,
      message: 'Too many failed attempts. Try again in 15 minutes.',
      retryAfterSeconds: 900,
    });

    // While locked, the right password is refused too, so the lock tells nothing about it.
    const right = await login(first, 'member', DEMO_PASSWORD, address);
    expect(right.status).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(right.headers['retry-after'])).toBeLessThanOrEqual(900);
    expect(right.body.message).toMatch(/^Too many failed attempts\. Try again in \d+ minutes?\.$/);
    // Other logins from elsewhere are not affected.
    expect((await login(first, 'editor', DEMO_PASSWORD, freshAddress())).status).toBe(200);
  });

  it('shares the count between two catalog processes on one Redis', async () => {
    const address = freshAddress();
    const statuses: number[] = [];
    for (const catalog of [first, second, first, second, first, second]) {
      statuses.push((await login(catalog, 'admin', 'wrong-password', address)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    expect((await login(first, 'admin', DEMO_PASSWORD, freshAddress())).status).toBe(429);
    expect((await login(second, 'admin', DEMO_PASSWORD, freshAddress())).status).toBe(429);
  });

  it('counts unknown login names like known ones', async () => {
    const address = freshAddress();
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) statuses.push((await login(first, 'nobody-here', 'x', address)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('starts the count afresh after a successful login', async () => {
    const address = freshAddress();
    for (let attempt = 1; attempt <= 4; attempt++) expect((await login(first, 'east-admin', 'wrong', address)).status).toBe(401);
    expect((await login(first, 'east-admin', DEMO_PASSWORD, address)).status).toBe(200);
    const elsewhere = freshAddress();
    for (let attempt = 1; attempt <= 4; attempt++) expect((await login(first, 'east-admin', 'wrong', elsewhere)).status).toBe(401);
  });

  it('locks a client address that tries many login names, right passwords included', async () => {
    const address = freshAddress();
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 8; attempt++) statuses.push((await login(first, `guess-${attempt}`, 'x', address)).status);
    expect(statuses).toEqual([...Array(6).fill(401), 429, 429]);
    expect((await login(second, 'member02', DEMO_PASSWORD, address)).status).toBe(429);
    expect((await login(second, 'member02', DEMO_PASSWORD, freshAddress())).status).toBe(200);
  });

  it('through the gateway, counts the address the gateway saw, whatever X-Forwarded-For the client claims', async () => {
    const catalogServer = first.app.getHttpServer() as Server;
    if (!catalogServer.listening) await new Promise<void>((resolve) => catalogServer.listen(0, '127.0.0.1', resolve));
    const catalogUrl = `http://127.0.0.1:${(catalogServer.address() as AddressInfo).port}`;
    const gateway = createGateway({ catalogUrl, uploadUrl: catalogUrl, distDir: '/nonexistent', logger: createLogger('web', 'silent') });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    try {
      const statuses: number[] = [];
      for (let attempt = 1; attempt <= 8; attempt++) {
        const answer = await request(gateway)
          .post('/api/auth/login')
          .set('X-Forwarded-For', `198.51.100.${attempt}`)
          .send({ login: `spoof-${attempt}`, password: 'x' });
        statuses.push(answer.status);
      }
      expect(statuses).toEqual([...Array(6).fill(401), 429, 429]);
    } finally {
      await new Promise((resolve) => gateway.close(resolve));
    }
  });

  it('ignores X-Forwarded-For from a peer that is not the trusted gateway', async () => {
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      statuses.push((await login(untrusting, `other-${attempt}`, 'x', `198.51.100.${attempt}`)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('forgets failures after the window, and each further lock-out lasts longer', async () => {
    let now = Date.UTC(2026, 0, 5, 9);
    quick.app.get(LoginThrottle).now = () => now;
    const address = freshAddress();
    const failTimes = async (times: number) => {
      const answers: request.Response[] = [];
      for (let attempt = 1; attempt <= times; attempt++) answers.push(await login(quick, 'member', 'wrong', address));
      return answers;
    };
    // Two failures, then the window passes: two more do not lock.
    expect((await failTimes(2)).map((a) => a.status)).toEqual([401, 401]);
    now += 600_000;
    expect((await failTimes(2)).map((a) => a.status)).toEqual([401, 401]);
    // The third within the window locks for the window.
    const [firstLock] = await failTimes(1);
    expect(firstLock!.status).toBe(429);
    expect(firstLock!.headers['retry-after']).toBe('600');
    expect(firstLock!.body.message).toBe('Too many failed attempts. Try again in 10 minutes.');
    now += 599_500;
    const stillLocked = await login(quick, 'member', DEMO_PASSWORD, address);
    expect(stillLocked.status).toBe(429);
    expect(stillLocked.headers['retry-after']).toBe('1');
    expect(stillLocked.body.message).toBe('Too many failed attempts. Try again in 1 second.');
    // Once it has passed, three more failures lock for twice as long, then four times.
    now += 500;
    const second = await failTimes(3);
    expect(second.map((a) => a.status)).toEqual([401, 401, 429]);
    expect(second[2]!.headers['retry-after']).toBe('1200');
    now += 1_200_000;
    const third = await failTimes(3);
    expect(third[2]!.headers['retry-after']).toBe('2400');
    // After the lock-out the right password works again, and starts the next lock-out from the window.
    now += 2_400_000;
    expect((await login(quick, 'member', DEMO_PASSWORD, address)).status).toBe(200);
    expect((await failTimes(3))[2]!.headers['retry-after']).toBe('600');
  });
});
