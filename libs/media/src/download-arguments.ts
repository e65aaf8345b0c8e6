import { join } from 'node:path';
import { FFMPEG_GLOBAL_ARGUMENTS, STRIP_METADATA_ARGUMENTS, requireAbsolutePath } from './encoder-arguments.js';
import { OWN_HLS_FORMAT_WHITELIST } from './input-formats.js';
import type { TranscodePlan } from './ladder.js';

/**
 * Offline file for students: the ≤ 720p rung and the 128k audio remuxed (`-c copy`) from the HLS
 * output into a faststart MP4 (M4A for audio-only). Run it after buildHlsArguments succeeded.
 * Remuxing the finished rung keeps decode-once and also encode-once; a second output in the ladder process would encode 720p twice.
 */
export function buildDownloadArguments(plan: TranscodePlan, target: { outputDir: string }): string[] {
  const outputDir = requireAbsolutePath(target.outputDir, 'outputDir');
  const playlist = (name: string) => join(outputDir, name, plan.hls.mediaPlaylistName);
  const args: string[] = [...FFMPEG_GLOBAL_ARGUMENTS];

  if (plan.kind === 'video') {
    args.push(...ownHlsInput(playlist(plan.download.rungName)));
    const hasAudio = plan.audio.some((r) => r.name === 'audio');
    if (hasAudio) args.push(...ownHlsInput(playlist('audio')));
    args.push('-map', '0:v:0');
    if (hasAudio) args.push('-map', '1:a:0');
  } else {
    args.push(...ownHlsInput(playlist(plan.download.renditionName)), '-map', '0:a:0');
  }

  args.push(
    '-c',
    'copy',
    ...STRIP_METADATA_ARGUMENTS,
    // moov before mdat: the file starts playing before it has fully downloaded.
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    join(outputDir, plan.download.fileName),
  );
  return args;
}

function ownHlsInput(playlistPath: string): string[] {
  return ['-protocol_whitelist', 'file', '-format_whitelist', OWN_HLS_FORMAT_WHITELIST, '-f', 'hls', '-i', playlistPath];
}
