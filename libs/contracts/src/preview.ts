// A set previewable while it is still being encoded ("progressive publish").
//
// While the transcoder encodes the HLS ladder it copies every finished segment to storage and keeps
// growing EVENT playlists (`#EXT-X-PLAYLIST-TYPE:EVENT`, no `#EXT-X-ENDLIST` until the rendition is
// complete) and a master playlist beside them. As soon as every rendition has at least one segment
// stored, the asset is *previewable*: editors of the course can play it (and members too when the
// course allows publishing before ready). At "ready" the finished set replaces the preview under the
// same URLs, so a player that is already playing keeps going.
//
// Where the studio reads the state (poll every few seconds while an asset is transcoding):
//   GET /api/assets/:assetId          (upload service) -> AssetView, which carries `MediaPreviewState`
//   GET /api/lectures/:lectureId/preview (catalog)     -> `LecturePreviewView`, for a lecture's editors
// What the preview player loads:
//   POST /api/lectures/:lectureId/playback -> PlaybackSessionView & `PreviewPlayback`
//     As before for ready media. For media that is previewable but not ready it now answers (instead
//     of 409) to the course's editors, and to members when the course publishes before ready, with
//     `stillEncoding: true` and a `masterUrl` to the growing set. 409 as before when nothing is
//     playable yet. The signed `/hls/...` links are the same delivery as for ready media.
//   Player notes: the media playlists are EVENT playlists, so hls.js starts at the live edge unless
//   told otherwise: create it with `startPosition: resumePositionSec` (0 for a preview), and for
//   native HLS (Safari) set `currentTime` after `loadedmetadata`. `durationSec` is the whole source's
//   length even while only part of it is playable; hls.js's `media.duration` grows as segments arrive.

import type { AssetOutputs, MediaKind } from './queues.js';

/** Preview fields of an asset as the studio sees it (flat on the upload service's AssetView). */
export interface MediaPreviewState {
  /** True while the asset is transcoding and a growing set can be played; false once ready (play it as usual) or failed. */
  previewable: boolean;
  /** When the first playable set of the current attempt was stored (ISO 8601); null when not previewable. */
  previewableAt: string | null;
  /** How much of the source the HLS ladder has encoded, 0–100; null unless the asset is transcoding. */
  encodedPercent: number | null;
  /** Estimated seconds until the asset is ready; null when unknown or not transcoding. */
  etaSeconds: number | null;
}

/**
 * The share of an asset's overall progress (media_assets.progress_percent, 0–100) that the HLS
 * encode takes: `encodedPercent` is the overall progress scaled by it (the rest is remuxing the
 * offline files, the poster and publishing, each a few seconds).
 */
export const ENCODE_END_PERCENT = 94;

/** How much of the source is encoded, from an asset's overall progress while it transcodes. */
export function encodedPercentOf(status: string, progressPercent: number): number | null {
  if (status !== 'transcoding') return null;
  return Math.min(100, Math.round((Math.max(0, progressPercent) * 100) / ENCODE_END_PERCENT));
}

/** Extra fields of `POST /api/lectures/:id/playback`'s answer. */
export interface PreviewPlayback {
  /** The set is still being encoded: its playlists grow (EVENT) and end with ENDLIST when it is complete. */
  stillEncoding: boolean;
}

/** `GET /api/lectures/:lectureId/preview`: for the lecture's editors only (404 otherwise). */
export interface LecturePreviewView {
  lectureId: string;
  assetId: string | null;
  /** `none`: no media yet or nothing playable; `previewable`: a growing set plays; `ready`: finished; `failed`. */
  state: 'none' | 'previewable' | 'ready' | 'failed';
  previewableAt: string | null;
  /** Whether members may play it now: ready media of a published course, or a preview when the course publishes before ready. */
  membersMayPlay: boolean;
}

/** Transcoder → catalog media event (on the media-events queue) when an attempt's growing set becomes playable. */
export interface AssetPreviewableEvent {
  type: 'asset.previewable';
  assetId: string;
  kind: MediaKind;
  /** The whole source's length. */
  durationSec: number;
  /**
   * The growing set: same layout and relative paths as the finished set's outputs; no downloads or thumbnails yet.
   * `poster` (video): a frame chosen as the finished poster's, once stored; when it comes after the first report,
   * the event is sent again with it and the same `previewableAt`.
   */
  outputs: AssetOutputs;
  previewableAt: string;
}
