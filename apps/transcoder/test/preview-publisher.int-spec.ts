import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AssetOutputs } from '#contracts';
import {
  buildPosterArguments,
  ladderFor,
  parseMasterPlaylist,
  parseMediaPlaylist,
  probeMedia,
  renditionNames,
  runFfmpeg,
  type TranscodePlan,
} from '#media';
import { LocalStorage } from '#storage';
import { makeVideoFixture, runFfprobeJson } from '../../../libs/media/src/fixture-media.js';
import { videoProbe } from '../../../libs/media/src/probe-fixtures.js';
import { PreviewPublisher, previewPrefix } from '../src/preview-publisher.js';

// The publisher against the contract's layout, written here step by step as an encoder would, with
// real files and the local storage driver: whatever order renditions grow in and whichever uploads
// fail, a stored playlist only ever names segments whose bytes are stored.

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lectern-preview-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const plan: TranscodePlan = ladderFor(videoProbe(1280, 720));
const names = renditionNames(plan);
// An init segment with an avcC box (profile High, level 3.1) for the master's CODECS.
const INIT = Buffer.from([...Buffer.from('ftypisom'), 0, 0, 0, 20, ...Buffer.from('avcC'), 1, 0x64, 0, 0x1f, 0xff]);

/** What an encoder does for one rendition: write the segment, then replace the EVENT playlist atomically. */
async function addSegment(outputDir: string, name: string, index: number, end: boolean): Promise<void> {
  const folder = join(outputDir, name);
  await mkdir(folder, { recursive: true });
  if (index === 0) await writeFile(join(folder, `init_${name}.mp4`), INIT);
  if (index >= 0) await writeFile(join(folder, `seg_${String(index).padStart(5, '0')}.m4s`), `${name}-${index}`.repeat(50));
  const segments = Array.from({ length: index + 1 }, (_, i) => `#EXTINF:4.000000,\nseg_${String(i).padStart(5, '0')}.m4s`);
  const text = [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    '#EXT-X-TARGETDURATION:4',
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:EVENT',
    '#EXT-X-INDEPENDENT-SEGMENTS',
    `#EXT-X-MAP:URI="init_${name}.mp4"`,
    ...segments,
    ...(end ? ['#EXT-X-ENDLIST'] : []),
  ].join('\n');
  await writeFile(join(folder, '.index.m3u8.tmp'), `${text}\n`);
  await rename(join(folder, '.index.m3u8.tmp'), join(folder, 'index.m3u8'));
}

/** Every stored playlist names only stored files; returns the stored segment count per rendition. */
async function checkStored(storage: LocalStorage, prefix: string): Promise<Map<string, { count: number; ended: boolean }> | null> {
  const keys = new Set(await storage.list(prefix));
  if (keys.size === 0) return null;
  const master = parseMasterPlaylist(await readFile(join(storage.root, prefix, 'master.m3u8'), 'utf8'));
  const counts = new Map<string, { count: number; ended: boolean }>();
  for (const name of names) {
    const playlist = parseMediaPlaylist(await readFile(join(storage.root, prefix, name, 'index.m3u8'), 'utf8'));
    expect(playlist.playlistType).toBe('EVENT');
    for (const uri of [playlist.initUri!, ...playlist.segments.map((s) => s.uri)]) expect(keys).toContain(`${prefix}/${name}/${uri}`);
    expect(playlist.segments.map((s) => s.uri)).toEqual(playlist.segments.map((_, i) => `seg_${String(i).padStart(5, '0')}.m4s`));
    counts.set(name, { count: playlist.segments.length, ended: playlist.endList });
  }
  expect(master.variants.length).toBeGreaterThan(0);
  return counts;
}

