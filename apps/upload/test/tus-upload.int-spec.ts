import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tus from 'tus-js-client';
import { QUEUES } from '#contracts';
import { makeVideo } from '../../../test/support/media-fixtures.js';
import { freePort, waitUntil } from '../../../test/support/ports.js';
import { TcpProxy } from '../../../test/support/tcp-proxy.js';
import { tokenFor } from '../../../test/support/tokens.js';
import { startUpload, type UploadHarness } from '../../../test/support/upload-app.js';

let upload: UploadHarness;
let fixtures: string;
let clip: Buffer;
const editor = tokenFor('editor');
const otherEditor = tokenFor('editor');
const member = tokenFor('member');

/** A consumer's view of this harness's transcode queue; close() also closes its connection. */
async function withQueue<T>(prefix: string, use: (queue: Queue) => Promise<T>): Promise<T> {
  const connection = new Redis('redis://127.0.0.1:6379');
  const queue = new Queue(QUEUES.transcode, { connection, prefix });
  try {
    return await use(queue);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function tusUpload(
  data: Buffer,
  token: string,
  options: Partial<tus.UploadOptions> & { filename?: string } = {},
): { upload: tus.Upload; done: Promise<string> } {
  let upload!: tus.Upload;
  const done = new Promise<string>((resolve, reject) => {
    upload = new tus.Upload(data, {
      endpoint: `${harness().url}/files`,
      headers: { Authorization: `Bearer ${token}` },
      metadata: { filename: options.filename ?? 'lecture.mp4', filetype: 'video/mp4' },
      chunkSize: 256 * 1024,
      retryDelays: [],
      ...options,
      onSuccess: () => resolve(upload.url!),
      onError: reject,
    });
    upload.start();
  });
  return { upload, done };
}
const harness = () => upload;

const assetOf = async (uploadUrl: string, token = editor.token) => {
  const id = uploadUrl.split('/').pop();
  const answer = await fetch(`${upload.url}/api/uploads/${id}/asset`, {
    headers: { Authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(5000),
  });
  return {
    status: answer.status,
    body: (await answer.json()) as { id: string; status: string; failure: { code: string; reason: string } | null },
  };
};

const waitForStatus = async (uploadUrl: string, statuses: string[], withinMs = 40_000) => {
  let last = '';
  await waitUntil(
    async () => statuses.includes((last = (await assetOf(uploadUrl)).body.status)),
    withinMs,
    () => `asset status in ${statuses} (last ${last || 'no answer'})`,
  );
  return (await assetOf(uploadUrl)).body;
};

beforeAll(async () => {
  upload = await startUpload();
  fixtures = mkdtempSync(join(tmpdir(), 'lectern-fixtures-'));
  await makeVideo(join(fixtures, 'clip.mp4'), { seconds: 4 });
  clip = readFileSync(join(fixtures, 'clip.mp4'));
}, 60_000);

afterAll(async () => {
  await upload?.close();
  rmSync(fixtures, { recursive: true, force: true });
});

describe('resumable upload', () => {
  it('stores the file byte for byte, probes it and queues one transcode job named after the asset', async () => {
    const { done } = tusUpload(clip, editor.token);
    const url = await done;
    const asset = await waitForStatus(url, ['queued']);
    const row = (await upload.dataSource.query(`SELECT * FROM media_assets WHERE id = $1`, [asset.id]))[0];
    expect(row).toMatchObject({ kind: 'video', sha256: sha256(clip), owner_id: editor.principal.userId, original_name: 'lecture.mp4' });
    expect(row.duration_sec).toBeCloseTo(4, 0);
    expect(sha256(readFileSync(join(upload.dir, 'storage', row.source_key)))).toBe(sha256(clip));

    await withQueue(upload.queuePrefix, async (queue) => {
      const job = await queue.getJob(asset.id);
      expect(job?.data).toMatchObject({ assetId: asset.id, kind: 'video', sourceKey: row.source_key });
      expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
    });
  });

  it('resumes an interrupted upload from the server offset with an identical file', async () => {
    let aborted = false;
    let resumedFrom = -1;
    const first = tusUpload(clip, editor.token, {
      chunkSize: 64 * 1024,
      onProgress(sent) {
        if (!aborted && sent >= 128 * 1024) {
          aborted = true;
          void first.upload.abort();
        }
      },
    });
    await waitUntil(async () => aborted && first.upload.url !== null, 10_000, 'first upload aborted');
    const url = first.upload.url!;
    const head = await fetch(url, { method: 'HEAD', headers: { Authorization: `Bearer ${editor.token}`, 'Tus-Resumable': '1.0.0' } });
    const offset = Number(head.headers.get('upload-offset'));
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(clip.length);

    const second = tusUpload(clip, editor.token, {
      uploadUrl: url,
      onChunkComplete: (_chunk, sent) => {
        if (resumedFrom < 0) resumedFrom = sent;
      },
    });
    await second.done;
    expect(resumedFrom).toBeGreaterThan(offset);
    const asset = await waitForStatus(url, ['queued']);
    const row = (await upload.dataSource.query(`SELECT sha256 FROM media_assets WHERE id = $1`, [asset.id]))[0];
    expect(row.sha256).toBe(sha256(clip));
  });
});

describe('who may upload', () => {
  it('refuses members and requests without a token', async () => {
    for (const headers of [{ Authorization: `Bearer ${member.token}` }, {} as Record<string, string>]) {
      const answer = await fetch(`${upload.url}/files`, {
        method: 'POST',
        headers: {
          ...headers,
          'Tus-Resumable': '1.0.0',
          'Upload-Length': '100',
          'Upload-Metadata': `filename ${Buffer.from('a.mp4').toString('base64')}`,
        },
      });
      expect([401, 403]).toContain(answer.status);
    }
  });

  it("hides one editor's upload from another (HEAD, PATCH, DELETE answer 404)", async () => {
    const started = tusUpload(clip, editor.token, { chunkSize: 64 * 1024, onProgress: () => void started.upload.abort() });
    await waitUntil(async () => started.upload.url !== null, 10_000, 'upload created');
    const url = started.upload.url!;
    const as = (token: string, extra: Record<string, string> = {}) => ({
      Authorization: `Bearer ${token}`,
      'Tus-Resumable': '1.0.0',
      ...extra,
    });
    expect((await fetch(url, { method: 'HEAD', headers: as(otherEditor.token) })).status).toBe(404);
    const patch = await fetch(url, {
      method: 'PATCH',
      headers: as(otherEditor.token, { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' }),
      body: Buffer.from('evil'),
    });
    expect(patch.status).toBe(404);
    expect((await fetch(url, { method: 'DELETE', headers: as(otherEditor.token) })).status).toBe(404);
    expect((await fetch(url, { method: 'HEAD', headers: as(editor.token) })).status).toBe(200);
  });
});

describe('bad input', () => {
  const create = (filename: string, length: number) =>
    fetch(`${upload.url}/files`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${editor.token}`,
        'Tus-Resumable': '1.0.0',
        'Upload-Length': String(length),
        'Upload-Metadata': `filename ${Buffer.from(filename).toString('base64')}`,
      },
    });

  it.each(['slides.pdf', 'page.html', 'noextension', '../../etc/passwd'])(
    'refuses the file name %j before any byte is stored',
    async (name) => {
      const answer = await create(name, 1000);
      expect(answer.status).toBe(415);
      expect(await answer.text()).toContain('not a file type we accept');
    },
  );

  it('refuses an upload over the size limit with 413', async () => {
    const answer = await create('huge.mp4', 21 * 1024 ** 3);
    expect(answer.status).toBe(413);
  });

  it('answers a wrong Upload-Offset with 409 and a wrong Content-Type with 415, leaving the file unchanged', async () => {
    const created = await create('lecture.mp4', clip.length);
    const url = new URL(created.headers.get('location')!, upload.url).toString();
    const patch = (offset: number, type: string) =>
      fetch(url, {
        method: 'PATCH',
        headers: {
          Authorization: `Bearer ${editor.token}`,
          'Tus-Resumable': '1.0.0',
          'Upload-Offset': String(offset),
          'Content-Type': type,
        },
        body: clip.subarray(0, 1000),
      });
    expect((await patch(5, 'application/offset+octet-stream')).status).toBe(409);
    expect((await patch(0, 'application/json')).status).toBe(415);
    const head = await fetch(url, { method: 'HEAD', headers: { Authorization: `Bearer ${editor.token}`, 'Tus-Resumable': '1.0.0' } });
    expect(head.headers.get('upload-offset')).toBe('0');
  });

  it.each([
    ['an HTML page renamed .mp4', () => Buffer.from('<!DOCTYPE html><html><body>' + 'x'.repeat(5000) + '</body></html>'), 'not_media'],
    ['an HLS playlist renamed .mp4', () => Buffer.from(`#EXTM3U\n#EXTINF:10,\nfile:///etc/passwd\n${'#'.repeat(4000)}\n`), 'not_media'],
    ['a truncated mp4', () => clip.subarray(0, 3000), 'unreadable'],
  ])('marks %s failed with a reason, and never queues it', async (_label, makeData, code) => {
    const { done } = tusUpload(makeData(), editor.token);
    const url = await done;
    const asset = await waitForStatus(url, ['failed', 'queued']);
    expect(asset.status).toBe('failed');
    expect(asset.failure?.code).toBe(code);
    expect(asset.failure?.reason).toMatch(/\w+/);
    await withQueue(upload.queuePrefix, async (queue) => expect(await queue.getJob(asset.id)).toBeUndefined());
  });

  it('fails an upload whose content does not match the checksum the client declared', async () => {
    const { done } = tusUpload(clip, editor.token, {
      metadata: { filename: 'lecture.mp4', filetype: 'video/mp4', sha256: sha256(Buffer.from('something else')) },
    });
    const asset = await waitForStatus(await done, ['failed', 'queued']);
    expect(asset.failure?.code).toBe('checksum_mismatch');
  });
});

describe('when Redis is down as an upload finishes', () => {
  let proxied: UploadHarness;
  let redis: TcpProxy;

  beforeAll(async () => {
    redis = new TcpProxy(await freePort(), 6379);
    await redis.start();
    proxied = await startUpload({ REDIS_URL: `redis://127.0.0.1:${redis.listenPort}` });
  }, 60_000);
  afterAll(async () => {
    await proxied?.close();
    await redis.cut();
  });

  it('keeps the asset pending through a long outage and queues exactly one job soon after Redis is back', async () => {
    await redis.cut();
    const previous = upload;
    upload = proxied;
    try {
      const url = await tusUpload(clip, editor.token).done;
      const pending = await waitForStatus(url, ['pending']);
      // An outage longer than the reconnect backoff cap (2 s), with the reconciler retrying all along.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect((await assetOf(url)).body.status).toBe('pending');
      await redis.start();
      // One reconnect (at most 2 s), a sweep every 0.5 s and one enqueue deadline (5 s), with room for a busy machine.
      await waitForStatus(url, ['queued'], 15_000);
      await withQueue(proxied.queuePrefix, async (queue) => {
        expect((await queue.getJobs(['waiting'])).map((job) => job.id)).toEqual([pending.id]);
      });
    } finally {
      upload = previous;
    }
  }, 60_000);
});
