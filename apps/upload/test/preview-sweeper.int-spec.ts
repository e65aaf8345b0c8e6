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

beforeAll(async () => {
  Logger.overrideLogger(false);
  [db, s3] = await Promise.all([createTestDatabase(), startS3Server()]);
  source = await new DataSource({ type: 'postgres', url: db.url }).initialize();
});
afterAll(async () => {
  await source?.destroy();
  await Promise.all([db?.drop(), s3?.close()]);
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lectern-preview-sweep-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

interface AssetRow {
  status: 'transcoding' | 'ready' | 'failed';
  attemptToken: string;
  /** The attempt whose growing set the asset names (media_assets.preview_prefix). */
  previewToken: string;
  /** Minutes ago. */
  previewableAgo?: number;
  readyAgo?: number;
}

async function asset(row: AssetRow): Promise<string> {
  const id = randomUUID();
  const prefix = `media/${id}/${row.previewToken}.preview`;
  await source.query(
    `INSERT INTO media_assets (id, owner_id, upload_id, original_name, size_bytes, received_bytes, status, progress_percent,
                               attempt_token, preview_prefix, preview_outputs, previewable_at, ready_at)
     VALUES ($1::uuid, $1::uuid, $1::text, 'x.mp4', 1, 1, $2, 0, $3, $4, $5::jsonb,
             now() - make_interval(mins => $6), now() - make_interval(mins => $7))`,
    [id, row.status, row.attemptToken, prefix, JSON.stringify({ prefix }), row.previewableAgo ?? 0, row.readyAgo ?? 0],
  );
  return id;
}

/** One set as the transcoder stores it: published at once (the finished set, or a preview's first set). */
async function storeSet(storage: Storage, prefix: string): Promise<void> {
  const out = join(dir, randomUUID());
  await mkdir(join(out, '720p'), { recursive: true });
  await writeFile(join(out, 'master.m3u8'), '#EXTM3U\n');
  await writeFile(join(out, '720p', 'seg_00000.m4s'), 'segment');
  await storage.publishDirectory(out, prefix);
}

/** The sets stored under an asset's media folder. */
const setsOf = async (storage: Storage, assetId: string) =>
  [...new Set((await storage.list(`media/${assetId}`)).map((key) => key.split('/')[2]))].sort();

const previewColumns = async (assetId: string) =>
  (
    await source.query(
      `SELECT preview_prefix, preview_outputs IS NOT NULL AS has_outputs, previewable_at IS NOT NULL AS has_previewable_at
         FROM media_assets WHERE id = $1`,
      [assetId],
    )
  )[0];

const drivers: Array<[string, () => Promise<Storage>]> = [
  ['local', async () => new LocalStorage(join(dir, 'store'))],
  ['s3', () => s3.storageOnNewBucket('preview-sweep')],
];

describe.each(drivers)('media sweeper: leftover previews (%s storage)', (_name, makeStorage) => {
  it('removes the previews no player needs, clears the columns of settled assets, and keeps what may still be played', async () => {
    const storage = await makeStorage();
    const sweeper = new MediaSweeperService(new MediaSweepsRepository(source), storage, {
      graceMinutes: 60,
      intervalMs: 60_000,
      previewRetentionSec: 300,
    });
    const [t0, t1, t2] = [randomUUID(), randomUUID(), randomUUID()];

    // Ready 10 minutes ago, its transcoder stopped before removing the preview (and an older crashed attempt's).
    const stale = await asset({ status: 'ready', attemptToken: t1, previewToken: t1, readyAgo: 10, previewableAgo: 20 });
    for (const version of [`${t0}.preview`, `${t1}.preview`, t1]) await storeSet(storage, `media/${stale}/${version}`);

    // Ready a minute ago: players that were playing the preview carry on.
    const fresh = await asset({ status: 'ready', attemptToken: t1, previewToken: t1, readyAgo: 1, previewableAgo: 10 });
    for (const version of [`${t1}.preview`, t1]) await storeSet(storage, `media/${fresh}/${version}`);

    // Still being encoded, previewable for 10 minutes: its preview is being published and played.
    const encoding = await asset({ status: 'transcoding', attemptToken: t1, previewToken: t1, previewableAgo: 10 });
    await storeSet(storage, `media/${encoding}/${t1}.preview`);

    // Being encoded again after a crash: the crashed attempt's preview (t1) is still the current one, the new attempt
    // (t2) is storing its own first set; an older attempt's (t0), replaced 10 minutes ago, is no longer needed.
    const retried = await asset({ status: 'transcoding', attemptToken: t2, previewToken: t1, previewableAgo: 10 });
    for (const version of [`${t0}.preview`, `${t1}.preview`, `${t2}.preview`]) await storeSet(storage, `media/${retried}/${version}`);

    // Failed a moment ago: no preview of it is played any more.
    const failed = await asset({ status: 'failed', attemptToken: t1, previewToken: t1, previewableAgo: 2 });
    await storeSet(storage, `media/${failed}/${t1}.preview`);

    // The transcoder removed the files after the retention but stopped before clearing the columns.
    const half = await asset({ status: 'ready', attemptToken: t1, previewToken: t1, readyAgo: 10 });
    await storeSet(storage, `media/${half}/${t1}`);

    expect(await sweeper.sweep()).toBe(0);

    expect(await setsOf(storage, stale)).toEqual([t1]);
    expect(await previewColumns(stale)).toEqual({ preview_prefix: null, has_outputs: false, has_previewable_at: false });
    expect(await setsOf(storage, failed)).toEqual([]);
    expect(await previewColumns(failed)).toEqual({ preview_prefix: null, has_outputs: false, has_previewable_at: false });
    expect(await setsOf(storage, half)).toEqual([t1]);
    expect(await previewColumns(half)).toEqual({ preview_prefix: null, has_outputs: false, has_previewable_at: false });

    expect(await setsOf(storage, fresh)).toEqual([t1, `${t1}.preview`].sort());
    expect(await previewColumns(fresh)).toEqual({
      preview_prefix: `media/${fresh}/${t1}.preview`,
      has_outputs: true,
      has_previewable_at: true,
    });
    expect(await setsOf(storage, encoding)).toEqual([`${t1}.preview`]);
    expect(await previewColumns(encoding)).toEqual({
      preview_prefix: `media/${encoding}/${t1}.preview`,
      has_outputs: true,
      has_previewable_at: true,
    });
    expect(await setsOf(storage, retried)).toEqual([`${t1}.preview`, `${t2}.preview`].sort());
    expect(await previewColumns(retried)).toEqual({
      preview_prefix: `media/${retried}/${t1}.preview`,
      has_outputs: true,
      has_previewable_at: true,
    });

    // Nothing is left to do: a second pass (or the transcoder's own removal after it) changes nothing.
    expect(await sweeper.sweepPreviews()).toBe(0);

    // Once the retention has passed since ready, the other one goes too.
    await source.query(`UPDATE media_assets SET ready_at = now() - interval '6 minutes' WHERE id = $1`, [fresh]);
    expect(await sweeper.sweepPreviews()).toBe(1);
    expect(await setsOf(storage, fresh)).toEqual([t1]);
    expect(await previewColumns(fresh)).toEqual({ preview_prefix: null, has_outputs: false, has_previewable_at: false });
  });

  it('keeps a preview whose removal failed named by its asset, to be tried again', async () => {
    const storage = await makeStorage();
    const token = randomUUID();
    const failed = await asset({ status: 'failed', attemptToken: token, previewToken: token });
    await storeSet(storage, `media/${failed}/${token}.preview`);
    const away: Storage = Object.assign(Object.create(storage) as Storage, {
      removePrefix: async () => {
        throw new Error('the store is away');
      },
    });
    const options = { graceMinutes: 60, intervalMs: 60_000, previewRetentionSec: 300 };
    expect(await new MediaSweeperService(new MediaSweepsRepository(source), away, options).sweepPreviews()).toBe(0);
    expect(await setsOf(storage, failed)).toEqual([`${token}.preview`]);
    expect((await previewColumns(failed)).preview_prefix).toBe(`media/${failed}/${token}.preview`);

    expect(await new MediaSweeperService(new MediaSweepsRepository(source), storage, options).sweepPreviews()).toBe(1);
    expect(await setsOf(storage, failed)).toEqual([]);
    expect((await previewColumns(failed)).preview_prefix).toBeNull();
  });
});
