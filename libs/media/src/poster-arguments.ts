import { join } from 'node:path';
import { FFMPEG_GLOBAL_ARGUMENTS, requireAbsolutePath } from './encoder-arguments.js';
import { uploadInputArguments } from './input-formats.js';
import type { TranscodePlan, VideoTranscodePlan } from './ladder.js';

const WAVEFORM_COLOUR = '0x2f6fb3';
// showwavespic keeps every decoded sample in memory, so an 8 h lecture would need gigabytes; the opening minutes make a fine picture.
const WAVEFORM_MAX_INPUT_SEC = 300;
// How many frames the `thumbnail` filter compares to skip black or blurred frames; each is held in memory.
const POSTER_CANDIDATE_FRAMES = 30;

/**
 * Poster image: for video, the most representative of ~30 frames from `plan.poster.atSec` (fast
 * input seek, so only a second of decoding); for audio-only, a waveform picture.
 */
export function buildPosterArguments(plan: TranscodePlan, target: { input: string; outputDir: string }): string[] {
  const input = requireAbsolutePath(target.input, 'input');
  const output = join(requireAbsolutePath(target.outputDir, 'outputDir'), plan.poster.fileName);

  if (plan.kind === 'video') {
    const { atSec, width, height } = plan.poster;
    return [
      ...FFMPEG_GLOBAL_ARGUMENTS,
      '-ss',
      String(atSec),
      ...uploadInputArguments(plan.source.demuxer, input),
      '-map',
      `0:${plan.source.videoStreamIndex ?? 0}`,
      '-vf',
      `thumbnail=${POSTER_CANDIDATE_FRAMES},scale=${width}:${height},setsar=1`,
      '-frames:v',
      '1',
      '-q:v',
      '3',
      '-map_metadata',
      '-1',
      '-update',
      '1',
      '-f',
      'image2',
      output,
    ];
  }

  const { width, height } = plan.poster;
  return [
    ...FFMPEG_GLOBAL_ARGUMENTS,
    '-t',
    String(WAVEFORM_MAX_INPUT_SEC),
    ...uploadInputArguments(plan.source.demuxer, input),
    '-filter_complex',
    `[0:${plan.source.audioStreamIndex ?? 0}]aformat=channel_layouts=mono,showwavespic=s=${width}x${height}:colors=${WAVEFORM_COLOUR}[poster]`,
    '-map',
    '[poster]',
    '-frames:v',
    '1',
    '-q:v',
    '3',
    '-update',
    '1',
    '-f',
    'image2',
    output,
  ];
}

/**
 * Scrub-bar thumbnails every `plan.thumbnails.intervalSec`, read from the finished download MP4:
 * its keyframes are exactly 2 s apart, so `-skip_frame nokey` decodes only keyframes and stays cheap.
 * Create `<outputDir>/thumbs` first; the image2 muxer does not create directories.
 */
export function buildThumbnailArguments(plan: VideoTranscodePlan, target: { outputDir: string }): string[] {
  const outputDir = requireAbsolutePath(target.outputDir, 'outputDir');
  const { intervalSec, width, height, directory, pattern } = plan.thumbnails;
  return [
    ...FFMPEG_GLOBAL_ARGUMENTS,
    '-skip_frame',
    'nokey',
    ...uploadInputArguments('mov', join(outputDir, plan.download.fileName)),
    '-map',
    '0:v:0',
    '-vf',
    `select='isnan(prev_selected_t)+gte(t-prev_selected_t,${intervalSec})',scale=${width}:${height},setsar=1`,
    '-fps_mode',
    'vfr',
    '-q:v',
    '5',
    '-f',
    'image2',
    join(outputDir, directory, pattern),
  ];
}
