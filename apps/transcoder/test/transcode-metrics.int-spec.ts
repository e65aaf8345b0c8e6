import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeVideo } from '../../../test/support/media-fixtures.js';
import { freePort, waitUntil } from '../../../test/support/ports.js';
import { TranscoderHarness } from '../../../test/support/transcoder-harness.js';
import { spawnTranscoder, type SpawnedTranscoder } from '../../../test/support/transcoder-processes.js';

// Real ffmpeg work on a busy 2-core machine.
const SLOW = 300_000;

let harness: TranscoderHarness;
let fixtures: string;
let worker: SpawnedTranscoder | undefined;
let metricsUrl: string;

/** A sample's value from the worker's /metrics: the first series of that name whose labels include `labels`. */
async function sample(name: string, labels: string): Promise<number | null> {
  const text = await (await fetch(metricsUrl)).text();
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (match?.[1] === name && match[2]!.split(',').includes(labels)) return Number(match[3]);
  }
  return null;
}

beforeAll(async () => {
  harness = await TranscoderHarness.create();
  fixtures = mkdtempSync(join(tmpdir(), 'lectern-metrics-fixtures-'));
  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  worker = await spawnTranscoder(harness.env({ TRANSCODER_METRICS_PORT: String(port) }));
}, SLOW);

afterAll(async () => {
  worker?.child.kill('SIGKILL');
  await harness?.close();
  rmSync(fixtures, { recursive: true, force: true });
});

describe('the transcoder /metrics', () => {
  it(
    'reports transcode seconds per media second and the job duration after a real transcode',
    async () => {
      expect(await sample('lectern_transcode_seconds_per_media_second_count', 'kind="video"')).toBeNull();
      const source = join(fixtures, 'clip.mp4');
      await makeVideo(source, { seconds: 4 });
      const startedMs = Date.now();
      const id = await harness.addAsset(source);
      const row = await harness.waitForStatus(id, ['ready', 'failed'], 180_000);
      expect(row.status).toBe('ready');
      const elapsedSec = (Date.now() - startedMs) / 1000;
      // The job is completed in the queue just after the asset went ready.
      await waitUntil(
        async () => (await sample('lectern_queue_job_duration_seconds_count', 'outcome="completed"')) === 1,
        30_000,
        'the completed job counted',
      );

      expect(await sample('lectern_transcode_seconds_per_media_second_count', 'kind="video"')).toBe(1);
      const ratio = (await sample('lectern_transcode_seconds_per_media_second_sum', 'kind="video"'))!;
      const mediaSec = (await sample('lectern_transcode_media_seconds_total', 'kind="video"'))!;
      expect(mediaSec).toBeCloseTo(row.duration_sec!, 1);
      // Measured inside the worker: more than nothing, less than the whole wait the test saw.
      expect(ratio).toBeGreaterThan(0);
      expect(ratio * mediaSec).toBeLessThanOrEqual(elapsedSec);
      expect(await sample('lectern_queue_job_duration_seconds_count', 'queue="transcode"')).toBe(1);
    },
    SLOW,
  );
});
