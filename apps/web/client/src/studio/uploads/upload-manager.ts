import type { DetailedError } from 'tus-js-client';
import { reportUnauthorized } from '../../api/api.js';
import { readToken } from '../../api/token.js';
import { isAcceptedMediaName } from './accepted-files.js';
import { attach, stopPolling } from './asset-linking.js';
import { forgetUpload, isSameFile, savedUpload, savedUploads, saveUpload, type SavedUpload } from './saved-uploads.js';
import { ACTIVE, jobs, newJob, notify, update, type Job, type UploadMessage } from './upload-store.js';

export { watchAsset } from './asset-linking.js';
export {
  activeUploadCount,
  onLectureMediaChange,
  subscribeUploads,
  uploadState,
  type UploadMessage,
  type UploadPhase,
  type UploadState,
} from './upload-store.js';

/** The signed-in editor, set by restoreSavedUploads(). */
let ownerId = '';

const authHeader = (): Record<string, string> => {
  const token = readToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
};

/**
 * Brings back what a reload interrupted: uploads that need their file again, and finished uploads
 * that still have to be linked to their lecture. Called by the studio pages (signed in as an editor).
 */
export function restoreSavedUploads(editorId: string): void {
  if (ownerId === editorId) return;
  // Another editor signed in on this tab: the previous one's uploads stop here and resume from their own sign-in.
  for (const job of jobs.values()) {
    void job.upload?.abort(false);
    stopPolling(job);
  }
  jobs.clear();
  ownerId = editorId;
  for (const saved of savedUploads(ownerId)) {
    if (jobs.has(saved.lectureId)) continue;
    const job = newJob(saved.lectureId, saved.courseId, saved.fileName, saved.fileSize);
    job.uploadUrl = saved.uploadUrl;
    if (saved.stage === 'uploaded' && saved.uploadUrl) {
      void attach(job);
    } else {
      job.state = { ...job.state, phase: 'interrupted', bytesSent: saved.bytesUploaded };
      if (saved.uploadUrl) void refreshOffset(job, saved.uploadUrl);
    }
  }
  notify();
}

/** Uploads `file` for the lecture, resuming an earlier upload of the same file where possible. */
export function chooseFile(lectureId: string, courseId: string, file: File): void {
  const existing = jobs.get(lectureId);
  if (existing && ACTIVE.includes(existing.state.phase)) return;
  const saved = savedUpload(ownerId, lectureId);
  if (existing && saved && saved.stage === 'uploading' && !isSameFile(saved, file)) {
    existing.pendingFile = file;
    update(existing, { phase: 'mismatch' });
    return;
  }
  void begin(lectureId, courseId, file, saved && isSameFile(saved, file) ? saved : null);
}

/** After a mismatch: drop the interrupted upload and send the newly chosen file instead. */
export function replaceInterrupted(lectureId: string): void {
  const job = jobs.get(lectureId);
  const file = job?.pendingFile;
  if (!job || !file) return;
  discardSaved(lectureId);
  void begin(lectureId, job.courseId, file, null);
}

/** After a mismatch: keep waiting for the right file. */
export function keepInterrupted(lectureId: string): void {
  const job = jobs.get(lectureId);
  if (!job) return;
  job.pendingFile = null;
  update(job, { phase: 'interrupted' });
}

export function pauseUpload(lectureId: string): void {
  const job = jobs.get(lectureId);
  if (!job?.upload) return;
  void job.upload.abort(false);
  job.speed.reset();
  job.resume = () => startSending(job);
  update(job, { phase: 'paused', bytesPerSecond: null });
}

export function resumeUpload(lectureId: string): void {
  const job = jobs.get(lectureId);
  job?.resume?.();
}

export function cancelUpload(lectureId: string): void {
  const job = jobs.get(lectureId);
  if (!job) return;
  // abort(true) also deletes the partial upload on the server.
  if (job.upload) void job.upload.abort(true).catch(() => undefined);
  forgetUpload(lectureId);
  stopPolling(job);
  jobs.delete(lectureId);
  notify();
}

/** Drops an interrupted upload without its file: the server copy is deleted too. */
export function discardInterrupted(lectureId: string): void {
  discardSaved(lectureId);
  jobs.delete(lectureId);
  notify();
}

// ---- sending ---------------------------------------------------------------

