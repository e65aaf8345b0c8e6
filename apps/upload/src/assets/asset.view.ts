import type { AssetOutputs, MediaKind } from '#contracts';
import type { AssetStatus, MediaAsset } from './media-asset.entity.js';

/** An asset as editors see it: its stage, progress while it transcodes, and why it failed. */
export interface AssetView {
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
  };
}
