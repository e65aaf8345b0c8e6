import { describe, expect, it } from '@jest/globals';
import { buildDownloadArguments } from './download-arguments.js';
import { buildBaselinePerRungArguments, buildHlsArguments, ladderFilterGraph, varStreamMap } from './hls-arguments.js';
import { INPUT_FORMAT_WHITELIST } from './input-formats.js';
import { ladderFor, type TranscodePlan, type VideoTranscodePlan } from './ladder.js';
import type { MediaProbe } from './media-probe.js';
import { audioOnlyProbe, valuesAfter, videoProbe } from './probe-fixtures.js';
import { buildPosterArguments, buildThumbnailArguments } from './poster-arguments.js';

const target = { input: '/uploads/abc/source.mp4', outputDir: '/media/abc' };

function valueAfter(args: readonly string[], flag: string): string | undefined {
  return valuesAfter(args, flag)[0];
}

function videoPlan(p: MediaProbe): VideoTranscodePlan {
  const plan = ladderFor(p);
  if (plan.kind !== 'video') throw new Error('expected video');
  return plan;
}

describe('buildHlsArguments: 1280x720 30 fps with stereo audio', () => {
  const plan = ladderFor(videoProbe(1280, 720));
  const args = buildHlsArguments(plan, target);

  it('starts with the hardened global and input options, whitelists before -i', () => {
    expect(args.slice(0, 7)).toEqual(['-nostdin', '-hide_banner', '-nostats', '-loglevel', 'warning', '-progress', 'pipe:1']);
    const inputAt = args.indexOf('-i');
    expect(args.slice(inputAt - 6, inputAt + 2)).toEqual([
      '-protocol_whitelist',
      'file',
      '-format_whitelist',
      INPUT_FORMAT_WHITELIST,
      '-f',
      'mov',
      '-i',
      '/uploads/abc/source.mp4',
    ]);
    expect(args.filter((a) => a === '-i')).toHaveLength(1);
  });

  it('decodes once and splits into one scaled chain per rung', () => {
    expect(valueAfter(args, '-filter_complex')).toBe(
      '[0:0]split=4[s0][s1][s2][s3];' +
        '[s0]fps=30,scale=1280:720,setsar=1,format=yuv420p[v0];' +
        '[s1]fps=30,scale=854:480,setsar=1,format=yuv420p[v1];' +
        '[s2]fps=30,scale=640:360,setsar=1,format=yuv420p[v2];' +
        '[s3]fps=30,scale=426:240,setsar=1,format=yuv420p[v3]',
    );
    expect(valuesAfter(args, '-map')).toEqual(['[v0]', '[v1]', '[v2]', '[v3]', '0:1', '0:1']);
  });

  it('encodes every rung with libx264 veryfast CRF 23, capped, with keyframes only on segment starts (0 s, 2 s, then every 4 s)', () => {
    expect(valuesAfter(args, '-c:v:0')).toEqual(['libx264']);
    expect(valueAfter(args, '-preset:v:2')).toBe('veryfast');
    expect(valueAfter(args, '-crf:v:3')).toBe('23');
    expect(valueAfter(args, '-profile:v:1')).toBe('high');
    expect(['-maxrate:v:0', '-maxrate:v:1', '-maxrate:v:2', '-maxrate:v:3'].map((f) => valueAfter(args, f))).toEqual([
      '2765k',
      '1230k',
      '691k',
      '307k',
    ]);
    expect(valueAfter(args, '-bufsize:v:0')).toBe('5530k');
    expect(valueAfter(args, '-g:v:0')).toBe('120');
    expect(valueAfter(args, '-keyint_min:v:0')).toBe('120');
    expect(valueAfter(args, '-sc_threshold:v:3')).toBe('0');
    // The keyframe that ends the 2 s first segment; x264 counts its 4 s from there.
    expect(['-force_key_frames:v:0', '-force_key_frames:v:3'].map((f) => valueAfter(args, f))).toEqual(['expr:eq(n,60)', 'expr:eq(n,60)']);
  });

  it('encodes the audio twice: 128k stereo for the group and 64k mono for the audio-only variant', () => {
    expect([valueAfter(args, '-c:a:0'), valueAfter(args, '-b:a:0'), valueAfter(args, '-ac:a:0')]).toEqual(['aac', '128k', '2']);
    expect([valueAfter(args, '-c:a:1'), valueAfter(args, '-b:a:1'), valueAfter(args, '-ac:a:1')]).toEqual(['aac', '64k', '1']);
    expect(valueAfter(args, '-ar:a:0')).toBe('48000');
  });

  it('muxes fMP4 HLS cut at every keyframe (2 s first segment), a master and per-variant directories', () => {
    expect(valuesAfter(args, '-f')).toEqual(['mov', 'hls']);
    // The first segment's length: video is cut at every keyframe, which fall only on segment starts.
    expect(valueAfter(args, '-hls_time')).toBe('2');
    // ffmpeg 5.1 applies -hls_init_time to every segment of an EVENT playlist.
    expect(args).not.toContain('-hls_init_time');
    expect(valueAfter(args, '-hls_playlist_type')).toBe('event');
    expect(valueAfter(args, '-hls_segment_type')).toBe('fmp4');
    expect(valueAfter(args, '-hls_flags')).toBe('independent_segments');
    expect(valueAfter(args, '-hls_fmp4_init_filename')).toBe('init_%v.mp4');
    expect(valueAfter(args, '-master_pl_name')).toBe('master.m3u8');
    expect(valueAfter(args, '-var_stream_map')).toBe(
      'v:0,agroup:aud,name:720p v:1,agroup:aud,name:480p v:2,agroup:aud,name:360p v:3,agroup:aud,name:240p ' +
        'a:0,agroup:aud,name:audio a:1,name:audio_low',
    );
    expect(valueAfter(args, '-hls_segment_filename')).toBe('/media/abc/%v/seg_%05d.m4s');
    expect(args.at(-1)).toBe('/media/abc/%v/index.m3u8');
  });

  it('strips uploader metadata', () => {
    expect(valueAfter(args, '-map_metadata')).toBe('-1');
    expect(valueAfter(args, '-map_chapters')).toBe('-1');
  });
});

