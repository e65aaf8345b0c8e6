import type { AudioRendition, TranscodePlan, VideoRung } from './ladder.js';

/** AAC-LC, the only audio profile ffmpeg's native `aac` encoder writes. */
export const AAC_LC_CODEC = 'mp4a.40.2';
// The rung players such as Safari start on (first listed variant): the largest one at most 480p, so weak connections start playing fast.
const START_RUNG_MAX_SHORT_SIDE = 480;

export interface SegmentSize {
  durationSec: number;
  sizeBytes: number;
}

/** Measured bits per second of one rendition's segments. */
export interface RenditionBitrate {
  peak: number;
  average: number;
}

export interface MasterPlaylistFacts {
  /** `avc1.64001f` per video rung name, as ffmpeg wrote it (it reads profile and level from the bitstream). */
  videoCodecsByRung: Record<string, string>;
  /** Measured bitrates per rendition name; missing ones fall back to the plan's caps. */
  bitrates?: Record<string, RenditionBitrate>;
}

/**
 * The master playlist we publish: EXT-X-MEDIA for the audio group, one EXT-X-STREAM-INF per rung
 * with BANDWIDTH, AVERAGE-BANDWIDTH, RESOLUTION, FRAME-RATE, CODECS and AUDIO, then the
 * low-bandwidth audio-only variant(s).
 */
export function buildMasterPlaylist(plan: TranscodePlan, facts: MasterPlaylistFacts): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS'];
  const uriOf = (name: string) => `${name}/${plan.hls.mediaPlaylistName}`;
  const groupAudio = plan.audioGroupId ? plan.audio.find((r) => r.role === 'group') : undefined;

  if (groupAudio && plan.audioGroupId) {
    lines.push(
      `#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="${plan.audioGroupId}",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,` +
        `CHANNELS="${groupAudio.channels}",URI="${uriOf(groupAudio.name)}"`,
    );
  }

  for (const rung of startRungFirst(plan.rungs)) {
    const codec = facts.videoCodecsByRung[rung.name];
    if (!codec) throw new Error(`no video CODECS known for rung ${rung.name}`);
    const video = facts.bitrates?.[rung.name] ?? declaredVideoBitrate(rung);
    const audio = groupAudio ? (facts.bitrates?.[groupAudio.name] ?? declaredAudioBitrate(groupAudio)) : null;
    const attributes = [
      `BANDWIDTH=${Math.ceil(video.peak + (audio?.peak ?? 0))}`,
      `AVERAGE-BANDWIDTH=${Math.ceil(video.average + (audio?.average ?? 0))}`,
      `RESOLUTION=${rung.width}x${rung.height}`,
      `FRAME-RATE=${rung.fps.toFixed(3)}`,
      `CODECS="${[codec, ...(groupAudio ? [AAC_LC_CODEC] : [])].join(',')}"`,
    ];
    if (groupAudio && plan.audioGroupId) attributes.push(`AUDIO="${plan.audioGroupId}"`);
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(',')}`, uriOf(rung.name));
  }

  for (const rendition of plan.audio.filter((r) => r.role === 'variant')) {
    const measured = facts.bitrates?.[rendition.name] ?? declaredAudioBitrate(rendition);
    lines.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${Math.ceil(measured.peak)},AVERAGE-BANDWIDTH=${Math.ceil(measured.average)},CODECS="${AAC_LC_CODEC}"`,
      uriOf(rendition.name),
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * RFC 8216 §4.3.4.2 peak: the highest bitrate of any run of consecutive segments lasting 0.5–1.5 ×
 * the target duration (a short last segment alone would overstate it). Bits per second.
 */
export function peakSegmentBitrate(segments: readonly SegmentSize[], targetDurationSec: number): number {
  const minWindow = 0.5 * targetDurationSec;
  const maxWindow = 1.5 * targetDurationSec;
  let peak = 0;
  for (let start = 0; start < segments.length; start += 1) {
    let bytes = 0;
    let seconds = 0;
    for (let end = start; end < segments.length; end += 1) {
      const segment = segments[end];
      if (!segment || seconds + segment.durationSec > maxWindow) break;
      bytes += segment.sizeBytes;
      seconds += segment.durationSec;
      if (seconds >= minWindow) peak = Math.max(peak, (bytes * 8) / seconds);
    }
  }
  // A whole stream shorter than half a target duration has no qualifying window; its average is its peak.
  return peak > 0 ? peak : averageSegmentBitrate(segments);
}

export function averageSegmentBitrate(segments: readonly SegmentSize[]): number {
  const seconds = segments.reduce((sum, s) => sum + s.durationSec, 0);
  const bytes = segments.reduce((sum, s) => sum + s.sizeBytes, 0);
  return seconds > 0 ? (bytes * 8) / seconds : 0;
}

function declaredVideoBitrate(rung: VideoRung): RenditionBitrate {
  return { peak: rung.maxrateKbps * 1000, average: rung.maxrateKbps * 1000 };
}

function declaredAudioBitrate(rendition: AudioRendition): RenditionBitrate {
  return { peak: rendition.bitrateKbps * 1000, average: rendition.bitrateKbps * 1000 };
}

function startRungFirst(rungs: readonly VideoRung[]): VideoRung[] {
  const start = rungs.find((r) => r.shortSide <= START_RUNG_MAX_SHORT_SIDE) ?? rungs[rungs.length - 1];
  return start ? [start, ...rungs.filter((r) => r !== start)] : [];
}
