import { join } from 'node:path';
import type { ChunkSpan } from './chunk-boundaries.js';
import {
  FFMPEG_GLOBAL_ARGUMENTS,
  STRIP_METADATA_ARGUMENTS,
  audioEncoderArguments,
  hlsMuxerArguments,
  requireAbsolutePath,
  videoEncoderArguments,
} from './encoder-arguments.js';
import { ladderFilterGraph } from './hls-arguments.js';
import type { HlsSettings, TranscodePlan } from './ladder.js';
import { uploadInputArguments } from './input-formats.js';

export interface ChunkTarget {
  /** Absolute path of the upload. */
  input: string;
  /** Absolute directory of this chunk: one sub-directory per rendition, as the ladder writes them. */
  outputDir: string;
  /**
   * Limits every encoder and filter graph to this many threads (the benchmark's one-core workers);
   * unset, ffmpeg picks as for the single-process ladder.
   */
  threads?: number;
}

const PROGRESS_ARGUMENTS = ['-progress', 'pipe:1'] as const;
const MUXING_QUEUE_ARGUMENTS = ['-max_muxing_queue_size', '4096'] as const;

/**
 * How far a chunk that is not the last encodes past its span. x264 decides frame types, VBV and
 * mb-tree over a look-ahead (10 frames at preset veryfast): cut exactly at the span's end, a chunk's
 * last frames would see the end of the stream where the single-process encode sees the next frames,
 * and come out slightly different. The overlap becomes one short extra segment, starting on the
 * keyframe at the span's end, that joinChunkPlaylists leaves out. Under one segment long.
 */
export const CHUNK_OVERLAP_SEC = 0.5;

/** The ffmpeg master playlist a video chunk writes; its CODECS per rung feed finalizeMasterPlaylist. */
export const CHUNK_MASTER_PLAYLIST_NAME = 'master.m3u8';

/**
 * One ffmpeg that encodes the chunk's time range of the source into every video rung, with exactly
 * the ladder's filters, encoder and muxer settings. Input seeking with re-encoding is frame exact
 * (ffmpeg decodes from the keyframe before and drops frames before `startSec`), and a chunk that
 * does not start at zero:
 * - shifts its output timestamps back to source time (`-output_ts_offset`), and
 * - writes each fragment's decode time from those timestamps (`movflags=+frag_discont`) instead of
 *   restarting at zero and hiding the offset in the init segment's edit list,
 * so its segments continue the previous chunk's timeline and play after chunk 0's init segment.
 * The playlist is an EVENT playlist, rewritten after every finished segment.
 */
export function buildChunkVideoArguments(plan: TranscodePlan, chunk: ChunkSpan, target: ChunkTarget): string[] {
  if (plan.kind !== 'video') throw new Error('only a video plan is encoded in chunks');
  const input = requireAbsolutePath(target.input, 'input');
  const outputDir = requireAbsolutePath(target.outputDir, 'outputDir');
  const range: string[] = [];
  if (chunk.startSec > 0) range.push('-ss', seconds(chunk.startSec));
  if (chunk.durationSec !== null) range.push('-t', seconds(chunk.durationSec + CHUNK_OVERLAP_SEC));
  const args: string[] = [
    ...FFMPEG_GLOBAL_ARGUMENTS,
    ...PROGRESS_ARGUMENTS,
    ...threadArguments(target.threads, 'filter'),
    ...range,
    ...uploadInputArguments(plan.source.demuxer, input),
  ];
  args.push('-filter_complex', ladderFilterGraph(plan));
  plan.rungs.forEach((rung, i) => {
    args.push('-map', `[v${i}]`, ...videoEncoderArguments(plan.encoder, plan.hls, rung, i, { continuation: chunk.startSec > 0 }));
  });
  args.push(...threadArguments(target.threads, 'encoder'));
  if (chunk.startSec > 0) args.push('-output_ts_offset', seconds(chunk.startSec));
  args.push(
    ...STRIP_METADATA_ARGUMENTS,
    ...MUXING_QUEUE_ARGUMENTS,
    ...eventMuxerArguments(plan.hls),
    ...(chunk.startSec > 0 ? ['-hls_segment_options', 'movflags=+frag_discont'] : []),
    '-master_pl_name',
    CHUNK_MASTER_PLAYLIST_NAME,
    '-var_stream_map',
    plan.rungs.map((rung, i) => `v:${i},name:${rung.name}`).join(' '),
    '-hls_segment_filename',
    join(outputDir, '%v', plan.hls.segmentPattern),
    join(outputDir, '%v', plan.hls.mediaPlaylistName),
  );
  return args;
}

