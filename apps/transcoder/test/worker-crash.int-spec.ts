import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeVideo } from '../../../test/support/media-fixtures.js';
import { waitUntil } from '../../../test/support/ports.js';
import { TranscoderHarness } from '../../../test/support/transcoder-harness.js';
import { processesMatching, spawnTranscoder, type SpawnedTranscoder } from '../../../test/support/transcoder-processes.js';

// Bounds for real ffmpeg work on a busy 2-core machine (every core shared with other suites).
const SLOW = 300_000;
// Short locks and a fast stalled check, so a killed worker's job is taken up again within seconds.
const FAST_RECOVERY = { TRANSCODE_LOCK_DURATION_MS: '3000', TRANSCODE_STALLED_INTERVAL_MS: '1000' };

let harness: TranscoderHarness;
let fixtures: string;
const spawned: SpawnedTranscoder[] = [];

async function startWorker(): Promise<SpawnedTranscoder> {
  const worker = await spawnTranscoder(harness.env(FAST_RECOVERY));
  spawned.push(worker);
  return worker;
}

/** Waits until ffmpeg is encoding the asset (its progress reached the row). */
async function waitUntilEncoding(id: string): Promise<void> {
  await waitUntil(
    async () => {
      const row = await harness.asset(id);
      return row.status === 'transcoding' && row.progress_percent > 0;
    },
    120_000,
    `asset ${id} encoding`,
  );
}

beforeAll(async () => {
  harness = await TranscoderHarness.create();
  fixtures = mkdtempSync(join(tmpdir(), 'lectern-crash-fixtures-'));
}, SLOW);

afterAll(async () => {
  for (const worker of spawned) worker.child.kill('SIGKILL');
  await harness?.close();
  rmSync(fixtures, { recursive: true, force: true });
});

describe('the transcoder process', () => {
  it(
    'killed mid-job leaves no ffmpeg running; the next worker kills strays, finishes the job once and cleans up',
    async () => {
      const source = join(fixtures, 'long.mp4');
      await makeVideo(source, { seconds: 30, width: 640, height: 360, fps: 25 });
      const first = await startWorker();
      const id = await harness.addAsset(source);
      await waitUntilEncoding(id);
      expect((await processesMatching(harness.workDir)).length).toBeGreaterThan(0);

      first.child.kill('SIGKILL');
      expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
      // The watchdog: ffmpeg dies with its worker, at once.
      await waitUntil(async () => (await processesMatching(harness.workDir)).length === 0, 5000, 'no ffmpeg left in the work dir');

      // A stray ffmpeg of some earlier crash, working in the same WORK_DIR and owned by nobody.
      const strayDir = join(harness.workDir, 'stray-attempt');
      mkdirSync(strayDir, { recursive: true });
      const stray = join(strayDir, 'out.mkv');
      spawn(
        'sh',
        ['-c', `ffmpeg -nostdin -loglevel quiet -re -f lavfi -i testsrc2=size=64x64:rate=5 -f matroska -y '${stray}' >/dev/null 2>&1 &`],
        { detached: true, stdio: 'ignore' },
      ).unref();
      await waitUntil(async () => (await processesMatching(stray)).length === 1, 5000, 'stray ffmpeg running');

      const second = await startWorker();
      expect(second.log()).toContain('killed ffmpeg processes left by a previous transcoder');
      await waitUntil(async () => (await processesMatching(stray)).length === 0, 5000, 'stray ffmpeg killed');

      const row = await harness.waitForStatus(id, ['ready', 'failed'], 180_000);
      expect(row.status).toBe('ready');
      const log = await harness.statusLog(id);
      expect(log.filter((entry) => entry.status === 'transcoding')).toHaveLength(2);
      expect(log.filter((entry) => entry.status === 'ready')).toEqual([{ status: 'ready', attempt_token: row.attempt_token }]);
      // The first attempt's set, growing or not, is gone; this attempt's growing set stays a while for players still on it.
      expect((await harness.publishedVersions(id)).filter((v) => v !== `${row.attempt_token}.preview`)).toEqual([row.attempt_token]);
      // The attempt tells the catalog and clears its scratch folder just after the ready update.
      const scratchOf = () => readdirSync(harness.workDir).filter((entry) => entry.startsWith(id));
      await waitUntil(
        async () => scratchOf().length === 0,
        60_000,
        () => `scratch folders left: ${scratchOf().join(', ')}`,
      );
      const outcomes = async () =>
        (await harness.mediaEvents()).filter((job) => job.data.assetId === id && job.data.type !== 'asset.previewable');
      await waitUntil(async () => (await outcomes()).length > 0, 60_000, 'the ready event');
      expect((await outcomes()).map((job) => job.data.type)).toEqual(['asset.ready']);
    },
    SLOW,
  );

  it(
    'on SIGTERM finishes the active job, then exits 0',
    async () => {
      const worker = spawned.find((w) => w.child.exitCode === null && w.child.signalCode === null) ?? (await startWorker());
      const source = join(fixtures, 'medium.mp4');
      await makeVideo(source, { seconds: 12, width: 640, height: 360, fps: 25 });
      const id = await harness.addAsset(source);
      await waitUntilEncoding(id);

      worker.child.kill('SIGTERM');
      expect(await worker.exited).toEqual({ code: 0, signal: null });
      expect(worker.log()).toContain('transcoder stopping');
      expect((await harness.asset(id)).status).toBe('ready');
      expect((await harness.publishedVersions(id)).filter((v) => !v.endsWith('.preview'))).toHaveLength(1);
      expect(await processesMatching(harness.workDir)).toEqual([]);
    },
    SLOW,
  );
});
