import { encodedPercentOf, type AssetOutputs, type MediaKind, type MediaPreviewState } from '#contracts';
import type { AssetStatus, MediaAsset } from './media-asset.entity.js';

/** An asset as editors see it: its stage, progress while it transcodes (and whether it can be previewed yet), and why it failed. */
export interface AssetView extends MediaPreviewState {
  id: string;
  status: AssetStatus;
  originalName: string;
  sizeBytes: number;
  kind: MediaKind | null;
  durationSec: number | null;
  progress: { percent: number; etaSeconds: number | null };
  failure: { code: string; reason: string } | null;
  outputs: AssetOutputs | null;
  createdAt: string;
  updatedAt: string;
  readyAt: string | null;
}

export function toAssetView(asset: MediaAsset): AssetView {
  return {
    id: asset.id,
    status: asset.status,
    originalName: asset.originalName,
    sizeBytes: asset.sizeBytes,
    kind: asset.kind,
    durationSec: asset.durationSec,
    progress: { percent: asset.status === 'ready' ? 100 : asset.progressPercent, etaSeconds: asset.etaSeconds },
    failure: asset.status === 'failed' ? { code: asset.failureCode ?? 'unknown', reason: asset.failureReason ?? 'Unknown error' } : null,
    outputs: asset.status === 'ready' ? asset.outputs : null,
    createdAt: asset.createdAt.toISOString(),
    updatedAt: asset.updatedAt.toISOString(),
    readyAt: asset.readyAt?.toISOString() ?? null,
    previewable: asset.status === 'transcoding' && asset.previewableAt !== null,
    previewableAt: asset.status === 'transcoding' ? (asset.previewableAt?.toISOString() ?? null) : null,
    encodedPercent: encodedPercentOf(asset.status, asset.progressPercent),
    etaSeconds: asset.status === 'transcoding' ? asset.etaSeconds : null,
  };
}
