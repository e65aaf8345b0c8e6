import type { Upload } from 'tus-js-client';
import type { AssetView } from '../../api/types.js';
import { SpeedMeter } from './speed-meter.js';

export type UploadPhase =
  | 'uploading'
  | 'paused'
  /** A request failed; tus-js-client retries on its own. */
  | 'retrying'
  /** The browser is offline; the upload restarts when it is back. */
  | 'offline'
  /** Stopped on an error that "Resume" may fix (network, server, session). */
  | 'stopped'
  /** Found after a reload: the same file has to be chosen again. */
  | 'interrupted'
  /** A different file was chosen while an interrupted upload waits. */
  | 'mismatch'
  /** All bytes arrived; finding the asset and linking it to the lecture. */
  | 'finishing'
  | 'processing'
  | 'ready'
  | 'failed';

export type UploadMessage =
  | 'media.errorType'
  | 'media.errorTooBig'
  | 'media.errorEmpty'
  | 'media.errorForbidden'
  | 'media.errorNetwork'
  | 'media.errorServer'
  | 'media.errorAttach'
  | 'errors.sessionExpired';

export interface UploadState {
  lectureId: string;
  phase: UploadPhase;
  fileName: string;
  bytesSent: number;
  bytesTotal: number;
  bytesPerSecond: number | null;
  message: UploadMessage | null;
  /** While processing and after: the asset as the upload service reports it. */
  asset: AssetView | null;
  /** The last status poll failed; polling goes on. */
  pollTrouble: boolean;
}

export interface Job {
  state: UploadState;
  courseId: string;
  upload: Upload | null;
  uploadUrl: string | null;
  assetId: string | null;
  speed: SpeedMeter;
  pendingFile: File | null;
  pollTimer: ReturnType<typeof setTimeout> | null;
  lastSaved: number;
  /** What "Resume" does in the current phase. */
  resume: (() => void) | null;
}

export const TERMINAL: readonly string[] = ['ready', 'failed'];
export const ACTIVE: readonly UploadPhase[] = ['uploading', 'retrying', 'offline', 'finishing'];

/** One job per lecture: its upload, then the processing of what it uploaded. */
export const jobs = new Map<string, Job>();
const listeners = new Set<() => void>();
const lectureListeners = new Set<(lectureId: string) => void>();
export function notify(): void {
  for (const listener of listeners) listener();
}

export function update(job: Job, changes: Partial<UploadState>): void {
  job.state = { ...job.state, ...changes };
  notify();
}

export function newJob(lectureId: string, courseId: string, fileName: string, bytesTotal: number): Job {
  const job: Job = {
    state: {
      lectureId,
      phase: 'uploading',
      fileName,
      bytesSent: 0,
      bytesTotal,
      bytesPerSecond: null,
      message: null,
      asset: null,
      pollTrouble: false,
    },
    courseId,
    upload: null,
    uploadUrl: null,
    assetId: null,
    speed: new SpeedMeter(),
    pendingFile: null,
    pollTimer: null,
    lastSaved: 0,
    resume: null,
  };
  jobs.set(lectureId, job);
  return job;
}

export function subscribeUploads(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Called when a lecture's media changed on the server (attached, ready, failed): time to reload it. */
export function onLectureMediaChange(listener: (lectureId: string) => void): () => void {
  lectureListeners.add(listener);
  return () => lectureListeners.delete(listener);
}

export function uploadState(lectureId: string): UploadState | null {
  return jobs.get(lectureId)?.state ?? null;
}

export function activeUploadCount(): number {
  let count = 0;
  for (const job of jobs.values()) if (ACTIVE.includes(job.state.phase) || job.state.phase === 'processing') count += 1;
  return count;
}

/** Tells the pages that a lecture's media changed on the server. */
export function announceLectureChange(lectureId: string): void {
  for (const listener of lectureListeners) listener(lectureId);
}
