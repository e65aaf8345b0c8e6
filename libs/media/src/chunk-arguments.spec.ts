import { describe, expect, it } from '@jest/globals';
import { CHUNK_OVERLAP_SEC, buildChunkAudioArguments, buildChunkVideoArguments } from './chunk-arguments.js';
import { buildHlsArguments } from './hls-arguments.js';
import { ladderFor } from './ladder.js';
import { valuesAfter, videoProbe } from './probe-fixtures.js';

const plan = ladderFor(videoProbe(1920, 1080));
const target = { input: '/work/in.mp4', outputDir: '/work/chunks/00001' };

describe('chunk ffmpeg arguments', () => {
  it('seeks the input to the chunk, shifts output timestamps back and keeps absolute fragment times', () => {
    const args = buildChunkVideoArguments(plan, { index: 1, startSec: 18.018018, durationSec: 20.02002 }, target);
    const input = args.indexOf('-i');
    expect(args.indexOf('-ss')).toBeLessThan(input);
    expect(args.indexOf('-t')).toBeLessThan(input);
    expect(valuesAfter(args, '-ss')).toEqual(['18.018018']);
    // A little past the span, so its last frames are encoded as in one process; the extra segment is left out when joining.
    expect(valuesAfter(args, '-t')).toEqual([String(20.02002 + CHUNK_OVERLAP_SEC)]);
    expect(valuesAfter(args, '-output_ts_offset')).toEqual(['18.018018']);
    expect(valuesAfter(args, '-hls_segment_options')).toEqual(['movflags=+frag_discont']);
    expect(valuesAfter(args, '-hls_playlist_type')).toEqual(['event']);
    // It starts on a segment boundary: keyframes every segment from its own frame 0, no forced one.
    expect(args.some((a) => a.startsWith('-force_key_frames'))).toBe(false);
    expect(valuesAfter(args, '-g:v:0')).toEqual(valuesAfter(buildHlsArguments(plan, target), '-g:v:0'));
    expect(valuesAfter(args, '-hls_time')).toEqual(valuesAfter(buildHlsArguments(plan, target), '-hls_time'));
    expect(args.at(-1)).toBe('/work/chunks/00001/%v/index.m3u8');
    // Audio stays out of video chunks.
    expect(args.some((a) => a.startsWith('-c:a'))).toBe(false);
  });

  it('encodes the first chunk exactly like the ladder apart from the range and the playlist type', () => {
    const args = buildChunkVideoArguments(plan, { index: 0, startSec: 0, durationSec: 300 }, target);
    expect(args).not.toContain('-ss');
    expect(args).not.toContain('-output_ts_offset');
    expect(args).not.toContain('-hls_segment_options');
    const ladder = buildHlsArguments(plan, { input: target.input, outputDir: target.outputDir });
    for (const flag of [
      '-filter_complex',
      '-g:v:0',
      '-force_key_frames:v:0',
      '-force_key_frames:v:4',
      '-crf:v:4',
      '-maxrate:v:0',
      '-sc_threshold:v:2',
      '-hls_time',
      '-hls_fmp4_init_filename',
    ]) {
      expect(valuesAfter(args, flag)).toEqual(valuesAfter(ladder, flag));
    }
  });

  it('limits threads only when asked', () => {
    const args = buildChunkVideoArguments(plan, { index: 2, startSec: 38, durationSec: null }, { ...target, threads: 1 });
    expect(args).not.toContain('-t');
    expect(valuesAfter(args, '-threads')).toEqual(['1', '1']);
    expect(valuesAfter(args, '-filter_complex_threads')).toEqual(['1']);
    expect(() => buildChunkVideoArguments(plan, { index: 0, startSec: 0, durationSec: 1 }, { ...target, threads: 0 })).toThrow(/threads/);
  });

  it('encodes all audio renditions of the whole file in one pass', () => {
    const args = buildChunkAudioArguments(plan, target);
    expect(args).not.toContain('-ss');
    expect(valuesAfter(args, '-map')).toEqual(['0:1', '0:1']);
    expect(valuesAfter(args, '-var_stream_map')).toEqual(['a:0,name:audio a:1,name:audio_low']);
    // Shifted like the single-process ladder, whose 30 fps rungs start two frames before zero.
    expect(valuesAfter(args, '-output_ts_offset')).toEqual(['0.066667']);
    expect(() => buildChunkAudioArguments(ladderFor(videoProbe(640, 360, 30, false)), target)).toThrow(/no audio/);
  });
});
