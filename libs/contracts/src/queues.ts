import type { AssetPreviewableEvent } from './preview.js';

/** Queue names: the only coupling between upload, transcoder and catalog besides the payloads below. */
export const QUEUES = {
  transcode: 'transcode',
  mediaEvents: 'media-events',
  /** Office course materials to convert to PDF (`ConvertDocumentJob`). */
  documents: 'documents',
  /** Chunks of a long video's ladder, and their flow parents (apps/transcoder/src/chunks). */
  transcodeChunks: 'transcode-chunks',
  transcodeChunksDone: 'transcode-chunks-done',
} as const;

export const JOBS = {
  transcode: 'transcode-asset',
  assetReady: 'asset-ready',
  assetFailed: 'asset-failed',
} as const;

export type MediaKind = 'video' | 'audio';

/** Upload → transcoder. The job id is the asset id, so one asset is never queued twice. */
export interface TranscodeJob {
  assetId: string;
  /** Storage key of the original upload. */
  sourceKey: string;
  kind: MediaKind;
  durationSec: number;
}

/** Transcoder progress reported through job.updateProgress and mirrored into media_assets. */
export interface TranscodeProgress {
  percent: number;
  etaSeconds: number | null;
}

export interface RenditionInfo {
  name: string;
  kind: 'video' | 'audio';
  width?: number;
  height?: number;
  fps?: number;
  bandwidth: number;
  playlist: string;
}

export type DownloadQuality = 'standard' | 'high' | 'audio';

/** One offline file: a stream copy of published renditions, sized after the remux. */
export interface DownloadOutput {
  quality: DownloadQuality;
  /** Relative to the set's prefix, like every other path. */
  file: string;
  bytes: number;
  width?: number;
  height?: number;
}

export interface AssetOutputs {
  /** Storage prefix of the published set; everything below is relative to it. */
  prefix: string;
  master: string;
  audioOnly: string | null;
  /** The `high` file (the `audio` one for an audio lecture): the only offline file of sets published before `downloads`. */
  download: string | null;
  /** Every offline file, smallest video first; absent on sets published before there were several. */
  downloads?: DownloadOutput[];
  poster: string | null;
  thumbnails: string[];
  renditions: RenditionInfo[];
}

/** Transcoder → catalog, on a durable queue (never an in-memory emitter). */
export type MediaEvent =
  | { type: 'asset.ready'; assetId: string; kind: MediaKind; durationSec: number; outputs: AssetOutputs }
  | { type: 'asset.failed'; assetId: string; code: string; reason: string }
  | AssetPreviewableEvent;
