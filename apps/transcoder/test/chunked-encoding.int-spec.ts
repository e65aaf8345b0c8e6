import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildHlsArguments, ladderFor, parseMediaPlaylist, planChunks, probeMedia, runFfmpeg, type TranscodePlan } from '#media';
import { joinRendition } from '../../../libs/media/src/fixture-media.js';
import { redisOptions } from '../../../test/support/transcoder-harness.js';
import { ChunkWorkers } from '../src/chunks/chunk-workers.js';
import { encodeChunkedHls } from '../src/chunks/chunked-hls.js';

// Real ffmpeg on a busy shared machine: generous bounds, no timing assertions.
const SLOW = 900_000;
const SECONDS = 62;
const FPS = 30;
const FRAME = 1 / FPS;
const CHUNK_SEC = 20;
const FLASH_EVERY_SEC = 2;

const run = promisify(execFile);
let dir: string;
let workDir: string;
let source: string;
let plan: TranscodePlan;
const prefix = `lectern-chunks-${randomBytes(4).toString('hex')}`;
const workers: ChunkWorkers[] = [];

/** 640x360 testsrc2 with a white frame, and a 100 ms 1 kHz beep, at every whole multiple of 2 s. */
async function makeFlashAndBeep(path: string): Promise<void> {
  await run('ffmpeg', [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=640x360:rate=${FPS},drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='lt(mod(n\\,${FPS * FLASH_EVERY_SEC})\\,1)'`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=1000:sample_rate=48000,volume=volume=0:enable='gte(mod(t\\,${FLASH_EVERY_SEC})\\,0.1)'`,
    '-t',
    String(SECONDS),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-g',
    String(FPS),
    '-c:a',
    'aac',
    '-b:a',
    '128k',
    path,
  ]);
}

interface Packet {
  pts: number;
  dts: number;
  duration: number;
}

async function joined(outputDir: string, rendition: string): Promise<{ path: string; segmentDurations: number[]; playlist: string }> {
  const renditionDir = join(outputDir, rendition);
  const text = await readFile(join(renditionDir, 'index.m3u8'), 'utf8');
  const playlist = parseMediaPlaylist(text);
  const path = join(dir, `${rendition}-${randomBytes(3).toString('hex')}.mp4`);
  await joinRendition(
    renditionDir,
    playlist.initUri!,
    playlist.segments.map((s) => s.uri),
    path,
  );
  return { path, segmentDurations: playlist.segments.map((s) => s.durationSec), playlist: text };
}

