import type { ChunkSpan, TranscodePlan } from '#media';

/** The queues of chunk-parallel encoding (same QUEUE_PREFIX as the transcode queue). */
export const CHUNK_QUEUES = {
  /** One job per video chunk, plus one for the whole file's audio: any transcoder process takes them. */
  chunks: 'transcode-chunks',
  /** The flow parent of one attempt's chunks; it completes once every chunk has. */
  done: 'transcode-chunks-done',
} as const;

export const CHUNK_JOBS = { video: 'video-chunk', audio: 'audio-pass', done: 'chunks-done' } as const;

interface ChunkJobBase {
  assetId: string;
  /** The transcode attempt's fencing token: a chunk of an attempt that no longer holds the asset stops. */
  token: string;
  plan: TranscodePlan;
  /** Absolute path of the source on this host (a shared volume across hosts). */
  source: string;
  /** The chunk's directory relative to WORK_DIR: `<asset>-<token>/chunks/<name>`. */
  dir: string;
  /** One-thread encodes (benchmarks pinning one worker per core); unset for ffmpeg's own choice. */
  threads?: number;
}

export interface VideoChunkJob extends ChunkJobBase {
  kind: 'video';
  chunk: ChunkSpan;
}

export interface AudioChunkJob extends ChunkJobBase {
  kind: 'audio';
}

export type ChunkJob = VideoChunkJob | AudioChunkJob;

export interface ChunkResult {
  name: string;
  elapsedMs: number;
}

export interface ChunksDoneJob {
  assetId: string;
  token: string;
  chunks: number;
}

/** Written into a chunk's directory after its ffmpeg exited cleanly: only then is its playlist final. */
export const CHUNK_DONE_MARKER = 'done.json';
export const CHUNKS_DIR = 'chunks';

/** `v00003` for video chunk 3, `audio` for the audio pass. */
export const chunkDirName = (job: { kind: 'video'; index: number } | { kind: 'audio' }): string =>
  job.kind === 'audio' ? 'audio' : `v${String(job.index).padStart(5, '0')}`;

/** Job ids from asset, token and chunk, so adding the same attempt's flow again adds nothing. */
export const chunkJobId = (assetId: string, token: string, name: string): string => `${assetId}-${token}-${name}`;
export const chunksDoneJobId = (assetId: string, token: string): string => `${assetId}-${token}-done`;
