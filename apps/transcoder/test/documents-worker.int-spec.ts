import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadEnv, transcoderEnvSchema } from '#config';
import { DOCUMENT_JOBS, DOCUMENTS_QUEUE, materialJobId, type ConvertDocumentJob } from '#contracts';
import { PinoNestLogger, createLogger } from '#logging';
import { inspectPdf } from '#media';
import { LocalStorage } from '#storage';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { waitUntil } from '../../../test/support/ports.js';
import { REDIS_URL, redisOptions } from '../../../test/support/transcoder-harness.js';
import { TEST_JWT_SECRET } from '../../../test/support/secrets.js';
import { DocumentsWorker, type DocumentsConfig } from '../src/documents/documents.providers.js';
import { transcoderConfigFrom } from '../src/transcoder.config.js';
import { TranscoderModule } from '../src/transcoder.module.js';
import { makeCorruptDocx, makeOfficeDocuments, processesMentioning } from './office-fixtures.js';

// Each LibreOffice start takes several seconds on a busy 2-core machine.
const SLOW = 300_000;

interface MaterialRow {
  id: string;
  state: string;
  pdf_key: string | null;
  page_count: number | null;
  failure_code: string | null;
  failure_message: string | null;
  conversion_attempts: number;
  converted_at: Date | null;
}

let db: TestDatabase;
let pool: pg.Pool;
let dir: string;
let storage: LocalStorage;
let queue: Queue<ConvertDocumentJob>;
let app: INestApplicationContext | undefined;
let course: string;
let editor: string;
let fixtures: { docx: string; pptx: string };
const queuePrefix = `lectern-test-${randomBytes(4).toString('hex')}`;
const storageDir = () => join(dir, 'storage');
const workDir = () => join(dir, 'work');

/** The transcoder's module in this process with only the documents worker taking jobs. */
async function startWorker(documents: Partial<DocumentsConfig> = {}): Promise<void> {
  await app?.close();
  const env = loadEnv(transcoderEnvSchema, {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    JWT_SECRET: TEST_JWT_SECRET,
    STORAGE_DIR: storageDir(),
    WORK_DIR: workDir(),
  });
  app = await NestFactory.createApplicationContext(
    TranscoderModule.forRoot({ config: transcoderConfigFrom(env), databaseUrl: db.url, storageDir: storageDir(), documents }),
    { logger: new PinoNestLogger(createLogger('transcoder', (process.env.TEST_TRANSCODER_LOG_LEVEL as 'silent') ?? 'silent')) },
  );
  expect(await app.get(DocumentsWorker).start()).toBe(true);
}

/** What the upload service does for an Office file: the original in storage, a `converting` row. */
async function addMaterial(path: string, kind: 'docx' | 'pptx'): Promise<string> {
  const id = randomUUID();
  const sourceKey = `materials/${course}/${id}/original.${kind}`;
  await storage.putFile(path, sourceKey);
  await pool.query(
    `INSERT INTO course_materials (id, course_id, title, file_name, kind, mime_type, size_bytes, source_key, state, uploaded_by)
     VALUES ($1, $2, '讲义', $3, $4, 'application/octet-stream', 1000, $5, 'converting', $6)`,
    [id, course, `讲义.${kind}`, kind, sourceKey, editor],
  );
  return id;
}

const enqueue = (id: string, jobId = materialJobId(id), attempts = 2) =>
  queue.add(DOCUMENT_JOBS.convert, { materialId: id }, { jobId, attempts, backoff: { type: 'fixed', delay: 100 } });

async function material(id: string): Promise<MaterialRow> {
  const { rows } = await pool.query(`SELECT * FROM course_materials WHERE id = $1`, [id]);
  return rows[0] as MaterialRow;
}

async function settled(id: string): Promise<MaterialRow> {
  await waitUntil(async () => (await material(id)).state !== 'converting', SLOW, `material ${id} settled`);
  return material(id);
}

/** Waits until BullMQ has finished the job (completed or failed for good). */
async function finished(jobId: string): Promise<string> {
  let state = '';
  await waitUntil(
    async () => ['completed', 'failed'].includes((state = await queue.getJobState(jobId))),
    SLOW,
    `job ${jobId} finished (last ${state})`,
  );
  return state;
}

beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  pool.on('error', () => undefined);
  dir = mkdtempSync(join(tmpdir(), 'lectern-documents-'));
  storage = new LocalStorage(storageDir());
  queue = new Queue<ConvertDocumentJob>(DOCUMENTS_QUEUE, { connection: redisOptions(), prefix: queuePrefix });
  const { rows } = await pool.query(
    `WITH unit AS (INSERT INTO org_units (slug, name, kind, path, depth) VALUES ('committee', '委员会', 'committee', 'committee', 0) RETURNING id),
          editor AS (INSERT INTO users (login, name, role, org_unit_id) SELECT 'editor', '编辑', 'editor', id FROM unit RETURNING id, org_unit_id)
     INSERT INTO courses (title, category_id, created_by, owner_unit_id)
     SELECT '学习材料', (SELECT id FROM course_categories ORDER BY code LIMIT 1), editor.id, editor.org_unit_id FROM editor
     RETURNING id, created_by`,
  );
  course = rows[0].id;
  editor = rows[0].created_by;
  fixtures = await makeOfficeDocuments(join(dir, 'fixtures'), ['docx', 'pptx']);
  await startWorker();
}, SLOW);

afterAll(async () => {
  await app?.close();
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await queue?.close();
  await pool?.end();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the documents worker', () => {
  it(
    'converts an uploaded PowerPoint to a checked PDF beside its original, and a second job for it converts nothing',
    async () => {
      const id = await addMaterial(fixtures.pptx, 'pptx');
      await enqueue(id);
      // Queued again under the same id (an upload retried): BullMQ keeps one job.
      await enqueue(id);
      // And under another id (a reconciler that lost track): it finds the material ready.
      await enqueue(id, `${materialJobId(id)}-again`);
      const row = await settled(id);
      expect(row).toMatchObject({ state: 'ready', pdf_key: `materials/${course}/${id}/converted.pdf`, page_count: 2, failure_code: null });
      expect(row.converted_at).toBeInstanceOf(Date);
      const pdf = await readFile(join(storageDir(), row.pdf_key!));
      expect(inspectPdf(pdf)).toMatchObject({ ok: true });

      expect(await finished(`${materialJobId(id)}-again`)).toBe('completed');
      const again = await queue.getJob(`${materialJobId(id)}-again`);
      expect(again?.returnvalue).toEqual({ status: 'skipped', materialId: id, state: 'ready' });
      const after = await material(id);
      expect(after.conversion_attempts).toBe(1);
      expect(after.converted_at).toEqual(row.converted_at);
      // Nothing is left in the work folder.
      expect(await readdir(join(workDir(), 'documents'))).toEqual([]);
    },
    SLOW,
  );

  it(
    'a corrupt .docx fails at once with a message that tells the editor what to do',
    async () => {
      const id = await addMaterial(await makeCorruptDocx(join(dir, 'corrupt.docx')), 'docx');
      await enqueue(id);
      const row = await settled(id);
      expect(row.state).toBe('failed');
      expect(row.failure_code).toBe('unreadable');
      expect(row.failure_message).toMatch(/^LibreOffice could not open this file: .*save it again as \.docx, and upload it again/);
      // Not retried: a second try would fail the same way.
      expect(row.conversion_attempts).toBe(1);
      expect(row.pdf_key).toBeNull();
      expect(await finished(materialJobId(id))).toBe('failed');
    },
    SLOW,
  );

  it(
    'a conversion over the time limit is killed, tried again, then failed, and no LibreOffice is left running',
    async () => {
      // LibreOffice needs seconds to start: a limit of 1 s is always exceeded.
      await startWorker({ timeoutMs: 1000 });
      const id = await addMaterial(fixtures.docx, 'docx');
      await enqueue(id);
      const row = await settled(id);
      expect(row.state).toBe('failed');
      expect(row.failure_code).toBe('timeout');
      expect(row.failure_message).toContain('took longer than the limit of 1 seconds');
      expect(row.conversion_attempts).toBe(2);
      // Every run's command line names its folder under this test's work dir.
      expect(await processesMentioning(workDir())).toEqual([]);
      expect(await readdir(join(workDir(), 'documents'))).toEqual([]);
    },
    SLOW,
  );
});
