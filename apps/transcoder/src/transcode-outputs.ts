import type { AssetOutputs, DownloadOutput, RenditionInfo } from '#contracts';
import type { FinalizedMasterPlaylist, TranscodePlan } from '#media';

/** Storage prefix of one attempt's published set. */
export const publishedPrefix = (assetId: string, attemptToken: string) => `media/${assetId}/${attemptToken}`;

/**
 * The outputs recorded on the asset: `prefix` is a storage key (relative to the storage root); every
 * other path is relative to `prefix`, as the playlists' own URIs are.
 */
export function outputsOf(
  plan: TranscodePlan,
  master: Pick<FinalizedMasterPlaylist, 'bitrates'>,
  /** `downloads`: the size in bytes of each offline file that was written, by file name. */
  files: { prefix: string; downloads: Record<string, number>; poster: boolean; thumbnails: string[] },
): AssetOutputs {
  const playlist = (name: string) => `${name}/${plan.hls.mediaPlaylistName}`;
  const measured = (name: string, fallbackKbps: number) => Math.ceil(master.bitrates[name]?.peak ?? fallbackKbps * 1000);
  const renditions: RenditionInfo[] = [
    ...plan.rungs.map((rung) => ({
      name: rung.name,
      kind: 'video' as const,
      width: rung.width,
      height: rung.height,
      fps: rung.fps,
      bandwidth: measured(rung.name, rung.maxrateKbps),
      playlist: playlist(rung.name),
    })),
    ...plan.audio.map((rendition) => ({
      name: rendition.name,
      kind: 'audio' as const,
      bandwidth: measured(rendition.name, rendition.bitrateKbps),
      playlist: playlist(rendition.name),
    })),
  ];
  const mainAudio = plan.audio.find((rendition) => rendition.name === 'audio');
  const downloads: DownloadOutput[] = plan.downloads.flatMap((d) => {
    const bytes = files.downloads[d.fileName];
    if (bytes === undefined) return [];
    return [
      d.kind === 'video'
        ? { quality: d.quality, file: d.fileName, bytes, width: d.width, height: d.height }
        : { quality: d.quality, file: d.fileName, bytes },
    ];
  });
  return {
    prefix: files.prefix,
    master: plan.hls.masterPlaylistName,
    // Listening mode: the full-quality audio rendition's own playlist.
    audioOnly: mainAudio ? playlist(mainAudio.name) : null,
    download: plan.download.fileName in files.downloads ? plan.download.fileName : null,
    downloads,
    poster: files.poster ? plan.poster.fileName : null,
    thumbnails: files.thumbnails,
    renditions,
  };
}