async function begin(lectureId: string, courseId: string, file: File, saved: SavedUpload | null): Promise<void> {
  const previous = jobs.get(lectureId);
  if (previous) stopPolling(previous);
  const job = newJob(lectureId, courseId, file.name, file.size);
  if (!isAcceptedMediaName(file.name)) return fail(job, 'media.errorType');
  if (file.size === 0) return fail(job, 'media.errorEmpty');
  job.state.bytesSent = saved?.bytesUploaded ?? 0;
  notify();

  const { Upload } = await import('tus-js-client');
  const upload = new Upload(file, {
    endpoint: '/files/',
    chunkSize: 8 * 1024 * 1024,
    retryDelays: [0, 1000, 3000, 5000, 10000],
    storeFingerprintForResuming: true,
    removeFingerprintOnSuccess: true,
    metadata: { filename: file.name, filetype: file.type || 'application/octet-stream' },
    headers: authHeader(),
    onUploadUrlAvailable: () => {
      job.uploadUrl = upload.url;
      persist(job, file, 'uploading', true);
    },
    onProgress: (sent, total) => {
      job.speed.add(sent);
      update(job, { phase: 'uploading', bytesSent: sent, bytesTotal: total, bytesPerSecond: job.speed.bytesPerSecond(), message: null });
      persist(job, file, 'uploading');
    },
    onShouldRetry: (error, _attempt, _options) => {
      const status = statusOf(error);
      const retry = (status < 400 || status >= 500 || status === 409 || status === 423) && navigator.onLine;
      if (retry) update(job, { phase: 'retrying', bytesPerSecond: null });
      return retry;
    },
    onSuccess: () => {
      update(job, { bytesSent: file.size, bytesPerSecond: null });
      persist(job, file, 'uploaded', true);
      void attach(job);
    },
    onError: (error) => onUploadError(job, file, error),
  });
  job.upload = upload;

  const candidates = await upload.findPreviousUploads();
  const claimed = new Set(
    savedUploads(ownerId)
      .filter((s) => s.lectureId !== lectureId)
      .map((s) => s.uploadUrl),
  );
  const usable = candidates.filter((c) => c.uploadUrl && !claimed.has(c.uploadUrl));
  const match =
    usable.find((c) => c.uploadUrl === saved?.uploadUrl) ??
    usable.sort((a, b) => Date.parse(b.creationTime) - Date.parse(a.creationTime))[0];
  if (match) {
    upload.resumeFromPreviousUpload(match);
    job.uploadUrl = match.uploadUrl;
  }
  persist(job, file, 'uploading', true);
  startSending(job);
}

function startSending(job: Job): void {
  job.resume = null;
  job.speed.reset();
  update(job, { phase: 'uploading', message: null, bytesPerSecond: null });
  if (!job.upload) return;
  // The current token: after "session expired" the editor signs in again and resumes with a new one.
  job.upload.options.headers = authHeader();
  job.upload.start();
}

function persist(job: Job, file: File, stage: SavedUpload['stage'], now = false): void {
  // Progress is written every few seconds at most; localStorage writes are synchronous.
  if (!now && Date.now() - job.lastSaved < 3000) return;
  job.lastSaved = Date.now();
  saveUpload({
    ownerId,
    lectureId: job.state.lectureId,
    courseId: job.courseId,
    fileName: file.name,
    fileSize: file.size,
    fileType: file.type,
    fileLastModified: file.lastModified,
    uploadUrl: job.uploadUrl,
    bytesUploaded: job.state.bytesSent,
    stage,
  });
}

function statusOf(error: unknown): number {
  return (error as Partial<DetailedError>).originalResponse?.getStatus() ?? 0;
}

function onUploadError(job: Job, file: File, error: Error): void {
  const status = statusOf(error);
  job.speed.reset();
  persist(job, file, 'uploading', true);
  if (status === 415) return fail(job, 'media.errorType', true);
  if (status === 413) return fail(job, 'media.errorTooBig', true);
  if (status === 403) return fail(job, 'media.errorForbidden', true);
  job.resume = () => startSending(job);
  if (status === 401) {
    update(job, { phase: 'stopped', message: 'errors.sessionExpired', bytesPerSecond: null });
    reportUnauthorized();
    return;
  }
  if (!navigator.onLine) {
    update(job, { phase: 'offline', message: null, bytesPerSecond: null });
    window.addEventListener('online', () => jobs.get(job.state.lectureId) === job && job.state.phase === 'offline' && startSending(job), {
      once: true,
    });
    return;
  }
  update(job, { phase: 'stopped', message: status >= 400 ? 'media.errorServer' : 'media.errorNetwork', bytesPerSecond: null });
}

function fail(job: Job, message: UploadMessage, forget = false): void {
  if (forget) forgetUpload(job.state.lectureId);
  job.resume = null;
  update(job, { phase: 'failed', message, bytesPerSecond: null });
}

function discardSaved(lectureId: string): void {
  const saved = savedUpload(ownerId, lectureId);
  forgetUpload(lectureId);
  if (saved?.uploadUrl) {
    void import('tus-js-client').then(({ Upload }) => Upload.terminate(saved.uploadUrl!, { headers: authHeader() }).catch(() => undefined));
  }
}

/** After a reload: how much of the interrupted upload the server really holds. */
async function refreshOffset(job: Job, uploadUrl: string): Promise<void> {
  try {
    const answer = await fetch(uploadUrl, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0', ...authHeader() } });
    const offset = Number(answer.headers.get('Upload-Offset'));
    if (answer.ok && Number.isFinite(offset)) update(job, { bytesSent: offset });
    else if (answer.status === 404 || answer.status === 410) update(job, { bytesSent: 0 });
  } catch {
    // Offline: the saved figure stays.
  }
}

// Leaving the page mid-upload loses nothing (it can be resumed) but costs time: ask first.
window.addEventListener('beforeunload', (event) => {
  for (const job of jobs.values()) {
    if (job.state.phase === 'uploading' || job.state.phase === 'retrying' || job.state.phase === 'finishing') {
      event.preventDefault();
      event.returnValue = '';
      return;
    }
  }
});
