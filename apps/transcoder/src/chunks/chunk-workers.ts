import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { buildChunkAudioArguments, buildChunkVideoArguments, runFfmpeg } from '#media';
import { CHUNK_DONE_MARKER, CHUNK_JOBS, CHUNK_QUEUES, type ChunkJob, type ChunkResult, type ChunksDoneJob } from './chunk-jobs.js';

export interface ChunkWorkersOptions {
  connection: ConnectionOptions;
  prefix: string;
  /** WORK_DIR: chunk directories are resolved inside it. */
  workDir: string;
  /** Chunks this process encodes at once (1: one ffmpeg of the whole ladder per process). */
  concurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** Time limit of one chunk's ffmpeg. */
  timeoutMs: number;
  ffmpegPath?: string;
  /** Whether the attempt still holds the asset (its fencing token); checked before and while a chunk runs. */
  isCurrent: (assetId: string, token: string) => Promise<boolean>;
  /** How often a running chunk checks that its attempt is still wanted. */
  checkIntervalMs?: number;
  log?: (message: string) => void;
}

class ChunkAbandoned extends Error {}

/**
 * The chunk side of chunk-parallel encoding, run by every transcoder process: a worker on
 * `transcode-chunks` that encodes one chunk (or the audio pass) into its directory under the
 * attempt's scratch folder, and a worker on `transcode-chunks-done` that completes the flow parent.
 * A chunk stops, removes its files and fails for good when its attempt is over: the asset carries
 * another token, the flow parent is gone or failed, or the attempt's scratch folder was removed.
 */
export class ChunkWorkers {
  private chunkWorker?: Worker<ChunkJob, ChunkResult>;
  private doneWorker?: Worker<ChunksDoneJob, { chunks: number }>;
  private doneQueue?: Queue<ChunksDoneJob>;

  constructor(private readonly options: ChunkWorkersOptions) {}

  async start(): Promise<void> {
    if (this.chunkWorker) return;
    const { connection, prefix } = this.options;
    this.doneQueue = new Queue<ChunksDoneJob>(CHUNK_QUEUES.done, { connection, prefix });
    this.chunkWorker = new Worker<ChunkJob, ChunkResult>(CHUNK_QUEUES.chunks, (job, _token, signal) => this.encode(job, signal), {
      connection,
      prefix,
      concurrency: this.options.concurrency,
      lockDuration: this.options.lockDurationMs,
      stalledInterval: this.options.stalledIntervalMs,
      maxStalledCount: 1,
    });
    this.doneWorker = new Worker<ChunksDoneJob, { chunks: number }>(
      CHUNK_QUEUES.done,
      async (job) => ({ chunks: Object.keys(await job.getChildrenValues()).length }),
      { connection, prefix, concurrency: 4 },
    );
    for (const worker of [this.chunkWorker, this.doneWorker]) {
      worker.on('error', (error) => this.options.log?.(`chunk worker: ${error.message}`));
    }
    this.chunkWorker.on('failed', (job, error) => {
      if (job) this.options.log?.(`asset ${job.data.assetId}: chunk ${job.id} attempt ${job.attemptsMade} failed: ${error.message}`);
    });
    await Promise.all([this.chunkWorker.waitUntilReady(), this.doneWorker.waitUntilReady()]);
  }

  /** Stops taking chunks and waits for the running ones. */
  async close(): Promise<void> {
    await Promise.all([this.chunkWorker?.close(), this.doneWorker?.close()]);
    await this.doneQueue?.close();
    this.chunkWorker = undefined;
    this.doneWorker = undefined;
    this.doneQueue = undefined;
  }

  private async encode(job: Job<ChunkJob>, jobSignal?: AbortSignal): Promise<ChunkResult> {
    const { assetId, token } = job.data;
    if (job.name !== CHUNK_JOBS.video && job.name !== CHUNK_JOBS.audio) {
      throw new UnrecoverableError(`The chunk queue has no job called "${job.name}"`);
    }
    const dir = this.chunkDirOf(job.data.dir);
    const startedMs = Date.now();
    const abandoned = new AbortController();
    const signal = jobSignal ? AbortSignal.any([jobSignal, abandoned.signal]) : abandoned.signal;
    const check = async () => {
      const why = await this.whyAbandoned(job);
      if (why && !abandoned.signal.aborted) abandoned.abort(new ChunkAbandoned(why));
    };
    await check();
    if (abandoned.signal.aborted) throw new UnrecoverableError(String((abandoned.signal.reason as Error).message));
    const timer = setInterval(() => void check().catch(() => undefined), this.options.checkIntervalMs ?? 2000);
    try {
      // A retry starts from nothing; the chunks folder itself belongs to the attempt and is never re-created here.
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'ENOENT' ? new ChunkAbandoned('the attempt’s scratch folder is gone') : error;
      });
      const target = { input: job.data.source, outputDir: dir, threads: job.data.threads };
      const args =
        job.data.kind === 'video'
          ? buildChunkVideoArguments(job.data.plan, job.data.chunk, target)
          : buildChunkAudioArguments(job.data.plan, target);
      await runFfmpeg(args, { timeoutMs: this.options.timeoutMs, signal, ffmpegPath: this.options.ffmpegPath });
      await writeFile(join(dir, CHUNK_DONE_MARKER), JSON.stringify({ finishedAt: new Date().toISOString() }));
      return { name: job.name, elapsedMs: Date.now() - startedMs };
    } catch (error) {
      if (abandoned.signal.aborted || error instanceof ChunkAbandoned) {
        await rm(dir, { recursive: true, force: true }).catch(() => undefined);
        const reason = abandoned.signal.aborted ? (abandoned.signal.reason as Error).message : (error as Error).message;
        this.options.log?.(`asset ${assetId}: chunk ${job.id} of attempt ${token} stopped: ${reason}`);
        throw new UnrecoverableError(`chunk abandoned: ${reason}`);
      }
      throw error;
    } finally {
      clearInterval(timer);
    }
  }

  /** Why this chunk's attempt no longer wants it, or null while it does. */
  private async whyAbandoned(job: Job<ChunkJob>): Promise<string | null> {
    const { assetId, token } = job.data;
    const scratch = this.chunkDirOf(join(job.data.dir, '..', '..'));
    if (!(await exists(scratch))) return 'the attempt’s scratch folder is gone';
    const parentId = job.parent?.id;
    if (parentId && this.doneQueue) {
      const parent = await this.doneQueue.getJob(parentId);
      if (!parent) return 'the flow was removed';
      if (await parent.isFailed()) return 'the flow failed';
    }
    if (!(await this.options.isCurrent(assetId, token))) return 'another attempt holds the asset';
    return null;
  }

  /** A directory inside WORK_DIR named relative to it; anything pointing elsewhere is refused. */
  private chunkDirOf(dir: string): string {
    const root = resolve(this.options.workDir);
    const path = resolve(root, dir);
    const inside = relative(root, path);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside))
      throw new UnrecoverableError(`chunk directory "${dir}" is outside WORK_DIR`);
    return path;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
