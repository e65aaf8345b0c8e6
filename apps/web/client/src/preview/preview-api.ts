import type { LecturePreviewView, MediaPreviewState, PreviewPlayback } from '#contracts';
import { request } from '../api/api.js';
import type { AssetView, PlaybackSession } from '../api/types.js';

/** The upload service's asset with the preview fields it carries while transcoding. */
export type PreviewAsset = AssetView & Partial<MediaPreviewState>;

/** A playback session of a lecture; `stillEncoding` when the set is a growing preview. */
export type PreviewSession = PlaybackSession & Partial<PreviewPlayback>;

const id = (value: string) => encodeURIComponent(value);

export function getLecturePreview(lectureId: string): Promise<LecturePreviewView> {
  return request('GET', `/api/lectures/${id(lectureId)}/preview`);
}

export function openPreviewPlayback(lectureId: string): Promise<PreviewSession> {
  return request('POST', `/api/lectures/${id(lectureId)}/playback`);
}

export function getPreviewAsset(assetId: string): Promise<PreviewAsset> {
  return request('GET', `/api/assets/${id(assetId)}`);
}