describe('buildHlsArguments: other sources', () => {
  it('1080p60: 60 fps at 720p and up, 30 fps below; the same 2 s first segment and 4 s segments in frames of each', () => {
    const args = buildHlsArguments(ladderFor(videoProbe(1920, 1080, 60)), target);
    expect(valueAfter(args, '-filter_complex')).toContain('[s1]fps=60,scale=1280:720');
    expect(valueAfter(args, '-filter_complex')).toContain('[s2]fps=30,scale=854:480');
    expect(['-g:v:0', '-g:v:1', '-g:v:2'].map((f) => valueAfter(args, f))).toEqual(['240', '240', '120']);
    expect(['-force_key_frames:v:0', '-force_key_frames:v:1', '-force_key_frames:v:2'].map((f) => valueAfter(args, f))).toEqual([
      'expr:eq(n,120)',
      'expr:eq(n,120)',
      'expr:eq(n,60)',
    ]);
  });

  it('silent video: no audio maps, no agroup', () => {
    const args = buildHlsArguments(ladderFor(videoProbe(640, 360, 30, false)), target);
    expect(valuesAfter(args, '-map')).toEqual(['[v0]', '[v1]']);
    expect(args).not.toContain('-c:a:0');
    expect(valueAfter(args, '-var_stream_map')).toBe('v:0,name:360p v:1,name:240p');
  });

  it('audio-only: no filter graph, two audio-only variants', () => {
    const args = buildHlsArguments(ladderFor(audioOnlyProbe), target);
    expect(args).not.toContain('-filter_complex');
    expect(valuesAfter(args, '-f')).toEqual(['mp3', 'hls']);
    expect(valuesAfter(args, '-map')).toEqual(['0:0', '0:0']);
    expect(valueAfter(args, '-var_stream_map')).toBe('a:0,name:audio a:1,name:audio_low');
  });

  it('maps the real video stream index (cover art or data tracks may come first)', () => {
    const p = videoProbe(640, 360);
    p.video = { ...p.video!, streamIndex: 2 };
    p.audio = { ...p.audio!, streamIndex: 3 };
    const args = buildHlsArguments(ladderFor(p), target);
    expect(valueAfter(args, '-filter_complex')).toMatch(/^\[0:2\]split=2/);
    expect(valuesAfter(args, '-map')).toEqual(['[v0]', '[v1]', '0:3', '0:3']);
  });

  it.each<[string, { input: string; outputDir: string }]>([
    ['relative input', { input: 'source.mp4', outputDir: '/media/abc' }],
    ['URL input', { input: 'http://example.invalid/x.mp4', outputDir: '/media/abc' }],
    ['relative output', { input: '/uploads/x.mp4', outputDir: 'media' }],
  ])('refuses a %s', (_name, t) => {
    expect(() => buildHlsArguments(ladderFor(videoProbe(640, 360)), t)).toThrow(/absolute path/);
  });
});

describe('ladderFilterGraph and varStreamMap', () => {
  it('a single-rung ladder still uses split=1 so labels stay uniform', () => {
    expect(ladderFilterGraph(ladderFor(videoProbe(320, 180)))).toBe(
      '[0:0]split=1[s0];[s0]fps=30,scale=320:180,setsar=1,format=yuv420p[v0]',
    );
  });

  it('audio-only plan has no filter graph', () => {
    expect(() => ladderFilterGraph(ladderFor(audioOnlyProbe))).toThrow();
  });

  it('portrait rungs are named by their short side', () => {
    expect(varStreamMap(ladderFor(videoProbe(720, 1280)))).toBe(
      'v:0,agroup:aud,name:720p v:1,agroup:aud,name:480p v:2,agroup:aud,name:360p v:3,agroup:aud,name:240p a:0,agroup:aud,name:audio a:1,name:audio_low',
    );
  });
});