async function packets(path: string): Promise<Packet[]> {
  const { stdout } = await run(
    'ffprobe',
    ['-v', 'error', '-select_streams', '0', '-show_entries', 'packet=pts,dts,duration:stream=time_base', '-of', 'json', path],
    {
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  const parsed = JSON.parse(stdout) as { packets: { pts: number; dts: number; duration?: number }[]; streams: { time_base: string }[] };
  const [num, den] = (parsed.streams[0]?.time_base ?? '1/1').split('/').map(Number);
  const unit = num! / den!;
  // A packet without a duration (the last AAC packet may lack one) is compared by its timestamps only.
  return parsed.packets.map((p) => ({ pts: p.pts * unit, dts: p.dts * unit, duration: (p.duration ?? 0) * unit }));
}

/** Largest |gap or overlap| between consecutive packets in decode order, in seconds. */
function worstJoin(list: Packet[]): number {
  let worst = 0;
  for (let i = 1; i < list.length; i += 1) {
    if (list[i - 1]!.duration === 0) continue;
    worst = Math.max(worst, Math.abs(list[i]!.dts - (list[i - 1]!.dts + list[i - 1]!.duration)));
  }
  return worst;
}

async function flashTimes(path: string): Promise<number[]> {
  const { stdout } = await run(
    'ffprobe',
    [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      `movie=${path},signalstats`,
      '-show_entries',
      'frame=pts_time:frame_tags=lavfi.signalstats.YAVG',
      '-of',
      'csv=p=0',
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout
    .trim()
    .split('\n')
    .map((line) => line.split(',').map(Number))
    .filter(([, yavg]) => yavg! > 200)
    .map(([time]) => time!);
}

async function beepTimes(path: string): Promise<number[]> {
  const { stderr } = await run('ffmpeg', [
    '-nostdin',
    '-hide_banner',
    '-i',
    path,
    '-af',
    'silencedetect=n=-30dB:d=0.05',
    '-f',
    'null',
    '-',
  ]);
  const starts = [...stderr.matchAll(/silence_end: ([\d.]+)/g)].map((m) => Number(m[1]));
  // silencedetect reports where each silence ends: every beep but the first, which starts the file.
  return starts.filter((t) => t < SECONDS - 0.05);
}

async function ssim(distorted: string, reference: string): Promise<number> {
  const { stderr } = await run('ffmpeg', [
    '-nostdin',
    '-hide_banner',
    '-i',
    distorted,
    '-i',
    reference,
    '-lavfi',
    '[0:v][1:v]ssim',
    '-f',
    'null',
    '-',
  ]);
  const match = /All:([\d.]+)/.exec(stderr);
  if (!match) throw new Error(`no SSIM in ffmpeg output: ${stderr.slice(-500)}`);
  return Number(match[1]);
}

/** Audio-minus-video offset of each flash/beep pair (s), matched by the nearest beep. */
function syncOffsets(flashes: number[], beeps: number[]): { at: number; offset: number }[] {
  return flashes.map((at) => {
    const beep = beeps.reduce((best, b) => (Math.abs(b - at) < Math.abs(best - at) ? b : best), Number.POSITIVE_INFINITY);
    return { at, offset: beep - at };
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lectern-chunks-'));
  workDir = join(dir, 'work');
  await mkdir(workDir);
  source = join(dir, 'flash-beep.mp4');
  await makeFlashAndBeep(source);
  plan = ladderFor(await probeMedia(source));
  // Two chunk workers, as two transcoder processes would run them.
  for (let i = 0; i < 2; i += 1) {
    const w = new ChunkWorkers({
      connection: redisOptions(),
      prefix,
      workDir,
      concurrency: 1,
      lockDurationMs: 60_000,
      stalledIntervalMs: 30_000,
      timeoutMs: SLOW,
      isCurrent: () => Promise.resolve(true),
    });
    await w.start();
    workers.push(w);
  }
}, SLOW);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('chunk-parallel encoding', () => {
  it(
    'joins chunks into the same HLS ladder as one ffmpeg: continuous timestamps, same picture, sound in sync',
    async () => {
      const spans = planChunks(plan, CHUNK_SEC)!;
      expect(spans.map((s) => s.startSec)).toEqual([0, 18, 38, 58]);
      const names = [...plan.rungs.map((r) => r.name), ...plan.audio.map((a) => a.name)];

      const singleDir = join(dir, 'single');
      const singleStarted = Date.now();
      await runFfmpeg(buildHlsArguments(plan, { input: source, outputDir: singleDir }), { timeoutMs: SLOW });
      const singleMs = Date.now() - singleStarted;

      const assetId = `asset${randomBytes(4).toString('hex')}`;
      const token = randomBytes(8).toString('hex');
      const scratch = join(workDir, `${assetId}-${token}`);
      const outputDir = join(scratch, 'out');
      await mkdir(outputDir, { recursive: true });
      // What a preview reader polling the top rung's playlist sees while the chunks run.
      const seen: string[] = [];
      let polling = true;
      const poller = (async () => {
        while (polling) {
          const text = await readFile(join(outputDir, plan.rungs[0]!.name, 'index.m3u8'), 'utf8').catch(() => null);
          if (text && text !== seen.at(-1)) seen.push(text);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();
      const chunkedStarted = Date.now();
      await encodeChunkedHls({
        connection: redisOptions(),
        prefix,
        workDir,
        assetId,
        token,
        plan,
        source,
        spans,
        scratch,
        outputDir,
        pollMs: 200,
      });
      const chunkedMs = Date.now() - chunkedStarted;
      polling = false;
      await poller;

      // The layout a preview publisher polls: EVENT playlists naming the plan's init segment, that only grew.
      const finalTop = await readFile(join(outputDir, plan.rungs[0]!.name, 'index.m3u8'), 'utf8');
      const finalUris = parseMediaPlaylist(finalTop).segments.map((s) => s.uri);
      for (const text of seen) {
        const playlist = parseMediaPlaylist(text);
        expect(playlist.playlistType).toBe('EVENT');
        expect(playlist.initUri).toBe(`init_${plan.rungs[0]!.name}.mp4`);
        expect(playlist.segments.map((s) => s.uri)).toEqual(finalUris.slice(0, playlist.segments.length));
      }
      const growing = seen.filter((text) => !parseMediaPlaylist(text).endList).map((text) => parseMediaPlaylist(text).segments.length);

      const report: string[] = [
        `source ${SECONDS} s 640x360@${FPS} with a flash+beep every ${FLASH_EVERY_SEC} s; chunks at ${spans.map((s) => s.startSec).join(', ')} s`,
        `wall: single-process ${(singleMs / 1000).toFixed(1)} s, chunked (2 in-process chunk workers) ${(chunkedMs / 1000).toFixed(1)} s`,
        `top-rung playlist states seen while growing: ${growing.length} (segment counts ${growing.join(', ')})`,
      ];
      for (const name of names) {
        const single = await joined(singleDir, name);
        const chunked = await joined(outputDir, name);
        const parsed = parseMediaPlaylist(chunked.playlist);
        expect(parsed).toMatchObject({ playlistType: 'EVENT', endList: true, initUri: `init_${name}.mp4` });
        // Same segment cut points as one ffmpeg.
        expect(chunked.segmentDurations).toEqual(single.segmentDurations);
        const [a, b] = [await packets(single.path), await packets(chunked.path)];
        const gap = worstJoin(b);
        // A packet without a duration lasts as long as the others of its stream.
        const lastEnd = (list: Packet[]) => {
          const typical = list.find((p) => p.duration > 0)?.duration ?? 0;
          return Math.max(...list.map((p) => p.pts + (p.duration || typical)));
        };
        const durationDelta = Math.abs(lastEnd(b) - lastEnd(a));
        report.push(
          `${name}: ${b.length} packets (single ${a.length}), worst gap/overlap between packets ${(gap * 1000).toFixed(3)} ms, ` +
            `end ${lastEnd(b).toFixed(4)} s vs ${lastEnd(a).toFixed(4)} s (Δ ${(durationDelta * 1000).toFixed(3)} ms)`,
        );
        if (!(gap < 0.001)) console.log(report.join('\n'));
        expect(b.length).toBe(a.length);
        expect(gap).toBeLessThan(0.001);
        expect(durationDelta).toBeLessThan(FRAME);
        const byPts = (list: Packet[]) => list.map((p) => p.pts).sort((x, y) => x - y);
        if (plan.rungs.some((r) => r.name === name)) {
          // Every frame at the same time as in the single-process encode.
          expect(byPts(b)).toEqual(byPts(a));
        } else {
          // Every audio frame within a millisecond of the single-process encode's.
          const worst = Math.max(...byPts(b).map((pts, i) => Math.abs(pts - byPts(a)[i]!)));
          report.push(`${name}: audio frames at most ${(worst * 1000).toFixed(3)} ms from the single-process encode's`);
          expect(worst).toBeLessThan(0.001);
        }
      }

      const top = plan.rungs[0]!.name;
      const [singleTop, chunkedTop] = [await joined(singleDir, top), await joined(outputDir, top)];
      const [ssimSingle, ssimChunked, ssimBetween] = [
        await ssim(singleTop.path, source),
        await ssim(chunkedTop.path, source),
        await ssim(chunkedTop.path, singleTop.path),
      ];
      report.push(
        `SSIM of ${top} against the source: single ${ssimSingle.toFixed(5)}, chunked ${ssimChunked.toFixed(5)} ` +
          `(difference ${Math.abs(ssimSingle - ssimChunked).toFixed(5)}); chunked against single ${ssimBetween.toFixed(5)}`,
      );
      expect(Math.abs(ssimSingle - ssimChunked)).toBeLessThanOrEqual(0.005);

      // Both encodes measured the same way, so the tools' own bias (decoded sample times against frame
      // timestamps, AAC priming) cancels out: what is left is what the joins changed.
      const audio = plan.audio[0]!.name;
      const flashes = (await flashTimes(chunkedTop.path)).filter((t) => t > 1);
      const singleFlashes = (await flashTimes(singleTop.path)).filter((t) => t > 1);
      expect(flashes.length).toBe(Math.ceil(SECONDS / FLASH_EVERY_SEC) - 1);
      expect(flashes).toEqual(singleFlashes);
      const offsets = syncOffsets(flashes, await beepTimes((await joined(outputDir, audio)).path));
      const singleOffsets = syncOffsets(singleFlashes, await beepTimes((await joined(singleDir, audio)).path));
      const change = Math.max(...offsets.map(({ offset }, i) => Math.abs(offset - singleOffsets[i]!.offset)));
      const spread = Math.max(...offsets.map((o) => o.offset)) - Math.min(...offsets.map((o) => o.offset));
      const atJoins = offsets.filter(({ at }) => spans.some((s) => s.startSec > 0 && Math.abs(s.startSec - at) < 0.5));
      report.push(
        `A/V sync (beep onset − flash, as measured): at the joins ${atJoins.map(({ at, offset }) => `${at.toFixed(3)} s: ${(offset * 1000).toFixed(1)} ms`).join(', ')}; ` +
          `spread over all ${offsets.length} flashes ${(spread * 1000).toFixed(1)} ms; largest change against the single-process encode ${(change * 1000).toFixed(1)} ms ` +
          `(one frame ${(FRAME * 1000).toFixed(1)} ms)`,
      );
      console.log(`chunked encoding check\n  ${report.join('\n  ')}`);
      expect(change).toBeLessThanOrEqual(FRAME);
      expect(spread).toBeLessThanOrEqual(FRAME);
    },
    SLOW,
  );
});
