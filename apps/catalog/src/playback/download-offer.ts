import type { AssetOutputs, DownloadQuality, RenditionInfo } from '#contracts';

/** The short side the transcoder's `high` download never exceeds (libs/media DOWNLOAD_MAX_SHORT_SIDE). */
const HIGH_MAX_SHORT_SIDE = 720;
const MAX_TITLE_CHARS = 120;

/** One offline file of a published set; `bytes` is null for a set published before sizes were recorded. */
export interface OfferedDownload {
  quality: DownloadQuality;
  file: string;
  bytes: number | null;
  width?: number;
  height?: number;
}

/**
 * The offline files an asset offers: its `downloads`, or for a set published before there were
 * several, its one `download` (sound only when it is an M4A, else the `high` video, whose size is
 * the rendition the transcoder picked for it).
 */
export function offeredDownloads(outputs: Pick<AssetOutputs, 'download' | 'downloads' | 'renditions'>): OfferedDownload[] {
  if (outputs.downloads) return outputs.downloads.map((d) => ({ ...d }));
  if (!outputs.download) return [];
  if (outputs.download.toLowerCase().endsWith('.m4a')) return [{ quality: 'audio', file: outputs.download, bytes: null }];
  const rung = highRungOf(outputs.renditions ?? []);
  return [{ quality: 'high', file: outputs.download, bytes: null, ...(rung ? { width: rung.width, height: rung.height } : {}) }];
}

/** The name a saved file gets: "<title> (360p).mp4", "<title> (720p).mp4", "<title>.m4a". */
export function downloadFileName(title: string, download: Pick<OfferedDownload, 'quality' | 'width' | 'height'>): string {
  const base = safeTitle(title);
  if (download.quality === 'audio') return `${base}.m4a`;
  const { width, height } = download;
  return width && height ? `${base} (${Math.min(width, height)}p).mp4` : `${base}.mp4`;
}

/** A title as a file name: no path separators, reserved or control characters, not too long. */
function safeTitle(title: string): string {
  const cleaned = [...title.replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ').replace(/\s+/g, ' ')]
    .slice(0, MAX_TITLE_CHARS)
    .join('')
    .trim()
    .replace(/^\.+/, '');
  return cleaned || 'lecture';
}

/** The largest video rendition of at most 720p, else (a set of only larger ones) the smallest. */
function highRungOf(renditions: readonly RenditionInfo[]): RenditionInfo | undefined {
  const shortSide = (r: RenditionInfo) => Math.min(r.width ?? 0, r.height ?? 0);
  const video = renditions.filter((r) => r.kind === 'video' && r.width && r.height).sort((a, b) => shortSide(b) - shortSide(a));
  return video.find((r) => shortSide(r) <= HIGH_MAX_SHORT_SIDE) ?? video.at(-1);
}
