import { describe, expect, it } from '@jest/globals';
import { ConfigError, catalogEnvSchema, loadEnv, transcoderEnvSchema, uploadEnvSchema } from './env.js';

const secret = 'x'.repeat(32);

describe('loadEnv', () => {
  it('applies defaults', () => {
    const env = loadEnv(catalogEnvSchema, { JWT_SECRET: secret });
    expect(env.CATALOG_PORT).toBe(3000);
    expect(env.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/lectern');
  });

  it('coerces numbers and treats empty strings as unset', () => {
    const env = loadEnv(uploadEnvSchema, { JWT_SECRET: secret, UPLOAD_PORT: '4001', UPLOAD_MAX_BYTES: '' });
    expect(env.UPLOAD_PORT).toBe(4001);
    expect(env.UPLOAD_MAX_BYTES).toBe(20 * 1024 ** 3);
  });

  it('lists every bad variable in one error', () => {
    let error: unknown;
    try {
      loadEnv(catalogEnvSchema, { JWT_SECRET: 'short', CATALOG_PORT: '99999', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['JWT_SECRET', 'CATALOG_PORT', 'DATABASE_URL', 'LOG_LEVEL']) expect(problems).toContain(name);
  });

  it('reads the login throttling and the trusted gateway, and names a bad address list', () => {
    const env = loadEnv(catalogEnvSchema, { JWT_SECRET: secret });
    expect([env.TRUSTED_PROXIES, env.LOGIN_MAX_FAILURES, env.LOGIN_MAX_FAILURES_PER_ADDRESS, env.LOGIN_FAILURE_WINDOW_SECONDS]).toEqual([
      'loopback',
      5,
      50,
      900,
    ]);
    expect(loadEnv(catalogEnvSchema, { JWT_SECRET: secret, TRUSTED_PROXIES: '10.0.0.0/8, ::1' }).TRUSTED_PROXIES).toBe('10.0.0.0/8, ::1');
    expect(() => loadEnv(catalogEnvSchema, { JWT_SECRET: secret, TRUSTED_PROXIES: 'everyone', LOGIN_MAX_FAILURES: '0' })).toThrow(
      /TRUSTED_PROXIES: "everyone" is not an IP address[\s\S]*LOGIN_MAX_FAILURES/,
    );
  });

  it.each([
    ['https://study.example.org', 'https://study.example.org'],
    ['https://Study.Example.org/', 'https://study.example.org'],
    ['http://10.0.0.5:8080', 'http://10.0.0.5:8080'],
  ])('reads the public address %s as the origin %s', (value, origin) => {
    expect(loadEnv(catalogEnvSchema, { JWT_SECRET: secret, PUBLIC_ORIGIN: value }).PUBLIC_ORIGIN).toBe(origin);
  });

  it.each(['study.example.org', 'ftp://study.example.org', 'https://study.example.org/lectern', 'https://study.example.org/?a=1'])(
    'refuses the public address %s, naming it',
    (value) => {
      expect(() => loadEnv(catalogEnvSchema, { JWT_SECRET: secret, PUBLIC_ORIGIN: value })).toThrow(/PUBLIC_ORIGIN/);
    },
  );

  it('leaves the public address unset by default', () => {
    expect(loadEnv(catalogEnvSchema, { JWT_SECRET: secret }).PUBLIC_ORIGIN).toBeUndefined();
  });

  it('reads the preview publish interval and retention, the retention for both the transcoder and the sweeper', () => {
    const transcoder = loadEnv(transcoderEnvSchema, {});
    expect([transcoder.PREVIEW_PUBLISH_INTERVAL_MS, transcoder.PREVIEW_RETENTION_SEC]).toEqual([2000, 300]);
    expect(loadEnv(uploadEnvSchema, { JWT_SECRET: secret }).PREVIEW_RETENTION_SEC).toBe(300);
    expect(loadEnv(uploadEnvSchema, { JWT_SECRET: secret, PREVIEW_RETENTION_SEC: '60' }).PREVIEW_RETENTION_SEC).toBe(60);
    expect(() => loadEnv(transcoderEnvSchema, { PREVIEW_PUBLISH_INTERVAL_MS: '10', PREVIEW_RETENTION_SEC: '-1' })).toThrow(
      /PREVIEW_PUBLISH_INTERVAL_MS[\s\S]*PREVIEW_RETENTION_SEC/,
    );
  });
});