/**
 * One ffmpeg that encodes every audio rendition of the whole source in one pass. Audio is never cut
 * into chunks: each AAC encode starts with priming samples, so joined chunks would drift or click at
 * every join, and audio costs a small fraction of the video encode anyway. Its segments are the
 * single-process ladder's byte for byte; its timestamps are shifted as that ladder shifts them.
 */
export function buildChunkAudioArguments(plan: TranscodePlan, target: ChunkTarget): string[] {
  const input = requireAbsolutePath(target.input, 'input');
  const outputDir = requireAbsolutePath(target.outputDir, 'outputDir');
  const audioIndex = plan.source.audioStreamIndex;
  if (audioIndex === undefined || plan.audio.length === 0) throw new Error('the plan has no audio to encode');
  const args: string[] = [
    ...FFMPEG_GLOBAL_ARGUMENTS,
    ...PROGRESS_ARGUMENTS,
    ...threadArguments(target.threads, 'filter'),
    ...uploadInputArguments(plan.source.demuxer, input),
  ];
  plan.audio.forEach((rendition, i) => {
    args.push('-map', `0:${audioIndex}`, ...audioEncoderArguments(plan.encoder, rendition, i));
  });
  const delay = videoDecodeDelaySec(plan);
  if (delay > 0) args.push('-output_ts_offset', seconds(delay));
  args.push(
    ...STRIP_METADATA_ARGUMENTS,
    ...MUXING_QUEUE_ARGUMENTS,
    ...eventMuxerArguments(plan.hls),
    '-var_stream_map',
    plan.audio.map((rendition, i) => `a:${i},name:${rendition.name}`).join(' '),
    '-hls_segment_filename',
    join(outputDir, '%v', plan.hls.segmentPattern),
    join(outputDir, '%v', plan.hls.mediaPlaylistName),
  );
  return args;
}

/** Frames x264 delays decoding behind presentation with our preset's B-frame pyramid (veryfast: 3 B-frames, pyramid). */
export const X264_B_PYRAMID_DELAY_FRAMES = 2;

/**
 * How far ffmpeg shifts every stream of the single-process ladder so no timestamp is negative: the
 * earliest decode time is the lowest-rate rung's first frame, that many frames before zero. The
 * audio-only pass shifts its output by the same amount, so its init segment's edit list, and so
 * A/V sync in players that honour edit lists, is the one the single-process ladder writes.
 */
export function videoDecodeDelaySec(plan: TranscodePlan): number {
  if (plan.kind !== 'video' || plan.rungs.length === 0) return 0;
  return Math.max(...plan.rungs.map((rung) => X264_B_PYRAMID_DELAY_FRAMES / rung.fps));
}

/** The ladder's muxer options with an EVENT playlist, so finished segments can be read while it runs. */
function eventMuxerArguments(hls: HlsSettings): string[] {
  const args = hlsMuxerArguments(hls);
  const at = args.indexOf('-hls_playlist_type');
  if (at === -1) return [...args, '-hls_playlist_type', 'event'];
  return [...args.slice(0, at + 1), 'event', ...args.slice(at + 2)];
}

function threadArguments(threads: number | undefined, where: 'filter' | 'encoder'): string[] {
  if (threads === undefined) return [];
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a positive whole number, got ${threads}`);
  return where === 'filter'
    ? // Global filter threads, and the decoder's (an input option: it precedes -i).
      ['-filter_complex_threads', String(threads), '-filter_threads', String(threads), '-threads', String(threads)]
    : ['-threads', String(threads)];
}

/** Seconds with microsecond precision and no exponent: `20`, `4.004004`. */
function seconds(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}