describe('PreviewPublisher', () => {
  it('stores nothing until every rendition has a segment, then a whole first set, then grows and ends', async () => {
    const storage = new LocalStorage(join(dir, 'storage'));
    const outputDir = join(dir, 'out');
    const prefix = previewPrefix('00000000-0000-4000-8000-000000000001', 'token');
    const reported: AssetOutputs[] = [];
    const publisher = new PreviewPublisher({
      plan,
      outputDir,
      workDir: join(dir, 'work'),
      storage,
      prefix,
      intervalMs: 60_000,
      onPreviewable: async (outputs) => void reported.push(outputs),
      warn: () => undefined,
    });
    for (const name of names.slice(0, -1)) await addSegment(outputDir, name, 0, false);
    await publisher.publishRound();
    expect(await storage.list(prefix)).toEqual([]);
    expect(reported).toEqual([]);

    await addSegment(outputDir, names.at(-1)!, 0, false);
    await publisher.publishRound();
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ prefix, master: 'master.m3u8', downloads: [], poster: null });
    const master = parseMasterPlaylist(await readFile(join(storage.root, prefix, 'master.m3u8'), 'utf8'));
    expect(master.variants[0]!.codecs).toContain('avc1.64001f');
    expect([...(await checkStored(storage, prefix))!.values()].every((r) => r.count === 1 && !r.ended)).toBe(true);

    for (const name of names) {
      await addSegment(outputDir, name, 1, false);
      await addSegment(outputDir, name, 2, true);
    }
    await publisher.publishRound();
    expect([...(await checkStored(storage, prefix))!.values()].every((r) => r.count === 3 && r.ended)).toBe(true);
    expect(reported).toHaveLength(1);
  });

  it('whatever the order renditions grow in and whichever uploads fail, stored playlists name only stored segments', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ rendition: fc.nat(names.length - 1), round: fc.boolean() }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }),
        async (steps, failures) => {
          const root = await mkdtemp(join(dir, 'case-'));
          const real = new LocalStorage(join(root, 'storage'));
          let calls = 0;
          // Some uploads fail, as a storage service sometimes does; the next round tries again.
          const storage = Object.assign(Object.create(real) as LocalStorage, {
            putFile: async (path: string, key: string) => {
              if (failures[calls++ % failures.length]) throw new Error('storage unavailable');
              return real.putFile(path, key);
            },
          });
          const outputDir = join(root, 'out');
          const prefix = previewPrefix('00000000-0000-4000-8000-000000000002', 'token');
          const publisher = new PreviewPublisher({
            plan,
            outputDir,
            workDir: join(root, 'work'),
            storage,
            prefix,
            intervalMs: 60_000,
            onPreviewable: async () => undefined,
            warn: () => undefined,
          });
          const written = new Map<string, number>();
          let seen = new Map<string, { count: number; ended: boolean }>();
          for (const step of steps) {
            const name = names[step.rendition]!;
            const next = written.get(name) ?? 0;
            await addSegment(outputDir, name, next, false);
            written.set(name, next + 1);
            if (step.round) {
              await publisher.publishRound().catch(() => undefined);
              const now = await checkStored(real, prefix);
              // Playlists only grow.
              for (const [name, stored] of now ?? []) expect(stored.count).toBeGreaterThanOrEqual(seen.get(name)?.count ?? 0);
              seen = now ?? seen;
            }
          }
          await rm(root, { recursive: true, force: true });
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('PreviewPublisher and the early poster', () => {
  /** A real upload's plan, and its poster extracted as the transcoder does beside the ladder (timed). */
  async function extractedPoster() {
    const source = await makeVideoFixture(dir, 'lecture.mp4', { width: 1280, height: 720, fps: 25, durationSec: 12 });
    const realPlan = ladderFor(await probeMedia(source));
    const posterDir = join(dir, 'preview-poster');
    await mkdir(posterDir);
    const startedAt = Date.now();
    await runFfmpeg(buildPosterArguments(realPlan, { input: source, outputDir: posterDir }), { timeoutMs: 60_000 });
    console.info(`preview poster extracted in ${Date.now() - startedAt} ms`);
    return { realPlan, file: join(posterDir, realPlan.poster.fileName) };
  }

  function publisherOf(realPlan: TranscodePlan, poster: Promise<string | null>) {
    const storage = new LocalStorage(join(dir, 'storage'));
    const prefix = previewPrefix('00000000-0000-4000-8000-000000000003', 'token');
    const reported: AssetOutputs[] = [];
    const added: AssetOutputs[] = [];
    let refuseNext = false;
    const publisher = new PreviewPublisher({
      plan: realPlan,
      outputDir: join(dir, 'out'),
      workDir: join(dir, 'work'),
      storage,
      prefix,
      intervalMs: 60_000,
      onPreviewable: async (outputs) => void reported.push(outputs),
      poster,
      onPosterAdded: async (outputs) => {
        if (refuseNext) {
          refuseNext = false;
          throw new Error('database unavailable');
        }
        added.push(outputs);
      },
      warn: () => undefined,
    });
    return { storage, prefix, reported, added, publisher, refuseOnce: () => (refuseNext = true) };
  }

  /** The stored poster is the plan's JPEG, at the finished poster's size. */
  async function expectStoredPoster(storage: LocalStorage, prefix: string, realPlan: TranscodePlan) {
    expect(await storage.list(prefix)).toContain(`${prefix}/poster.jpg`);
    const probe = await runFfprobeJson(join(storage.root, prefix, 'poster.jpg'));
    expect(probe.streams[0]).toMatchObject({ codec_name: 'mjpeg', width: realPlan.poster.width, height: realPlan.poster.height });
    expect((await readFile(join(storage.root, prefix, 'poster.jpg'))).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  }

  it('stores the poster with the first set when it is already extracted, and reports it in the outputs', async () => {
    const { realPlan, file } = await extractedPoster();
    expect(realPlan.kind).toBe('video');
    const { storage, prefix, reported, added, publisher } = publisherOf(realPlan, Promise.resolve(file));
    await new Promise((resolve) => setImmediate(resolve));
    for (const name of renditionNames(realPlan)) await addSegment(join(dir, 'out'), name, 0, false);
    await publisher.publishRound();
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ prefix, poster: 'poster.jpg', thumbnails: [], downloads: [] });
    await expectStoredPoster(storage, prefix, realPlan);
    await publisher.publishRound();
    expect(added).toEqual([]);
  }, 60_000);

  it('never waits for the poster: the first set goes without it, and a later round stores and reports it', async () => {
    const { realPlan, file } = await extractedPoster();
    let extracted!: (file: string) => void;
    const poster = new Promise<string | null>((resolve) => (extracted = resolve));
    const { storage, prefix, reported, added, publisher, refuseOnce } = publisherOf(realPlan, poster);
    for (const name of renditionNames(realPlan)) await addSegment(join(dir, 'out'), name, 0, false);
    await publisher.publishRound();
    expect(reported).toHaveLength(1);
    expect(reported[0]!.poster).toBeNull();
    expect(await storage.list(prefix)).not.toContain(`${prefix}/poster.jpg`);

    extracted(file);
    await poster;
    // A report that fails is tried again next round; the segments are stored regardless.
    refuseOnce();
    for (const name of renditionNames(realPlan)) await addSegment(join(dir, 'out'), name, 1, false);
    await publisher.publishRound();
    expect(added).toEqual([]);
    const first = renditionNames(realPlan)[0]!;
    expect(parseMediaPlaylist(await readFile(join(storage.root, prefix, first, 'index.m3u8'), 'utf8')).segments).toHaveLength(2);
    await publisher.publishRound();
    expect(added).toEqual([{ ...reported[0], poster: 'poster.jpg' }]);
    await expectStoredPoster(storage, prefix, realPlan);
    await publisher.publishRound();
    expect(added).toHaveLength(1);
  }, 60_000);
});
