import { demuxerFor } from './input-formats.js';
import type { MediaProbe, VideoStreamProbe } from './media-probe.js';

/** Short-side sizes of the standard rungs, largest first ("720p" means a 720-pixel short side). */
export const STANDARD_RUNG_SHORT_SIDES = [1080, 720, 480, 360, 240] as const;

// 0.1 bit per pixel per frame is a generous H.264 ceiling at preset veryfast; CRF 23 keeps slides and talking heads far below it.
export const H264_BITS_PER_PIXEL = 0.1;
export const KEYFRAME_INTERVAL_SEC = 2;
export const HLS_SEGMENT_SEC = 4;
/**
 * The first segment of every rendition is one GOP: a preview is playable once every rendition has
 * its first segment, and under load each second of it costs several seconds of encoding.
 */
export const HLS_INIT_SEGMENT_SEC = KEYFRAME_INTERVAL_SEC;
export const MAX_FPS = 60;
export const LOW_RUNG_MAX_FPS = 30;
/** Rungs with at least this short side keep the source frame rate (up to MAX_FPS). */
export const HIGH_FPS_MIN_SHORT_SIDE = 720;
export const DOWNLOAD_MAX_SHORT_SIDE = 720;
/** The "standard" download's rung: small enough for a rural data plan, still readable slides. */
export const STANDARD_DOWNLOAD_SHORT_SIDE = 360;
/** Below this a video download is not worth offering on its own. */
export const STANDARD_DOWNLOAD_MIN_SHORT_SIDE = 240;
// A standard rung within 10 % of the source-sized top rung costs a full encode for no visible step (730p → no 720p).
export const MIN_RUNG_STEP_RATIO = 0.9;
const FPS_WHEN_UNKNOWN = 30;
const POSTER_MAX_OFFSET_SEC = 10;
const THUMBNAIL_SHORT_SIDE = 90;
const THUMBNAIL_INTERVAL_SEC = 10;
const WAVEFORM_POSTER = { width: 1280, height: 720 } as const;

export interface VideoRung {
  /** Directory and variant name, from the short side: `720p` for both 1280x720 and 720x1280. */
  name: string;
  width: number;
  height: number;
  shortSide: number;
  fps: number;
  /** Frames in KEYFRAME_INTERVAL_SEC, round(KEYFRAME_INTERVAL_SEC × fps): the first segment's; later segments are whole multiples. */
  gop: number;
  maxrateKbps: number;
  bufsizeKbps: number;
}

export interface AudioRendition {
  name: 'audio' | 'audio_low';
  /** `group`: the EXT-X-MEDIA audio every video variant plays; `variant`: its own audio-only EXT-X-STREAM-INF. */
  role: 'group' | 'variant';
  bitrateKbps: number;
  channels: 1 | 2;
  sampleRate: 48000;
}

export interface EncoderSettings {
  videoCodec: 'libx264';
  preset: 'veryfast';
  crf: 23;
  profile: 'high';
  pixelFormat: 'yuv420p';
  bitsPerPixel: number;
  audioCodec: 'aac';
}

export interface HlsSettings {
  /** Length of every video segment after the first. */
  segmentSec: number;
  /**
   * Length of the first segment (a whole number of `keyframeIntervalSec`, at most `segmentSec`).
   * Video keyframes fall exactly on segment starts (at 0, at `initSegmentSec`, then every
   * `segmentSec`), and the muxer cuts at every one of them; audio-only renditions, cut by time,
   * have segments of `initSegmentSec` throughout.
   */
  initSegmentSec: number;
  /** The unit the segment lengths are counted in: one rung's `gop` frames. */
  keyframeIntervalSec: number;
  segmentType: 'fmp4';
  masterPlaylistName: 'master.m3u8';
  mediaPlaylistName: 'index.m3u8';
  segmentPattern: 'seg_%05d.m4s';
  initPattern: 'init_%v.mp4';
}

export interface SourceFacts {
  /** Forced with `-f` at transcode time. */
  demuxer: string;
  durationSec: number;
  videoStreamIndex?: number;
  audioStreamIndex?: number;
}

/** The offline files: each a stream copy of finished HLS renditions, so no download costs an encode. */
export type DownloadQuality = 'standard' | 'high' | 'audio';

export interface VideoDownloadPlan {
  kind: 'video';
  /** `high`: the ≤ 720p rung (today's file); `standard`: the 360p rung, for mobile data. */
  quality: 'standard' | 'high';
  /** The rung whose HLS segments are remuxed into the file, with the main audio when there is one. */
  rungName: string;
  width: number;
  height: number;
  /** `download.mp4` for `high` (the name older readers know), `download_<rung>.mp4` for `standard`. */
  fileName: string;
}

