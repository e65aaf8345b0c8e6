import { z } from 'zod';
import { PROBE_REJECTION_MESSAGES, ProbeError } from './probe-error.js';

export interface VideoStreamProbe {
  /** Absolute stream index in the container, for `-map 0:<index>`. */
  streamIndex: number;
  codec: string;
  /** Coded frame size as stored. */
  width: number;
  height: number;
  /** Size as a viewer sees it: sample aspect ratio applied, then width/height swapped for ±90° rotation. */
  displayWidth: number;
  displayHeight: number;
  /** Display rotation normalised to 0, 90, 180 or 270 (only its axis matters to us: ffmpeg autorotates on decode). */
  rotation: 0 | 90 | 180 | 270;
  /** Average frames per second; 0 when the container does not say. */
  fps: number;
  bitRate?: number;
}

export interface AudioStreamProbe {
  streamIndex: number;
  codec: string;
  channels: number;
  sampleRate: number;
}

/** What the transcoder needs to know about an upload, read by ffprobe. */
export interface MediaProbe {
  /** ffprobe's demuxer name, e.g. `mov,mp4,m4a,3gp,3g2,mj2` or `mp3`. */
  formatName: string;
  durationSec: number;
  sizeBytes: number;
  video?: VideoStreamProbe;
  audio?: AudioStreamProbe;
  streamCount: number;
}

const numericString = z.union([z.string(), z.number()]).optional();

const ffprobeStreamSchema = z.object({
  index: z.number().int().nonnegative(),
  codec_name: z.string().optional(),
  codec_type: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  sample_aspect_ratio: z.string().optional(),
  avg_frame_rate: z.string().optional(),
  r_frame_rate: z.string().optional(),
  bit_rate: numericString,
  duration: numericString,
  channels: z.number().optional(),
  sample_rate: numericString,
  disposition: z.record(z.string(), z.number()).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  side_data_list: z.array(z.object({ side_data_type: z.string().optional(), rotation: z.number().optional() })).optional(),
});

const ffprobeOutputSchema = z.object({
  streams: z.array(ffprobeStreamSchema).default([]),
  format: z.object({
    format_name: z.string(),
    duration: numericString,
    size: numericString,
    nb_streams: z.number().int().nonnegative().optional(),
  }),
});

type FfprobeStream = z.infer<typeof ffprobeStreamSchema>;

/** Parses `ffprobe -show_format -show_streams -of json` output into a MediaProbe; throws ProbeError('unreadable') on nonsense. */
export function parseFfprobeOutput(json: unknown): MediaProbe {
  const parsed = ffprobeOutputSchema.safeParse(json);
  if (!parsed.success) {
    throw new ProbeError('unreadable', PROBE_REJECTION_MESSAGES.unreadable, { cause: parsed.error });
  }
  const { streams, format } = parsed.data;

  // Cover art in MP3/M4A shows up as a one-frame "video" stream; it is not the programme.
  const videoStream = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  const audioStream = streams.find((s) => s.codec_type === 'audio');

  const durationSec = firstPositive([toNumber(format.duration), ...streams.map((s) => toNumber(s.duration))]);
  if (durationSec === undefined) {
    throw new ProbeError(
      'unreadable',
      'We could not tell how long this file is. Please export it again (for example to MP4) and re-upload it.',
    );
  }

  const probe: MediaProbe = {
    formatName: format.format_name,
    durationSec,
    sizeBytes: toNumber(format.size) ?? 0,
    streamCount: format.nb_streams ?? streams.length,
  };
  if (videoStream) probe.video = videoFrom(videoStream);
  if (audioStream) probe.audio = audioFrom(audioStream);
  return probe;
}

function videoFrom(stream: FfprobeStream): VideoStreamProbe {
  const width = stream.width ?? 0;
  const height = stream.height ?? 0;
  if (width <= 0 || height <= 0) {
    throw new ProbeError('unreadable', PROBE_REJECTION_MESSAGES.unreadable);
  }
  const rotation = rotationOf(stream);
  const sar = parseRatio(stream.sample_aspect_ratio?.replace(':', '/'));
  // Anamorphic sources (DV, some broadcast) store narrow pixels; viewers see them stretched by the SAR.
  const sarWidth = sar !== undefined && sar > 0 ? Math.round(width * sar) : width;
  const quarterTurn = rotation === 90 || rotation === 270;
  const video: VideoStreamProbe = {
    streamIndex: stream.index,
    codec: stream.codec_name ?? 'unknown',
    width,
    height,
    displayWidth: quarterTurn ? height : sarWidth,
    displayHeight: quarterTurn ? sarWidth : height,
    rotation,
    fps: frameRateOf(stream),
  };
  const bitRate = toNumber(stream.bit_rate);
  if (bitRate !== undefined && bitRate > 0) video.bitRate = bitRate;
  return video;
}

function audioFrom(stream: FfprobeStream): AudioStreamProbe {
  return {
    streamIndex: stream.index,
    codec: stream.codec_name ?? 'unknown',
    channels: stream.channels ?? 0,
    sampleRate: toNumber(stream.sample_rate) ?? 0,
  };
}

/** Display-matrix rotation wins over the legacy `rotate` tag; angles ffmpeg would not autorotate count as 0. */
export function rotationOf(stream: Pick<FfprobeStream, 'side_data_list' | 'tags'>): 0 | 90 | 180 | 270 {
  const fromMatrix = stream.side_data_list?.find((d) => typeof d.rotation === 'number')?.rotation;
  const fromTag = toNumber(stream.tags?.['rotate']);
  const degrees = fromMatrix ?? fromTag ?? 0;
  const normalised = ((degrees % 360) + 360) % 360;
  for (const quarter of [0, 90, 180, 270] as const) {
    // Same ±1° tolerance ffmpeg's autorotate uses, so we predict exactly what the decoder will output.
    if (Math.abs(normalised - quarter) < 1 || Math.abs(normalised - quarter - 360) < 1) return quarter;
  }
  return 0;
}

/** avg_frame_rate is the real cadence; r_frame_rate is a timebase guess that can read 90000/1 on phone footage. */
export function frameRateOf(stream: Pick<FfprobeStream, 'avg_frame_rate' | 'r_frame_rate'>): number {
  const candidates = [parseRatio(stream.avg_frame_rate), parseRatio(stream.r_frame_rate)];
  for (const fps of candidates) {
    if (fps !== undefined && fps > 0 && fps <= 1000) return fps;
  }
  return 0;
}

/** "30000/1001" → 29.97…, "25" → 25, "0/0" → undefined. */
export function parseRatio(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const [numText, denText] = text.split('/');
  const num = Number(numText);
  const den = denText === undefined ? 1 : Number(denText);
  if (!Number.isFinite(num) || !Number.isFinite(den) || den === 0) return undefined;
  return num / den;
}

function toNumber(value: string | number | undefined): number | undefined {
  if (value === undefined || value === '' || value === 'N/A') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function firstPositive(values: (number | undefined)[]): number | undefined {
  return values.find((v): v is number => v !== undefined && v > 0);
}
