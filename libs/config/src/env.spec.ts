import { describe, expect, it } from '@jest/globals';
import { ConfigError, catalogEnvSchema, loadEnv, uploadEnvSchema } from './env.js';

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
});
