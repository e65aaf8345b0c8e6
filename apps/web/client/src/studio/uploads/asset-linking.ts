import { ApiError } from '../../api/api.js';
import { getAsset, getUploadAsset, updateLecture } from '../../api/studio.js';
import { forgetUpload } from './saved-uploads.js';
import { announceLectureChange, jobs, newJob, TERMINAL, update, type Job } from './upload-store.js';

const POLL_MS = 2000;

/** Shows the transcoding progress of an asset already linked to the lecture (e.g. after a reload). */
export function watchAsset(lectureId: string, courseId: string, assetId: string): void {
  const job = jobs.get(lectureId);
  // Already shown: this asset, or a newer upload for the same lecture that is still on its way.
  if (job && (job.assetId === assetId || !TERMINAL.includes(job.state.phase))) return;
  const fresh = newJob(lectureId, courseId, '', 0);
  fresh.assetId = assetId;
  fresh.state = { ...fresh.state, phase: 'processing' };
  poll(fresh);
}

const uploadIdOf = (url: string) => new URL(url, location.href).pathname.split('/').filter(Boolean).pop() ?? '';

/** The asset a finished upload became, linked to its lecture; then its processing is followed. */
export async function attach(job: Job): Promise<void> {
  const lectureId = job.state.lectureId;
  update(job, { phase: 'finishing', message: null });
  try {
    const asset = await withRetries(() => getUploadAsset(uploadIdOf(job.uploadUrl!)));
    await withRetries(() => updateLecture(lectureId, { assetId: asset.id }));
    forgetUpload(lectureId);
    job.assetId = asset.id;
    job.upload = null;
    update(job, { phase: 'processing', asset });
    announceLectureChange(lectureId);
    schedulePoll(job);
  } catch (error) {
    // Everything is uploaded; "Retry" (after signing in again, if that was the problem) only links it.
    job.resume = () => void attach(job);
    const expired = error instanceof ApiError && error.status === 401;
    update(job, { phase: 'stopped', message: expired ? 'errors.sessionExpired' : 'media.errorAttach' });
  }
}

/** Network hiccups and 5xx are retried a few times before giving up; 4xx answers are final. */
async function withRetries<T>(action: () => Promise<T>, delays = [1000, 3000, 5000]): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await action();
    } catch (error) {
      const final = error instanceof ApiError && error.status < 500;
      if (final || attempt >= delays.length) throw error;
      await new Promise((resolve) => setTimeout(resolve, delays[attempt]));
    }
  }
}

function schedulePoll(job: Job): void {
  stopPolling(job);
  job.pollTimer = setTimeout(() => poll(job), POLL_MS);
}

export function stopPolling(job: Job): void {
  if (job.pollTimer) clearTimeout(job.pollTimer);
  job.pollTimer = null;
}

function poll(job: Job): void {
  if (!job.assetId || jobs.get(job.state.lectureId) !== job) return;
  getAsset(job.assetId)
    .then((asset) => {
      if (jobs.get(job.state.lectureId) !== job) return;
      const phase = asset.status === 'ready' ? 'ready' : asset.status === 'failed' ? 'failed' : 'processing';
      update(job, { phase, asset, pollTrouble: false, message: null, fileName: job.state.fileName || asset.originalName });
      if (TERMINAL.includes(phase)) {
        announceLectureChange(job.state.lectureId);
      } else schedulePoll(job);
    })
    .catch((error: unknown) => {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403 || error.status === 404)) return;
      update(job, { pollTrouble: true });
      schedulePoll(job);
    });
}
