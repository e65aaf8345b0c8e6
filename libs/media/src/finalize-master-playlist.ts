import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { requireAbsolutePath } from './encoder-arguments.js';
import type { TranscodePlan } from './ladder.js';
import {
  averageSegmentBitrate,
  buildMasterPlaylist,
  peakSegmentBitrate,
  type RenditionBitrate,
  type SegmentSize,
} from './master-playlist-builder.js';
import { parseMasterPlaylist, parseMediaPlaylist } from './master-playlist.js';

export interface FinalizedMasterPlaylist {
  path: string;
  text: string;
  bitrates: Record<string, RenditionBitrate>;
}

/**
 * Replaces ffmpeg 5.1's master.m3u8 (no FRAME-RATE, no audio-only variant, bandwidth guessed
 * from caps) with ours: CODECS taken from ffmpeg's file, BANDWIDTH measured from the segments on disk.
 */
export async function finalizeMasterPlaylist(plan: TranscodePlan, outputDir: string): Promise<FinalizedMasterPlaylist> {
  const dir = requireAbsolutePath(outputDir, 'outputDir');
  const masterPath = join(dir, plan.hls.masterPlaylistName);
  const ffmpegMaster = parseMasterPlaylist(await readFile(masterPath, 'utf8'));

  const videoCodecsByRung: Record<string, string> = {};
  for (const variant of ffmpegMaster.variants) {
    const rungName = variant.uri.split('/')[0] ?? '';
    const videoCodec = variant.codecs.find((c) => c.startsWith('avc1.'));
    if (videoCodec) videoCodecsByRung[rungName] = videoCodec;
  }

  const bitrates: Record<string, RenditionBitrate> = {};
  const names = [...plan.rungs.map((r) => r.name), ...plan.audio.map((r) => r.name)];
  for (const name of names) {
    bitrates[name] = await measureRendition(join(dir, name, plan.hls.mediaPlaylistName), plan.hls.segmentSec);
  }

  const text = buildMasterPlaylist(plan, { videoCodecsByRung, bitrates });
  const temporary = join(dirname(masterPath), `.${plan.hls.masterPlaylistName}.tmp`);
  await writeFile(temporary, text, 'utf8');
  // Rename is atomic, so a player never fetches a half-written master.
  await rename(temporary, masterPath);
  return { path: masterPath, text, bitrates };
}

async function measureRendition(playlistPath: string, fallbackTargetSec: number): Promise<RenditionBitrate> {
  const playlist = parseMediaPlaylist(await readFile(playlistPath, 'utf8'));
  const sizes: SegmentSize[] = [];
  for (const segment of playlist.segments) {
    const { size } = await stat(join(dirname(playlistPath), segment.uri));
    sizes.push({ durationSec: segment.durationSec, sizeBytes: size });
  }
  const target = playlist.targetDurationSec ?? fallbackTargetSec;
  return { peak: peakSegmentBitrate(sizes, target), average: averageSegmentBitrate(sizes) };
}