describe('buildBaselinePerRungArguments', () => {
  const plan = ladderFor(videoProbe(1280, 720));

  it('encodes one rung with the same encoder, filter and muxer settings as the ladder', () => {
    const rung = plan.rungs[1]!;
    const baseline = buildBaselinePerRungArguments(plan, rung, target);
    const ladder = buildHlsArguments(plan, target);
    expect(valueAfter(baseline, '-filter_complex')).toBe('[0:0]fps=30,scale=854:480,setsar=1,format=yuv420p[v0]');
    for (const [baselineFlag, ladderFlag] of [
      ['-c:v:0', '-c:v:1'],
      ['-preset:v:0', '-preset:v:1'],
      ['-crf:v:0', '-crf:v:1'],
      ['-maxrate:v:0', '-maxrate:v:1'],
      ['-bufsize:v:0', '-bufsize:v:1'],
      ['-g:v:0', '-g:v:1'],
      ['-force_key_frames:v:0', '-force_key_frames:v:1'],
      ['-sc_threshold:v:0', '-sc_threshold:v:1'],
      ['-hls_time', '-hls_time'],
      ['-hls_segment_type', '-hls_segment_type'],
    ] as const) {
      expect(valueAfter(baseline, baselineFlag)).toBe(valueAfter(ladder, ladderFlag));
    }
    expect(valueAfter(baseline, '-var_stream_map')).toBe('v:0,name:480p');
    expect(valuesAfter(baseline, '-map')).toEqual(['[v0]']);
    expect(baseline).not.toContain('-master_pl_name');
  });

  it('encodes an audio rendition on its own', () => {
    const baseline = buildBaselinePerRungArguments(plan, plan.audio[1]!, target);
    expect(valuesAfter(baseline, '-map')).toEqual(['0:1']);
    expect(valueAfter(baseline, '-b:a:0')).toBe('64k');
    expect(valueAfter(baseline, '-var_stream_map')).toBe('a:0,name:audio_low');
  });
});

// buildDownloadArguments: see download-arguments.spec.ts.

describe('buildPosterArguments and buildThumbnailArguments', () => {
  it('video poster: fast seek, representative frame, download-sized JPEG', () => {
    const args = buildPosterArguments(ladderFor(videoProbe(1920, 1080)), target);
    expect(args.indexOf('-ss')).toBeLessThan(args.indexOf('-i'));
    expect(valueAfter(args, '-ss')).toBe('10');
    expect(valueAfter(args, '-vf')).toBe('thumbnail=30,scale=1280:720,setsar=1');
    expect(valueAfter(args, '-frames:v')).toBe('1');
    expect(valueAfter(args, '-protocol_whitelist')).toBe('file');
    expect(args.at(-1)).toBe('/media/abc/poster.jpg');
  });

  it('audio poster: waveform picture of the opening minutes', () => {
    const args = buildPosterArguments(ladderFor(audioOnlyProbe), target);
    expect(valueAfter(args, '-t')).toBe('300');
    expect(valueAfter(args, '-filter_complex')).toBe('[0:0]aformat=channel_layouts=mono,showwavespic=s=1280x720:colors=0x2f6fb3[poster]');
    expect(args.at(-1)).toBe('/media/abc/poster.jpg');
  });

  it('thumbnails decode only keyframes of the download MP4', () => {
    const args = buildThumbnailArguments(videoPlan(videoProbe(1920, 1080)), { outputDir: '/media/abc' });
    expect(args.indexOf('-skip_frame')).toBeLessThan(args.indexOf('-i'));
    expect(valueAfter(args, '-i')).toBe('/media/abc/download.mp4');
    expect(valueAfter(args, '-vf')).toBe("select='isnan(prev_selected_t)+gte(t-prev_selected_t,10)',scale=160:90,setsar=1");
    expect(args.at(-1)).toBe('/media/abc/thumbs/thumb_%05d.jpg');
  });
});

describe('every builder output', () => {
  const plans: [string, TranscodePlan][] = [
    ['landscape', ladderFor(videoProbe(1920, 1080))],
    ['silent', ladderFor(videoProbe(640, 360, 30, false))],
    ['audio only', ladderFor(audioOnlyProbe)],
  ];
  it.each(plans)('%s: non-empty strings that start with -nostdin', (_name, plan) => {
    for (const args of [buildHlsArguments(plan, target), buildDownloadArguments(plan, target), buildPosterArguments(plan, target)]) {
      expect(args.every((a) => typeof a === 'string' && a.length > 0)).toBe(true);
      expect(args[0]).toBe('-nostdin');
    }
  });
});
