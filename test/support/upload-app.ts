import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadEnv, uploadEnvSchema } from '#config';
import { createLogger } from '#logging';
import { createHttpApp } from '#platform';
import { UploadModule } from '../../apps/upload/src/upload.module.js';
import { TEST_JWT_SECRET } from './secrets.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface UploadHarness {
  app: INestApplication;
  url: string;
  db: TestDatabase;
  dataSource: DataSource;
  dir: string;
  queuePrefix: string;
  close(): Promise<void>;
}

/** The real upload app listening on a free port, with its own database, queue prefix and folders. */
export async function startUpload(overrides: Record<string, string> = {}): Promise<UploadHarness> {
  const db = await createTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'lectern-upload-'));
  const queuePrefix = `lectern-test-${randomBytes(4).toString('hex')}`;
  const env = loadEnv(uploadEnvSchema, {
    DATABASE_URL: db.url,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    UPLOAD_RECONCILE_INTERVAL_MS: '500',
    QUEUE_PREFIX: queuePrefix,
    UPLOAD_DIR: join(dir, 'uploads'),
    STORAGE_DIR: join(dir, 'storage'),
    ...overrides,
  });
  const app = await createHttpApp(UploadModule.forRoot(env), {
    logger: createLogger('upload', 'silent'),
    title: 'upload',
    description: '',
    unparsedBodyPrefixes: ['/files'],
  });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    db,
    dataSource: app.get(DataSource),
    dir,
    queuePrefix,
    async close() {
      await app.close();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
