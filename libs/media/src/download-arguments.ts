import { join } from 'node:path';
import { FFMPEG_GLOBAL_ARGUMENTS, STRIP_METADATA_ARGUMENTS, requireAbsolutePath } from './encoder-arguments.js';
import { OWN_HLS_FORMAT_WHITELIST } from './input-formats.js';
import type { DownloadFilePlan, TranscodePlan } from './ladder.js';

/**
 * Every offline file of `plan.downloads` in one ffmpeg run: each HLS rendition a file needs is read
 * once, and each output remuxes (`-c copy`) its video rung and the 128k audio into a faststart MP4
 * (M4A for sound only). Run it after buildHlsArguments succeeded. Remuxing finished renditions keeps
 * encode-once: no download costs a second encode of any rung.
 */
export function buildDownloadArguments(plan: TranscodePlan, target: { outputDir: string }): string[] {
  return downloadArguments(plan, plan.downloads, target);
}

/** One offline file in its own ffmpeg run: the same remux as buildDownloadArguments, for one entry of `plan.downloads`. */
export function buildDownloadFileArguments(plan: TranscodePlan, file: DownloadFilePlan, target: { outputDir: string }): string[] {
  return downloadArguments(plan, [file], target);
}

function downloadArguments(plan: TranscodePlan, files: readonly DownloadFilePlan[], target: { outputDir: string }): string[] {
  const outputDir = requireAbsolutePath(target.outputDir, 'outputDir');
  if (files.length === 0) throw new Error('no download files to write');
  const hasAudio = plan.audio.some((r) => r.name === 'audio');
  const inputs: string[] = [];
  const inputOf = (rendition: string) => {
    if (!inputs.includes(rendition)) inputs.push(rendition);
    return inputs.indexOf(rendition);
  };
  const outputs = files.map((file) => {
    const maps =
      file.kind === 'video'
        ? [`${inputOf(file.rungName)}:v:0`, ...(hasAudio ? [`${inputOf('audio')}:a:0`] : [])]
        : [`${inputOf(file.renditionName)}:a:0`];
    return [
      ...maps.flatMap((map) => ['-map', map]),
      '-c',
      'copy',
      ...STRIP_METADATA_ARGUMENTS,
      // moov before mdat: the file starts playing before it has fully downloaded.
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
      join(outputDir, file.fileName),
    ];
  });
  return [
    ...FFMPEG_GLOBAL_ARGUMENTS,
    // A long lecture's remux takes a while too: report it like the encode.
    '-progress',
    'pipe:1',
    ...inputs.flatMap((name) => ownHlsInput(join(outputDir, name, plan.hls.mediaPlaylistName))),
    ...outputs.flat(),
  ];
}

function ownHlsInput(playlistPath: string): string[] {
  return ['-protocol_whitelist', 'file', '-format_whitelist', OWN_HLS_FORMAT_WHITELIST, '-f', 'hls', '-i', playlistPath];
}