export interface AudioDownloadPlan {
  kind: 'audio';
  quality: 'audio';
  renditionName: 'audio';
  fileName: 'download.m4a';
}

export type DownloadFilePlan = VideoDownloadPlan | AudioDownloadPlan;

export interface FramePosterPlan {
  kind: 'frame';
  atSec: number;
  width: number;
  height: number;
  fileName: 'poster.jpg';
}

export interface WaveformPosterPlan {
  kind: 'waveform';
  width: number;
  height: number;
  fileName: 'poster.jpg';
}

export interface ThumbnailPlan {
  intervalSec: number;
  width: number;
  height: number;
  /** Inside the output directory; the directory must exist before ffmpeg runs. */
  directory: 'thumbs';
  pattern: 'thumb_%05d.jpg';
}

interface PlanBase {
  source: SourceFacts;
  /** `[group audio, low-bandwidth audio]`, or empty for a silent video. */
  audio: AudioRendition[];
  encoder: EncoderSettings;
  hls: HlsSettings;
}

export interface VideoTranscodePlan extends PlanBase {
  kind: 'video';
  /** Largest first. */
  rungs: VideoRung[];
  /** `aud` when the source has audio, else null. */
  audioGroupId: 'aud' | null;
  /** The `high` file: the one offline file of assets published before there were several. */
  download: VideoDownloadPlan;
  /** Smallest first: `standard` (unless it would be the `high` rung), `high`, then `audio` when the source has sound. */
  downloads: DownloadFilePlan[];
  poster: FramePosterPlan;
  thumbnails: ThumbnailPlan;
}

export interface AudioTranscodePlan extends PlanBase {
  kind: 'audio';
  rungs: [];
  audioGroupId: null;
  download: AudioDownloadPlan;
  downloads: [AudioDownloadPlan];
  poster: WaveformPosterPlan;
}

/** Everything the transcoder will produce for one upload, decided before ffmpeg starts. */
export type TranscodePlan = VideoTranscodePlan | AudioTranscodePlan;

export const ENCODER_SETTINGS: Readonly<EncoderSettings> = Object.freeze({
  videoCodec: 'libx264',
  preset: 'veryfast',
  crf: 23,
  profile: 'high',
  pixelFormat: 'yuv420p',
  bitsPerPixel: H264_BITS_PER_PIXEL,
  audioCodec: 'aac',
});

export const HLS_SETTINGS: Readonly<HlsSettings> = Object.freeze({
  segmentSec: HLS_SEGMENT_SEC,
  initSegmentSec: HLS_INIT_SEGMENT_SEC,
  keyframeIntervalSec: KEYFRAME_INTERVAL_SEC,
  segmentType: 'fmp4',
  masterPlaylistName: 'master.m3u8',
  mediaPlaylistName: 'index.m3u8',
  segmentPattern: 'seg_%05d.m4s',
  initPattern: 'init_%v.mp4',
});

/** Decides the renditions for a probed upload. Throws if it has neither video nor audio (checkProbeLimits rejects those first). */
export function ladderFor(probe: MediaProbe): TranscodePlan {
  const source: SourceFacts = { demuxer: demuxerFor(probe.formatName), durationSec: probe.durationSec };
  if (probe.video) source.videoStreamIndex = probe.video.streamIndex;
  if (probe.audio) source.audioStreamIndex = probe.audio.streamIndex;
  const common = { source, encoder: { ...ENCODER_SETTINGS }, hls: { ...HLS_SETTINGS } };

  if (!probe.video) {
    if (!probe.audio) throw new Error('ladderFor needs a probe with a video or an audio stream');
    const download = audioDownload();
    return {
      ...common,
      kind: 'audio',
      rungs: [],
      audioGroupId: null,
      audio: audioRenditionsFor(probe.audio.channels, 'variant'),
      download,
      downloads: [download],
      poster: { kind: 'waveform', ...WAVEFORM_POSTER, fileName: 'poster.jpg' },
    };
  }

  const rungs = videoRungsFor(probe.video);
  const downloadRung = rungs.find((r) => r.shortSide <= DOWNLOAD_MAX_SHORT_SIDE) ?? lastOf(rungs);
  const thumbnailSize = sizeForShortSide(probe.video, Math.min(THUMBNAIL_SHORT_SIDE, downloadRung.shortSide));
  const high = videoDownload(downloadRung, 'high');
  const standardRung = standardDownloadRung(rungs);
  const downloads: DownloadFilePlan[] = [];
  if (standardRung && standardRung.name !== downloadRung.name) downloads.push(videoDownload(standardRung, 'standard'));
  downloads.push(high);
  if (probe.audio) downloads.push(audioDownload());
  return {
    ...common,
    kind: 'video',
    rungs,
    audioGroupId: probe.audio ? 'aud' : null,
    audio: probe.audio ? audioRenditionsFor(probe.audio.channels, 'group') : [],
    download: high,
    downloads,
    poster: {
      kind: 'frame',
      atSec: round3(Math.min(probe.durationSec * 0.1, POSTER_MAX_OFFSET_SEC)),
      width: downloadRung.width,
      height: downloadRung.height,
      fileName: 'poster.jpg',
    },
    thumbnails: {
      intervalSec: THUMBNAIL_INTERVAL_SEC,
      ...thumbnailSize,
      directory: 'thumbs',
      pattern: 'thumb_%05d.jpg',
    },
  };
}

