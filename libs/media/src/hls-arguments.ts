import { join } from 'node:path';
import {
  FFMPEG_GLOBAL_ARGUMENTS,
  STRIP_METADATA_ARGUMENTS,
  audioEncoderArguments,
  hlsMuxerArguments,
  requireAbsolutePath,
  rungFilterChain,
  videoEncoderArguments,
} from './encoder-arguments.js';
import { uploadInputArguments } from './input-formats.js';
import type { AudioRendition, TranscodePlan, VideoRung } from './ladder.js';

export interface HlsTarget {
  /** Absolute path of the upload. */
  input: string;
  /** Absolute directory that receives master.m3u8 and one sub-directory per rendition (ffmpeg creates those). */
  outputDir: string;
}

// Reports on stdout as key=value blocks; parse with parseProgressBlocks.
const PROGRESS_ARGUMENTS = ['-progress', 'pipe:1'] as const;
// Filter outputs and audio reach the muxer at different paces; the 5.1 default of 128 queued packets can abort long jobs.
const MUXING_QUEUE_ARGUMENTS = ['-max_muxing_queue_size', '4096'] as const;

/**
 * One ffmpeg that decodes the upload once and encodes every rung and audio rendition into fMP4
 * HLS. ffmpeg 5.1 writes its own master.m3u8 without FRAME-RATE and without the audio-only
 * variant; run finalizeMasterPlaylist afterwards to replace it.
 */
export function buildHlsArguments(plan: TranscodePlan, target: HlsTarget): string[] {
  const input = requireAbsolutePath(target.input, 'input');
  const outputDir = requireAbsolutePath(target.outputDir, 'outputDir');
  const args: string[] = [...FFMPEG_GLOBAL_ARGUMENTS, ...PROGRESS_ARGUMENTS, ...uploadInputArguments(plan.source.demuxer, input)];

  if (plan.kind === 'video') {
    args.push('-filter_complex', ladderFilterGraph(plan));
    plan.rungs.forEach((rung, i) => {
      args.push('-map', `[v${i}]`, ...videoEncoderArguments(plan.encoder, plan.hls, rung, i));
    });
  }
  plan.audio.forEach((rendition, i) => {
    args.push('-map', `0:${audioStreamIndexOf(plan)}`, ...audioEncoderArguments(plan.encoder, rendition, i));
  });

  args.push(
    ...STRIP_METADATA_ARGUMENTS,
    ...MUXING_QUEUE_ARGUMENTS,
    ...hlsMuxerArguments(plan.hls),
    '-master_pl_name',
    plan.hls.masterPlaylistName,
    '-var_stream_map',
    varStreamMap(plan),
    '-hls_segment_filename',
    join(outputDir, '%v', plan.hls.segmentPattern),
    join(outputDir, '%v', plan.hls.mediaPlaylistName),
  );
  return args;
}

/** `[0:0]split=3[s0][s1][s2];[s0]fps=30,scale=1280:720,…[v0];…` */
export function ladderFilterGraph(plan: TranscodePlan): string {
  if (plan.kind !== 'video') throw new Error('an audio-only plan has no video filter graph');
  const branches = plan.rungs.map((_, i) => `[s${i}]`).join('');
  const chains = plan.rungs.map((rung, i) => `[s${i}]${rungFilterChain(rung, plan.encoder)}[v${i}]`);
  return [`[0:${plan.source.videoStreamIndex ?? 0}]split=${plan.rungs.length}${branches}`, ...chains].join(';');
}

/**
 * `v:0,agroup:aud,name:720p … a:0,agroup:aud,name:audio a:1,name:audio_low`. No `default:` key on
 * purpose: with one, ffmpeg 5.1 silently drops audio-only variants from its master playlist.
 */
export function varStreamMap(plan: TranscodePlan): string {
  const group = plan.audioGroupId;
  const video = plan.rungs.map((rung, i) => `v:${i}${group ? `,agroup:${group}` : ''},name:${rung.name}`);
  const audio = plan.audio.map((rendition, i) =>
    rendition.role === 'group' && group ? `a:${i},agroup:${group},name:${rendition.name}` : `a:${i},name:${rendition.name}`,
  );
  return [...video, ...audio].join(' ');
}

/**
 * One ffmpeg per rendition with exactly the ladder's encoder, filter and muxer settings, writing
 * the same directory layout; only for benchmarking against the decode-once command.
 */
export function buildBaselinePerRungArguments(plan: TranscodePlan, rendition: VideoRung | AudioRendition, target: HlsTarget): string[] {
  const input = requireAbsolutePath(target.input, 'input');
  const outputDir = requireAbsolutePath(target.outputDir, 'outputDir');
  const args: string[] = [...FFMPEG_GLOBAL_ARGUMENTS, ...PROGRESS_ARGUMENTS, ...uploadInputArguments(plan.source.demuxer, input)];
  let streamMap: string;
  if (isVideoRung(rendition)) {
    if (plan.kind !== 'video') throw new Error('an audio-only plan has no video rungs');
    const chain = rungFilterChain(rendition, plan.encoder);
    args.push('-filter_complex', `[0:${plan.source.videoStreamIndex ?? 0}]${chain}[v0]`);
    args.push('-map', '[v0]', ...videoEncoderArguments(plan.encoder, plan.hls, rendition, 0));
    streamMap = `v:0,name:${rendition.name}`;
  } else {
    args.push('-map', `0:${audioStreamIndexOf(plan)}`, ...audioEncoderArguments(plan.encoder, rendition, 0));
    streamMap = `a:0,name:${rendition.name}`;
  }
  args.push(
    ...STRIP_METADATA_ARGUMENTS,
    ...MUXING_QUEUE_ARGUMENTS,
    ...hlsMuxerArguments(plan.hls),
    '-var_stream_map',
    streamMap,
    '-hls_segment_filename',
    join(outputDir, '%v', plan.hls.segmentPattern),
    join(outputDir, '%v', plan.hls.mediaPlaylistName),
  );
  return args;
}

function isVideoRung(rendition: VideoRung | AudioRendition): rendition is VideoRung {
  return 'width' in rendition;
}

function audioStreamIndexOf(plan: TranscodePlan): number {
  const index = plan.source.audioStreamIndex;
  if (index === undefined) throw new Error('plan has audio renditions but no source audio stream');
  return index;
}
