import { describe, expect, it } from '@jest/globals';
import { Module } from '@nestjs/common';
import request from 'supertest';
import { apiDocsEnabled, loadEnv, uploadEnvSchema } from '#config';
import { createLogger } from '#logging';
import { createHttpApp } from './bootstrap.js';

@Module({})
class EmptyModule {}

const SECRET = 'a-secret-that-is-long-enough-for-tests-0000';

describe('Swagger UI by environment', () => {
  it.each([
    [{}, 200],
    [{ NODE_ENV: 'test' }, 200],
    [{ NODE_ENV: 'production' }, 404],
    [{ NODE_ENV: 'production', API_DOCS: 'on' }, 200],
    [{ NODE_ENV: 'development', API_DOCS: 'off' }, 404],
  ])('%j → the OpenAPI document answers %i', async (settings, status) => {
    const env = loadEnv(uploadEnvSchema, { JWT_SECRET: SECRET, ...settings });
    const app = await createHttpApp(EmptyModule, {
      logger: createLogger('test', 'silent'),
      title: 'test',
      description: 'test',
      apiDocs: apiDocsEnabled(env),
    });
    await app.init();
    try {
      const document = await request(app.getHttpServer()).get('/api/docs-json');
      expect(document.status).toBe(status);
      expect((await request(app.getHttpServer()).get('/api/docs')).status).toBe(status === 200 ? 200 : 404);
    } finally {
      await app.close();
    }
  });

  it('refuses an API_DOCS value other than on or off', () => {
    expect(() => loadEnv(uploadEnvSchema, { JWT_SECRET: SECRET, API_DOCS: 'yes' })).toThrow(/API_DOCS/);
  });
});
