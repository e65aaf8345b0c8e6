import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireAbsolutePath } from './encoder-arguments.js';
import type { TranscodePlan } from './ladder.js';
import { PlaylistParseError, parseMediaPlaylist, type HlsMediaPlaylist } from './master-playlist.js';

/**
 * Pure helpers for progressive publish. While the ladder is encoded, each rendition's
 * `index.m3u8` is an EVENT playlist that lists only complete segments and gains `#EXT-X-ENDLIST`
 * when the rendition is complete; the preview publisher copies segments to storage and writes its
 * own playlists naming only the segments already stored; at the end the finished set is sealed
 * as VOD.
 */

/**
 * The first `count` segments of `source` as an EVENT playlist (same init segment, durations and
 * URIs, in order). ENDLIST only when `source` is complete and all of its segments are included.
 * Segments are not all the same length (the first is shorter), and a growing playlist must not
 * change its EXT-X-TARGETDURATION, so `minTargetDurationSec` (the plan's segment length) sets it
 * from the first version on, when only the short first segment is listed.
 */
export function previewMediaPlaylist(source: HlsMediaPlaylist, count: number, minTargetDurationSec = 0): string {
  const included = source.segments.slice(0, Math.max(0, Math.min(count, source.segments.length)));
  const longest = Math.max(0, ...included.map((segment) => segment.durationSec));
  const target = Math.max(source.targetDurationSec ?? 0, Math.ceil(longest), Math.ceil(minTargetDurationSec - 1e-9), 1);
  const lines = [
    '#EXTM3U',
    `#EXT-X-VERSION:${source.version ?? 7}`,
    `#EXT-X-TARGETDURATION:${target}`,
    `#EXT-X-MEDIA-SEQUENCE:${source.mediaSequence}`,
    '#EXT-X-PLAYLIST-TYPE:EVENT',
  ];
  if (source.independentSegments) lines.push('#EXT-X-INDEPENDENT-SEGMENTS');
  if (source.initUri !== undefined) lines.push(`#EXT-X-MAP:URI="${source.initUri}"`);
  for (const segment of included) lines.push(`#EXTINF:${segment.durationSec.toFixed(6)},${segment.title}`, segment.uri);
  if (source.endList && included.length === source.segments.length) lines.push('#EXT-X-ENDLIST');
  return `${lines.join('\n')}\n`;
}

/**
 * A finished EVENT playlist restated as VOD: the set will never change, so players need not reload
 * it and caches may keep it. Refuses a playlist without ENDLIST (its rendition is not complete).
 */
export function sealEventPlaylist(text: string): string {
  const playlist = parseMediaPlaylist(text);
  if (!playlist.endList) throw new PlaylistParseError('the playlist has no #EXT-X-ENDLIST: its rendition is not complete');
  if (playlist.playlistType === 'VOD') return text;
  if (playlist.playlistType === undefined) {
    return text.replace(/^#EXT-X-MEDIA-SEQUENCE:.*$/m, (line) => `${line}\n#EXT-X-PLAYLIST-TYPE:VOD`);
  }
  return text.replace(/^#EXT-X-PLAYLIST-TYPE:.*$/m, '#EXT-X-PLAYLIST-TYPE:VOD');
}

/** Every rendition playlist of a finished encode in `outputDir` sealed as VOD (atomically, one by one). */
export async function sealRenditionPlaylists(plan: TranscodePlan, outputDir: string): Promise<void> {
  const dir = requireAbsolutePath(outputDir, 'outputDir');
  for (const name of renditionNames(plan)) {
    const path = join(dir, name, plan.hls.mediaPlaylistName);
    const text = await readFile(path, 'utf8');
    const sealed = sealEventPlaylist(text);
    if (sealed === text) continue;
    const temporary = join(dir, name, `.${plan.hls.mediaPlaylistName}.tmp`);
    await writeFile(temporary, sealed, 'utf8');
    await rename(temporary, path);
  }
}

/** Video rungs (largest first), then audio renditions: every folder of a set. */
export function renditionNames(plan: TranscodePlan): string[] {
  return [...plan.rungs.map((rung) => rung.name), ...plan.audio.map((rendition) => rendition.name)];
}

/**
 * The RFC 6381 codec of an fMP4 init segment's H.264 track (`avc1.PPCCLL` from its avcC box), as
 * ffmpeg names it in its master playlist; null when it has none. Needed before ffmpeg's own master
 * exists, and when segments come from elsewhere.
 */
export function avcCodecOfInit(bytes: Uint8Array): string | null {
  const tag = [0x61, 0x76, 0x63, 0x43]; // "avcC"
  for (let i = 4; i + 8 <= bytes.length; i++) {
    if (bytes[i] !== tag[0] || bytes[i + 1] !== tag[1] || bytes[i + 2] !== tag[2] || bytes[i + 3] !== tag[3]) continue;
    // The box: size(4) "avcC" configurationVersion(1)=1 AVCProfileIndication profile_compatibility AVCLevelIndication.
    if (bytes[i + 4] !== 1) continue;
    const hex = (value: number) => value.toString(16).padStart(2, '0');
    return `avc1.${hex(bytes[i + 5]!)}${hex(bytes[i + 6]!)}${hex(bytes[i + 7]!)}`;
  }
  return null;
}
