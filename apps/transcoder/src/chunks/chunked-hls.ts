import { FlowProducer, Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { copyFile, link, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import {
  CHUNK_MASTER_PLAYLIST_NAME,
  joinChunkPlaylists,
  parseMediaPlaylist,
  renderEventPlaylist,
  sameInitIgnoringEditLists,
  type ChunkRenditionState,
  type ChunkSpan,
  type HlsMediaPlaylist,
  type TranscodePlan,
} from '#media';
import {
  CHUNK_DONE_MARKER,
  CHUNK_JOBS,
  CHUNK_QUEUES,
  CHUNKS_DIR,
  chunkDirName,
  chunkJobId,
  chunksDoneJobId,
  type ChunkJob,
  type ChunksDoneJob,
} from './chunk-jobs.js';

export interface ChunkedHlsOptions {
  connection: ConnectionOptions;
  prefix: string;
  workDir: string;
  assetId: string;
  /** The attempt's fencing token. */
  token: string;
  plan: TranscodePlan;
  source: string;
  /** From planChunks: at least two. */
  spans: ChunkSpan[];
  /** The attempt's scratch folder (inside workDir); chunks are encoded into `<scratch>/chunks/…`. */
  scratch: string;
  /** Receives `<rendition>/index.m3u8` (EVENT, growing), its init and segments, and ffmpeg's master.m3u8. */
  outputDir: string;
  signal?: AbortSignal;
  /** Seconds of video encoded so far (by all chunks) of the source's total. */
  onProgress?: (encodedSec: number, totalSec: number) => void;
  /** Attempts per chunk before the whole flow fails. */
  attempts?: number;
  threads?: number;
  pollMs?: number;
}

export class ChunkFlowFailedError extends Error {
  override readonly name = 'ChunkFlowFailedError';
}

interface Source {
  /** Directory of this chunk (its renditions below it). */
  dir: string;
  /** For video chunks: the span. */
  span: ChunkSpan | null;
  /** Last good read of each rendition's playlist, kept while a retry starts over. */
  playlists: Map<string, HlsMediaPlaylist>;
  complete: boolean;
}

/**
 * Encodes the HLS ladder of `plan` as a BullMQ flow: one child per video chunk plus one audio pass
 * for the whole file, under a parent on `transcode-chunks-done` that completes when all children
 * have. While the children run, this mirrors the contiguous finished prefix of every rendition into
 * `outputDir/<rendition>/` (segments renumbered, chunk 0's init segment) and rewrites the rendition's
 * EVENT playlist; when the parent completes, it appends `#EXT-X-ENDLIST` and copies chunk 0's master
 * playlist (its CODECS) for finalizeMasterPlaylist. Throws ChunkFlowFailedError when a chunk failed for
 * good; on any way out but success, it removes the flow's waiting chunks (running ones see it and stop).
 */
export async function encodeChunkedHls(options: ChunkedHlsOptions): Promise<void> {
  const { plan, spans, assetId, token, connection, prefix } = options;
  const chunksRoot = join(options.scratch, CHUNKS_DIR);
  await mkdir(chunksRoot, { recursive: true });
  const relativeDir = (name: string) => relative(options.workDir, join(chunksRoot, name));
  if (relativeDir('x').startsWith('..')) throw new Error('the scratch folder must be inside WORK_DIR');

  const base = { assetId, token, plan, source: options.source, ...(options.threads ? { threads: options.threads } : {}) };
  const childOptions = (name: string, priority: number): JobsOptions => ({
    jobId: chunkJobId(assetId, token, name),
    attempts: options.attempts ?? 3,
    backoff: { type: 'exponential', delay: 2000 },
    failParentOnFailure: true,
    priority,
    removeOnComplete: { age: 3600 },
    removeOnFail: { age: 24 * 3600 },
  });
  const children: { name: string; queueName: string; data: ChunkJob; opts: JobsOptions }[] = [];
  const hasAudio = plan.audio.length > 0 && plan.source.audioStreamIndex !== undefined;
  if (hasAudio) {
    const data: ChunkJob = { ...base, kind: 'audio', dir: relativeDir('audio') };
    // First: the audio pass is short, and a preview needs audio and chunk 0.
    children.push({ name: CHUNK_JOBS.audio, queueName: CHUNK_QUEUES.chunks, data, opts: childOptions('audio', 1) });
  }
  for (const span of spans) {
    const name = chunkDirName({ kind: 'video', index: span.index });
    const data: ChunkJob = { ...base, kind: 'video', chunk: span, dir: relativeDir(name) };
    children.push({ name: CHUNK_JOBS.video, queueName: CHUNK_QUEUES.chunks, data, opts: childOptions(name, 2 + span.index) });
  }

  const videoSources: Source[] = spans.map((span) => ({
    dir: join(chunksRoot, chunkDirName({ kind: 'video', index: span.index })),
    span,
    playlists: new Map(),
    complete: false,
  }));
  const audioSource: Source = { dir: join(chunksRoot, 'audio'), span: null, playlists: new Map(), complete: false };
  const mirror = new RenditionMirror(plan, options.outputDir, videoSources, audioSource);

  const flows = new FlowProducer({ connection, prefix });
  const doneQueue = new Queue<ChunksDoneJob>(CHUNK_QUEUES.done, { connection, prefix });
  const parentId = chunksDoneJobId(assetId, token);
  let finished = false;
  try {
    const data: ChunksDoneJob = { assetId, token, chunks: children.length };
    await flows.add({
      name: CHUNK_JOBS.done,
      queueName: CHUNK_QUEUES.done,
      data,
      opts: { jobId: parentId, removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 } },
      children,
    });
    for (;;) {
      options.signal?.throwIfAborted();
      await mirror.pass();
      options.onProgress?.(encodedSeconds(videoSources, plan), plan.source.durationSec);
      const parent = await doneQueue.getJob(parentId);
      const state = parent ? await parent.getState() : 'unknown';
      if (state === 'completed') break;
      if (state === 'failed' || state === 'unknown') {
        throw new ChunkFlowFailedError(`chunked encode of asset ${assetId} failed: ${parent?.failedReason ?? 'its flow is gone'}`);
      }
      await delay(options.pollMs ?? 500, options.signal);
    }
    await mirror.pass();
    if (!mirror.complete) throw new ChunkFlowFailedError(`chunked encode of asset ${assetId} completed without every chunk's output`);
    await mirror.pass(true);
    await copyFile(join(videoSources[0]!.dir, CHUNK_MASTER_PLAYLIST_NAME), join(options.outputDir, plan.hls.masterPlaylistName));
    finished = true;
  } finally {
    if (!finished) await abandonFlow(doneQueue, parentId);
    await Promise.allSettled([flows.close(), doneQueue.close()]);
  }
}

/** Removes the waiting chunks of an attempt that stops, and the parent (running chunks see it gone and stop). */
async function abandonFlow(doneQueue: Queue<ChunksDoneJob>, parentId: string): Promise<void> {
  try {
    const parent = await doneQueue.getJob(parentId);
    if (!parent) return;
    await parent.removeUnprocessedChildren().catch(() => undefined);
    await parent.remove({ removeChildren: true }).catch(() => undefined);
  } catch {
    // Redis away: the chunks find their scratch folder gone and stop by themselves.
  }
}

/** Seconds of video finished across all chunks (the top rung's listed segments; whole chunks once done). */
function encodedSeconds(sources: Source[], plan: TranscodePlan): number {
  const top = plan.rungs[0]?.name;
  if (!top) return 0;
  return sources.reduce((sum, source) => {
    const listed = source.playlists.get(top)?.segments.reduce((s, seg) => s + seg.durationSec, 0) ?? 0;
    // Not the overlap past the span (the next chunk's seconds).
    return sum + Math.min(listed, source.span?.durationSec ?? Infinity);
  }, 0);
}

/**
 * Mirrors chunk output into the output renditions, in order. Keeps per rendition how many segments
 * are already in place, so each pass copies only new ones and the playlist only grows.
 */
class RenditionMirror {
  private readonly mirrored = new Map<string, number>();
  /** Per chunk index > 0 and rendition: the init URI its segments play after (chunk 0's when equal). */
  private readonly initUris = new Map<string, string>();
  private readonly ended = new Set<string>();
  complete = false;

  constructor(
    private readonly plan: TranscodePlan,
    private readonly outputDir: string,
    private readonly video: Source[],
    private readonly audio: Source,
  ) {}

  async pass(end = false): Promise<void> {
    for (const source of [...this.video, this.audio]) await this.refresh(source);
    let complete = true;
    for (const rung of this.plan.rungs) complete = (await this.mirrorRendition(rung.name, this.video, end)) && complete;
    for (const rendition of this.plan.audio) complete = (await this.mirrorRendition(rendition.name, [this.audio], end)) && complete;
    this.complete = complete;
  }

  private renditionsOf(source: Source): string[] {
    return source.span ? this.plan.rungs.map((r) => r.name) : this.plan.audio.map((r) => r.name);
  }

  /** Reads the done marker first: once it exists, the playlists read after it are final. */
  private async refresh(source: Source): Promise<void> {
    if (!source.complete) source.complete = await exists(join(source.dir, CHUNK_DONE_MARKER));
    for (const name of this.renditionsOf(source)) {
      const text = await readFile(join(source.dir, name, this.plan.hls.mediaPlaylistName), 'utf8').catch(() => null);
      if (text === null) continue;
      try {
        const playlist = parseMediaPlaylist(text);
        const known = source.playlists.get(name);
        // A retry that starts over lists fewer segments for a while: keep the longer listing.
        if (source.complete || !known || playlist.segments.length >= known.segments.length) source.playlists.set(name, playlist);
      } catch {
        // Caught mid-write: the next pass reads it whole.
      }
    }
  }

  private async mirrorRendition(name: string, sources: Source[], end: boolean): Promise<boolean> {
    const dir = join(this.outputDir, name);
    const initName = sources[0]?.playlists.get(name)?.initUri;
    const states: ChunkRenditionState[] = [];
    for (const [index, source] of sources.entries()) {
      const playlist = source.playlists.get(name) ?? null;
      const initUri = initName ? await this.initUriOf(name, index, sources, initName) : '';
      // Its init segment could not be read just now (a retry starting over): nothing from here on this pass.
      if (initUri === null) {
        states.push({ playlist: null, complete: false, initUri: '' });
        break;
      }
      states.push({ playlist, complete: source.complete, initUri, spanSec: source.span?.durationSec ?? null });
    }
    const joined = joinChunkPlaylists(states, { segmentPattern: this.plan.hls.segmentPattern, segmentSec: this.plan.hls.segmentSec });
    const done = this.mirrored.get(name) ?? 0;
    if (joined.segments.length === done && !(end && joined.complete && !this.ended.has(name))) return joined.complete;
    await mkdir(dir, { recursive: true });
    let placed = done;
    for (const segment of joined.segments.slice(done)) {
      const ok = await place(join(sources[segment.chunk]!.dir, name, segment.sourceUri), join(dir, segment.uri));
      if (!ok) break;
      placed += 1;
    }
    const complete = joined.complete && placed === joined.segments.length;
    const listed = { ...joined, segments: joined.segments.slice(0, placed), complete };
    const ended = end && complete;
    const path = join(dir, this.plan.hls.mediaPlaylistName);
    await writeFile(`${path}.tmp`, renderEventPlaylist(listed, ended), 'utf8');
    await rename(`${path}.tmp`, path);
    this.mirrored.set(name, placed);
    if (ended) this.ended.add(name);
    return complete;
  }

  /**
   * Chunk 0's init segment for every chunk whose init matches it apart from the edit list (what
   * x264 and ffmpeg 5.1 produce); otherwise the chunk's own, under its own name, with its own EXT-X-MAP.
   */
  private async initUriOf(name: string, index: number, sources: Source[], initName: string): Promise<string | null> {
    const key = `${index}/${name}`;
    const known = this.initUris.get(key);
    if (known) return known;
    const source = sources[index]!;
    const own = source.playlists.get(name)?.initUri;
    // Nothing listed yet: the value is not used (the chunk contributes no segment).
    if (!own || (source.playlists.get(name)?.segments.length ?? 0) === 0) return initName;
    const dir = join(this.outputDir, name);
    await mkdir(dir, { recursive: true });
    let uri = initName;
    if (index === 0) {
      if (!(await place(join(source.dir, name, own), join(dir, initName)))) return null;
    } else {
      const [first, mine] = await Promise.all([readFile(join(dir, initName)), readFile(join(source.dir, name, own))]).catch(() => [
        null,
        null,
      ]);
      if (!first || !mine) return null;
      if (!sameInitIgnoringEditLists(first, mine)) {
        uri = own.replace(/(\.[^.]*)?$/, `_${chunkDirName({ kind: 'video', index })}$1`);
        if (!(await place(join(source.dir, name, own), join(dir, uri)))) return null;
      }
    }
    this.initUris.set(key, uri);
    return uri;
  }
}

/**
 * Hard-links a finished file into the output (a copy across file systems), replacing a stale one.
 * False when the source is gone (a chunk's retry cleared its folder): the next pass tries again.
 */
async function place(from: string, to: string): Promise<boolean> {
  await unlink(to).catch(() => undefined);
  try {
    await link(from, to);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    if (code !== 'EXDEV' && code !== 'EPERM') throw error;
    return copyFile(from, to).then(
      () => true,
      (copyError: NodeJS.ErrnoException) => {
        if (copyError.code === 'ENOENT') return false;
        throw copyError;
      },
    );
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', abort, { once: true });
  });
}
