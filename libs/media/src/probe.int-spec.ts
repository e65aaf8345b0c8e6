import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeMp3Fixture, makeTruncatedCopy, makeVideoFixture } from './fixture-media.js';
import { ladderFor } from './ladder.js';
import { DEFAULT_PROBE_LIMITS } from './probe-limits.js';
import { ProbeError } from './probe-error.js';
import { probeMedia } from './probe.js';

const execFileAsync = promisify(execFile);
const SLOW = 60_000;

let dir: string;
const files: Record<string, string> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lectern-probe-'));
  files['landscape'] = await makeVideoFixture(dir, 'landscape.mp4', { width: 320, height: 180, fps: 30, durationSec: 2 });
  files['rotated'] = await makeVideoFixture(dir, 'rotated.mp4', { width: 320, height: 180, fps: 30, durationSec: 1, rotate: 90 });
  files['fourThree'] = await makeVideoFixture(dir, 'four-three.mp4', { width: 640, height: 480, fps: 25, durationSec: 1 });
  files['odd'] = await makeVideoFixture(dir, 'odd.mkv', {
    width: 853,
    height: 479,
    fps: 30,
    durationSec: 1,
    // 4:2:0 needs even sizes; 4:4:4 lets x264 store the odd frame a screen recorder might produce.
    outputOptions: ['-pix_fmt', 'yuv444p'],
  });
  files['sixty'] = await makeVideoFixture(dir, 'sixty.mp4', { width: 320, height: 180, fps: 60, durationSec: 1 });
  files['silent'] = await makeVideoFixture(dir, 'silent.mp4', { width: 320, height: 180, fps: 30, durationSec: 1, audio: false });
  files['mp3'] = await makeMp3Fixture(dir, 'lecture.mp3', 2);
  files['truncated'] = await makeTruncatedCopy(files['landscape'], join(dir, 'truncated.mp4'), 4000);
  files['text'] = join(dir, 'notes.mp4');
  await writeFile(files['text'], 'These are my lecture notes, not a video.\n');
  files['noise'] = join(dir, 'noise.mp4');
  await writeFile(files['noise'], Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919) % 251)));
}, SLOW);

afterAll(() => rm(dir, { recursive: true, force: true }));

async function rejectionOf(promise: Promise<unknown>): Promise<ProbeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProbeError) return error;
    throw error;
  }
  throw new Error('expected a ProbeError');
}

describe('probeMedia on real files', () => {
  it('reads a landscape H.264/AAC MP4', async () => {
    const probe = await probeMedia(files['landscape']!);
    expect(probe).toMatchObject({
      formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
      streamCount: 2,
      video: { codec: 'h264', width: 320, height: 180, displayWidth: 320, displayHeight: 180, rotation: 0, fps: 30 },
      audio: { codec: 'aac', channels: 1, sampleRate: 44100 },
    });
    expect(probe.durationSec).toBeCloseTo(2, 1);
    expect(probe.sizeBytes).toBeGreaterThan(1000);
  });

  it('sees the rotation of a phone video and swaps the display size', async () => {
    const probe = await probeMedia(files['rotated']!);
    expect(probe.video).toMatchObject({ width: 320, height: 180, displayWidth: 180, displayHeight: 320 });
    expect([90, 270]).toContain(probe.video?.rotation);
    expect(ladderFor(probe).rungs.map((r) => `${r.width}x${r.height}`)).toEqual(['180x320']);
  });

  it('reads 4:3, odd-sized Matroska and 60 fps sources', async () => {
    const fourThree = await probeMedia(files['fourThree']!);
    expect(fourThree.video).toMatchObject({ displayWidth: 640, displayHeight: 480, fps: 25 });
    const odd = await probeMedia(files['odd']!);
    expect(odd.formatName).toBe('matroska,webm');
    expect(odd.video).toMatchObject({ width: 853, height: 479 });
    expect(ladderFor(odd).rungs.map((r) => `${r.width}x${r.height}`)).toEqual(['852x478', '642x360', '428x240']);
    const sixty = await probeMedia(files['sixty']!);
    expect(sixty.video?.fps).toBe(60);
  });

  it('reads a silent video and an audio-only MP3', async () => {
    const silent = await probeMedia(files['silent']!);
    expect(silent.audio).toBeUndefined();
    expect(silent.streamCount).toBe(1);
    const mp3 = await probeMedia(files['mp3']!);
    expect(mp3).toMatchObject({ formatName: 'mp3', audio: { codec: 'mp3', channels: 2 } });
    expect(mp3.video).toBeUndefined();
    expect(ladderFor(mp3).kind).toBe('audio');
  });

  it.each(['truncated', 'text', 'noise'])('calls the %s file unreadable', async (name) => {
    const error = await rejectionOf(probeMedia(files[name]!));
    expect(error.code).toBe('unreadable');
    expect(error.message).toMatch(/could not read/i);
  });

  it('applies the limits it is given', async () => {
    const error = await rejectionOf(probeMedia(files['landscape']!, { ...DEFAULT_PROBE_LIMITS, maxDurationSec: 1 }));
    expect(error.code).toBe('too_long');
    const small = await rejectionOf(probeMedia(files['fourThree']!, { ...DEFAULT_PROBE_LIMITS, maxDimensionPx: 600 }));
    expect(small.code).toBe('too_large');
  });

  it('reports a missing ffprobe as an infrastructure error, not the editor’s fault', async () => {
    const error = await probeMedia(files['landscape']!, DEFAULT_PROBE_LIMITS, { ffprobePath: '/nonexistent/ffprobe' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ProbeError);
    expect((error as Error).message).toMatch(/not installed/);
  });
});

describe('an HLS playlist disguised as .mp4 that points at a local file', () => {
  let canary: string;
  let disguised: string;

  beforeAll(async () => {
    // A FIFO canary: whoever opens it for reading blocks there, and we can see a reader appear.
    canary = join(dir, 'canary.ts');
    await execFileAsync('mkfifo', [canary]);
    disguised = join(dir, 'holiday.mp4');
    await writeFile(
      disguised,
      `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:10.0,\nfile://${canary}\n#EXT-X-ENDLIST\n`,
    );
  });

  /** Polls until `work` settles; true if any process opened the FIFO for reading meanwhile (then releases it). */
  async function canaryOpenedDuring(work: Promise<unknown>): Promise<boolean> {
    let settled = false;
    let opened = false;
    void work
      .finally(() => {
        settled = true;
      })
      .catch(() => undefined);
    while (!settled) {
      try {
        // Non-blocking write-open succeeds only while a reader has the FIFO open (ENXIO otherwise).
        closeSync(openSync(canary, constants.O_WRONLY | constants.O_NONBLOCK));
        opened = true;
      } catch {
        // no reader yet
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return opened;
  }

  it(
    'control: plain ffprobe without whitelists does follow the playlist and open the canary',
    async () => {
      const plain = execFileAsync('ffprobe', ['-v', 'error', '-show_format', disguised], { timeout: 10_000 });
      expect(await canaryOpenedDuring(plain)).toBe(true);
    },
    SLOW,
  );

  it(
    'probeMedia refuses it as format_not_allowed without ever opening the canary',
    async () => {
      const probe = probeMedia(disguised, DEFAULT_PROBE_LIMITS, { timeoutMs: 10_000 });
      const opened = await canaryOpenedDuring(probe);
      const error = await rejectionOf(probe);
      expect(opened).toBe(false);
      expect(error.code).toBe('format_not_allowed');
      expect(error.message).toMatch(/not supported/);
    },
    SLOW,
  );
});
