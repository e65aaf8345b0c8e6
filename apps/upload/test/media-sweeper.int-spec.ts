import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { LocalStorage, type Storage } from '#storage';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { startS3Server, type S3TestServer } from '../../../test/support/s3-server.js';
import { MediaSweeperService } from '../src/sweeper/media-sweeper.service.js';
import { MediaSweepsRepository } from '../src/sweeper/media-sweeps.repository.js';

let db: TestDatabase;
let source: DataSource;
let s3: S3TestServer;
let dir: string;
let courseId: string;

beforeAll(async () => {
  Logger.overrideLogger(false);
  [db, s3] = await Promise.all([createTestDatabase(), startS3Server()]);
  source = await new DataSource({ type: 'postgres', url: db.url }).initialize();
  const [unit] = await source.query(
    `INSERT INTO org_units (slug, name, kind, path, depth) VALUES ('sweep', 'Sweep', 'committee', 'sweep', 0) RETURNING id`,
  );
  const [user] = await source.query(
    `INSERT INTO users (login, name, role, org_unit_id) VALUES ('sweep-editor', 'Editor', 'editor', $1) RETURNING id`,
    [unit.id],
  );
  const [course] = await source.query(
    `INSERT INTO courses (title, category_id, created_by, owner_unit_id)
     SELECT 'Sweep', id, $1, $2 FROM course_categories WHERE code = 'current-affairs' RETURNING id`,
    [user.id, unit.id],
  );
  courseId = course.id;
});
afterAll(async () => {
  await source?.destroy();
  await Promise.all([db?.drop(), s3?.close()]);
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lectern-sweep-'));
  await source.query(`DELETE FROM lectures`);
  await source.query(`DELETE FROM media_sweeps`);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function lecture(assetId: string | null): Promise<string> {
  const [row] = await source.query(`INSERT INTO lectures (course_id, position, title, asset_id) VALUES ($1, 0, 'L', $2) RETURNING id`, [
    courseId,
    assetId,
  ]);
  return row.id;
}

/** What intake and the transcoder store for an asset: its original and a published set. */
async function storeAsset(storage: Storage, assetId: string): Promise<void> {
  const out = join(dir, assetId);
  await mkdir(join(out, '720p'), { recursive: true });
  await writeFile(join(out, 'master.m3u8'), '#EXTM3U\n');
  await writeFile(join(out, '720p', 'seg.m4s'), 'segment');
  await storage.publishDirectory(out, `media/${assetId}/v1`);
  await writeFile(join(dir, `${assetId}.mp4`), 'original');
  await storage.putFile(join(dir, `${assetId}.mp4`), `sources/${assetId}/original.mp4`);
}

const filesOf = async (storage: Storage, assetId: string) => [
  ...(await storage.list(`media/${assetId}`)),
  ...(await storage.list(`sources/${assetId}`)),
];

const drivers: Array<[string, () => Promise<Storage>]> = [
  ['local', async () => new LocalStorage(join(dir, 'store'))],
  ['s3', () => s3.storageOnNewBucket('sweep')],
];

describe.each(drivers)('media sweeper (%s storage)', (_name, makeStorage) => {
  it('removes the files of replaced and deleted media, and keeps the live set and every record', async () => {
    const storage = await makeStorage();
    const [replaced, replacement, deleted, live, undone, undoneReplacement] = Array.from({ length: 6 }, () => randomUUID());
    for (const asset of [replaced, replacement, deleted, live, undone, undoneReplacement]) await storeAsset(storage, asset);

    const first = await lecture(replaced);
    await source.query(`UPDATE lectures SET asset_id = $2 WHERE id = $1`, [first, replacement]);
    await source.query(`DELETE FROM lectures WHERE id = $1`, [await lecture(deleted)]);
    await lecture(live);
    // A replacement undone: the first asset is played again, the second one goes.
    const fourth = await lecture(undone);
    await source.query(`UPDATE lectures SET asset_id = $2 WHERE id = $1`, [fourth, undoneReplacement]);
    await source.query(`UPDATE lectures SET asset_id = $2 WHERE id = $1`, [fourth, undone]);
    // Two lectures on one asset: replacing it in one of them leaves it playing in the other.
    const shared = randomUUID();
    await storeAsset(storage, shared);
    const sharedA = await lecture(shared);
    await lecture(shared);
    await source.query(`UPDATE lectures SET asset_id = $2 WHERE id = $1`, [sharedA, live]);

    const queued = await source.query(`SELECT asset_id, reason FROM media_sweeps ORDER BY reason, asset_id`);
    expect(queued).toEqual([
      { asset_id: deleted, reason: 'deleted' },
      ...[replaced, undoneReplacement].sort().map((asset_id) => ({ asset_id, reason: 'replaced' })),
    ]);

    // Within the grace period nothing goes.
    const patient = new MediaSweeperService(new MediaSweepsRepository(source), storage, {
      graceMinutes: 60,
      intervalMs: 60_000,
      previewRetentionSec: 300,
    });
    expect(await patient.sweep()).toBe(0);
    expect(await filesOf(storage, replaced)).toHaveLength(3);

    const sweeper = new MediaSweeperService(new MediaSweepsRepository(source), storage, {
      graceMinutes: 0,
      intervalMs: 60_000,
      previewRetentionSec: 300,
    });
    expect(await sweeper.sweep()).toBe(3);
    for (const gone of [replaced, deleted, undoneReplacement]) expect(await filesOf(storage, gone)).toEqual([]);
    for (const kept of [replacement, live, undone, shared]) expect(await filesOf(storage, kept)).toHaveLength(3);
    expect(await source.query(`SELECT count(*)::int AS n FROM media_sweeps`)).toEqual([{ n: 0 }]);
    // Records stay: the lectures (with the asset they play) are untouched.
    expect(await source.query(`SELECT count(*)::int AS n FROM lectures`)).toEqual([{ n: 5 }]);
    expect(await sweeper.sweep()).toBe(0);
  });

  it('keeps a failed removal queued with its reason, and skips media a transcode is still writing', async () => {
    const storage = await makeStorage();
    const [broken, transcoding] = [randomUUID(), randomUUID()];
    await source.query(`UPDATE lectures SET asset_id = NULL`);
    await source.query(`DELETE FROM lectures WHERE id = $1`, [await lecture(broken)]);
    await source.query(
      `INSERT INTO media_assets (id, owner_id, upload_id, original_name, size_bytes, received_bytes, status, progress_percent)
       VALUES ($1::uuid, $1::uuid, $1::text, 'x.mp4', 1, 1, 'transcoding', 0)`,
      [transcoding],
    );
    await source.query(`DELETE FROM lectures WHERE id = $1`, [await lecture(transcoding)]);
    const failing: Storage = Object.assign(Object.create(storage) as Storage, {
      removePrefix: async () => {
        throw new Error('the store is away');
      },
    });
    const sweeper = new MediaSweeperService(new MediaSweepsRepository(source), failing, {
      graceMinutes: 0,
      intervalMs: 60_000,
      previewRetentionSec: 300,
    });
    expect(await sweeper.sweep()).toBe(0);
    expect(await source.query(`SELECT asset_id, attempts, last_error FROM media_sweeps ORDER BY attempts DESC`)).toEqual([
      { asset_id: broken, attempts: 1, last_error: 'the store is away' },
      { asset_id: transcoding, attempts: 0, last_error: null },
    ]);
  });
});
