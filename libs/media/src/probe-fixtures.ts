// Test-only: what ffprobe reports for typical uploads, for the pure specs of the ffmpeg argument builders.
import type { MediaProbe } from './media-probe.js';

/** A two-minute H.264 upload of the given size, with AAC stereo sound unless `withAudio` is false. */
export function videoProbe(width: number, height: number, fps = 30, withAudio = true): MediaProbe {
  const p: MediaProbe = {
    formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    durationSec: 120,
    sizeBytes: 1,
    streamCount: withAudio ? 2 : 1,
    video: { streamIndex: 0, codec: 'h264', width, height, displayWidth: width, displayHeight: height, rotation: 0, fps },
  };
  if (withAudio) p.audio = { streamIndex: 1, codec: 'aac', channels: 2, sampleRate: 48000 };
  return p;
}

/** A one-minute MP3 upload. */
export const audioOnlyProbe: MediaProbe = {
  formatName: 'mp3',
  durationSec: 60,
  sizeBytes: 1,
  streamCount: 1,
  audio: { streamIndex: 0, codec: 'mp3', channels: 2, sampleRate: 44100 },
};

/** Value following each occurrence of `flag`. */
export function valuesAfter(args: readonly string[], flag: string): string[] {
  return args.flatMap((arg, i) => (arg === flag && i + 1 < args.length ? [args[i + 1] as string] : []));
}