/** The 360p rung, else the smallest rung of at least 240p; none for a source below 240p. */
export function standardDownloadRung(rungs: readonly VideoRung[]): VideoRung | undefined {
  const exact = rungs.find((r) => r.shortSide === STANDARD_DOWNLOAD_SHORT_SIDE);
  if (exact) return exact;
  const big = rungs.filter((r) => r.shortSide >= STANDARD_DOWNLOAD_MIN_SHORT_SIDE);
  return big.length > 0 ? big.reduce((a, b) => (b.shortSide < a.shortSide ? b : a)) : undefined;
}

function videoDownload(rung: VideoRung, quality: VideoDownloadPlan['quality']): VideoDownloadPlan {
  return {
    kind: 'video',
    quality,
    rungName: rung.name,
    width: rung.width,
    height: rung.height,
    fileName: quality === 'high' ? 'download.mp4' : `download_${rung.name}.mp4`,
  };
}

function audioDownload(): AudioDownloadPlan {
  return { kind: 'audio', quality: 'audio', renditionName: 'audio', fileName: 'download.m4a' };
}

/** Short sides for a source: its own (even, ≤ 1080) on top, then every smaller standard size not too close to it. */
export function rungShortSides(sourceShortSide: number): number[] {
  const top = Math.max(2, Math.min(evenFloor(sourceShortSide), STANDARD_RUNG_SHORT_SIDES[0]));
  const lower = STANDARD_RUNG_SHORT_SIDES.filter((side) => side < top && side <= top * MIN_RUNG_STEP_RATIO);
  return [top, ...lower];
}

// The ladder works on the displayed short side, so a 1080x1920 portrait phone video gets 1080p/720p/… rungs like landscape.
function videoRungsFor(video: VideoStreamProbe): VideoRung[] {
  const sourceFps = video.fps > 0 ? video.fps : FPS_WHEN_UNKNOWN;
  return rungShortSides(Math.min(video.displayWidth, video.displayHeight)).map((shortSide) => {
    const { width, height } = sizeForShortSide(video, shortSide);
    const fpsCap = shortSide >= HIGH_FPS_MIN_SHORT_SIDE ? MAX_FPS : LOW_RUNG_MAX_FPS;
    const fps = round3(Math.min(sourceFps, fpsCap));
    const maxrateKbps = Math.max(1, Math.round((H264_BITS_PER_PIXEL * width * height * fps) / 1000));
    return {
      name: `${shortSide}p`,
      width,
      height,
      shortSide,
      fps,
      gop: Math.max(1, Math.round(KEYFRAME_INTERVAL_SEC * fps)),
      maxrateKbps,
      bufsizeKbps: 2 * maxrateKbps,
    };
  });
}

/** Output frame size with the given short side, same orientation and aspect as the display, even, never above the source. */
function sizeForShortSide(
  video: Pick<VideoStreamProbe, 'displayWidth' | 'displayHeight'>,
  shortSide: number,
): { width: number; height: number } {
  const sourceShort = Math.min(video.displayWidth, video.displayHeight);
  const sourceLong = Math.max(video.displayWidth, video.displayHeight);
  const longSide = Math.max(2, Math.min(evenRound((shortSide * sourceLong) / sourceShort), evenFloor(sourceLong)));
  const landscape = video.displayWidth >= video.displayHeight;
  return landscape ? { width: longSide, height: shortSide } : { width: shortSide, height: longSide };
}

function audioRenditionsFor(sourceChannels: number, mainRole: AudioRendition['role']): AudioRendition[] {
  return [
    { name: 'audio', role: mainRole, bitrateKbps: 128, channels: sourceChannels === 1 ? 1 : 2, sampleRate: 48000 },
    // Mono 64k AAC-LC: Debian's ffmpeg has no HE-AAC encoder, and lectures are speech.
    { name: 'audio_low', role: 'variant', bitrateKbps: 64, channels: 1, sampleRate: 48000 },
  ];
}

function evenFloor(n: number): number {
  return Math.floor(n / 2) * 2;
}

function evenRound(n: number): number {
  return Math.round(n / 2) * 2;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function lastOf<T>(items: readonly T[]): T {
  const last = items[items.length - 1];
  if (last === undefined) throw new Error('empty ladder');
  return last;
}
