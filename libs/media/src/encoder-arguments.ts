import { isAbsolute } from 'node:path';
import type { AudioRendition, EncoderSettings, HlsSettings, VideoRung } from './ladder.js';

/** Flags every ffmpeg we start begins with: no stdin (it would steal the worker's), quiet but not silent. */
export const FFMPEG_GLOBAL_ARGUMENTS = ['-nostdin', '-hide_banner', '-nostats', '-loglevel', 'warning'] as const;

/** A rung's segment lengths in frames: the first segment's and every later one's (whole GOPs of `rung.gop`). */
export function rungSegmentFrames(hls: HlsSettings, rung: Pick<VideoRung, 'gop'>): { first: number; rest: number } {
  const gops = (sec: number) => Math.max(1, Math.ceil(sec / hls.keyframeIntervalSec - 1e-9));
  const rest = gops(hls.segmentSec) * rung.gop;
  return { first: Math.min(gops(hls.initSegmentSec) * rung.gop, rest), rest };
}

/**
 * libx264 options for output video stream `index`. The single-process ladder and the per-rung
 * baseline both use this, so a benchmark compares process layout, never encoder settings.
 * Keyframes fall exactly on segment starts: frame 0, the forced one that ends the short first
 * segment, then every later segment's length (x264 counts from the last keyframe). A chunk that
 * starts later (`continuation`) starts on a segment boundary, so it only counts from its own frame 0.
 */
export function videoEncoderArguments(
  encoder: EncoderSettings,
  hls: HlsSettings,
  rung: VideoRung,
  index: number,
  options: { continuation?: boolean } = {},
): string[] {
  const s = `:v:${index}`;
  const frames = rungSegmentFrames(hls, rung);
  const forced = !options.continuation && frames.first < frames.rest ? [`-force_key_frames${s}`, `expr:eq(n,${frames.first})`] : [];
  return [
    `-c${s}`,
    encoder.videoCodec,
    `-preset${s}`,
    encoder.preset,
    `-crf${s}`,
    String(encoder.crf),
    `-profile${s}`,
    encoder.profile,
    `-maxrate${s}`,
    `${rung.maxrateKbps}k`,
    `-bufsize${s}`,
    `${rung.bufsizeKbps}k`,
    `-g${s}`,
    String(frames.rest),
    `-keyint_min${s}`,
    String(frames.rest),
    // No scene-cut keyframes: every rung must switch at the same segment boundaries.
    `-sc_threshold${s}`,
    '0',
    ...forced,
  ];
}

export function audioEncoderArguments(encoder: EncoderSettings, rendition: AudioRendition, index: number): string[] {
  const s = `:a:${index}`;
  return [
    `-c${s}`,
    encoder.audioCodec,
    `-b${s}`,
    `${rendition.bitrateKbps}k`,
    `-ac${s}`,
    String(rendition.channels),
    `-ar${s}`,
    String(rendition.sampleRate),
  ];
}

/**
 * Filter chain turning decoded (already autorotated) frames into one rung. `fps` runs on every
 * rung, not only capped ones, so variable-frame-rate phone footage becomes constant-rate and the
 * frame-counted GOP lands on the same 2 s boundaries in every rung.
 */
export function rungFilterChain(rung: VideoRung, encoder: EncoderSettings): string {
  return `fps=${rung.fps},scale=${rung.width}:${rung.height},setsar=1,format=${encoder.pixelFormat}`;
}

/**
 * HLS muxer options shared by the ladder and the baseline. EVENT playlists: while ffmpeg runs each
 * rendition's index.m3u8 lists only complete segments (written atomically, as ffmpeg does for every
 * non-VOD playlist) and gains ENDLIST at the end, so a set can be previewed while it grows;
 * sealRenditionPlaylists restates the finished set as VOD.
 *
 * `-hls_time` is the short first segment's length, and video is cut at every keyframe, which
 * videoEncoderArguments places only on segment starts (2 s, 6 s, 10 s, …). `-hls_init_time` cannot
 * do this: ffmpeg 5.1 switches to `-hls_time` only once a bounded playlist window has filled, and
 * an EVENT playlist has none, so every segment would be the first one's length. Audio-only
 * renditions are cut by time, every `initSegmentSec`.
 */
export function hlsMuxerArguments(hls: HlsSettings): string[] {
  return [
    '-f',
    'hls',
    '-hls_time',
    String(Math.min(hls.initSegmentSec, hls.segmentSec)),
    '-hls_playlist_type',
    'event',
    '-hls_segment_type',
    hls.segmentType === 'fmp4' ? 'fmp4' : 'mpegts',
    '-hls_flags',
    'independent_segments',
    '-hls_fmp4_init_filename',
    hls.initPattern,
  ];
}

/** Strips uploader metadata (phone GPS, device names) and chapters from everything we publish. */
export const STRIP_METADATA_ARGUMENTS = ['-map_metadata', '-1', '-map_chapters', '-1'] as const;

export function requireAbsolutePath(path: string, what: string): string {
  // Relative names could be read by ffmpeg as `proto:…` URLs or as options; absolute ones cannot.
  if (!isAbsolute(path)) throw new Error(`${what} must be an absolute path, got "${path}"`);
  return path;
}
