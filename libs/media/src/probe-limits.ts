import type { MediaProbe } from './media-probe.js';
import { PROBE_REJECTION_MESSAGES, type ProbeRejection } from './probe-error.js';

export interface ProbeLimits {
  maxDurationSec: number;
  /** Applies to both coded and displayed width and height. */
  maxDimensionPx: number;
  maxStreams: number;
}

export const DEFAULT_PROBE_LIMITS: Readonly<ProbeLimits> = Object.freeze({
  maxDurationSec: 8 * 60 * 60,
  maxDimensionPx: 4096,
  maxStreams: 16,
});

/** Returns why the upload cannot be accepted, or null when it is within limits. */
export function checkProbeLimits(probe: MediaProbe, limits: ProbeLimits = DEFAULT_PROBE_LIMITS): ProbeRejection | null {
  if (!probe.video && !probe.audio) {
    return { code: 'no_media_streams', message: PROBE_REJECTION_MESSAGES.no_media_streams };
  }
  if (probe.streamCount > limits.maxStreams) {
    return {
      code: 'too_many_streams',
      message: `This file has ${probe.streamCount} tracks; we accept at most ${limits.maxStreams}. Please export it with one video and one audio track.`,
    };
  }
  const video = probe.video;
  if (video) {
    const largest = Math.max(video.width, video.height, video.displayWidth, video.displayHeight);
    if (largest > limits.maxDimensionPx) {
      return {
        code: 'too_large',
        message: `This video is ${video.displayWidth}×${video.displayHeight} pixels; the largest we accept is ${limits.maxDimensionPx} pixels on either side. Please export it at 4K (3840×2160) or smaller.`,
      };
    }
  }
  if (!Number.isFinite(probe.durationSec) || probe.durationSec <= 0) {
    return { code: 'unreadable', message: PROBE_REJECTION_MESSAGES.unreadable };
  }
  if (probe.durationSec > limits.maxDurationSec) {
    return {
      code: 'too_long',
      message: `This recording is ${formatDuration(probe.durationSec)} long; the limit is ${formatDuration(limits.maxDurationSec)}. Please split it into shorter parts and upload them separately.`,
    };
  }
  return null;
}

/** 30600 → "8 h 30 min", 28830 → "8 h 1 min", 600 → "10 min", 42 → "42 s". */
export function formatDuration(totalSec: number): string {
  if (totalSec < 60) return `${Math.round(totalSec)} s`;
  // Rounds up so a file just over the limit never reads as exactly the limit.
  const totalMinutes = Math.ceil(totalSec / 60 - 1e-9);
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  if (hours === 0) return `${minutes} min`;
  return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
}
