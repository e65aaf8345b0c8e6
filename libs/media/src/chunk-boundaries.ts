import type { TranscodePlan } from './ladder.js';

/** One time range of the source that a chunk job encodes, for every video rung. */
export interface ChunkSpan {
  index: number;
  /** Start in source seconds; a whole number of segments of every rung, so a forced keyframe. */
  startSec: number;
  /** Length in seconds; null for the last chunk, which runs to the end of the source. */
  durationSec: number | null;
}

/** A positive rational p/q in lowest terms. */
interface Ratio {
  p: bigint;
  q: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
const ratio = (p: bigint, q: bigint): Ratio => {
  const g = gcd(p, q);
  return { p: p / g, q: q / g };
};
/** Smallest positive rational that is a whole multiple of both. */
const lcmOf = (a: Ratio, b: Ratio): Ratio => ratio((a.p * b.p) / gcd(a.p, b.p), gcd(a.q, b.q));
const toSeconds = (r: Ratio): number => Number(r.p) / Number(r.q);

/**
 * The exact length of one HLS segment of every rung, as a rational number of seconds: the muxer
 * cuts at the first keyframe at or after each `segmentSec`, keyframes come every `gop` frames at the
 * rung's `fps` (a decimal with at most three places, as the ladder rounds it). 29.97 fps gives
 * 120 frames = 4.004004… s; 30 fps gives 4 s.
 */
export function rungSegmentSec(plan: TranscodePlan): number[] {
  return plan.rungs.map((rung) => toSeconds(rungSegmentRatio(plan, rung.gop, rung.fps)));
}

function rungSegmentRatio(plan: TranscodePlan, gop: number, fps: number): Ratio {
  const keyframesPerSegment = Math.max(1, Math.ceil(plan.hls.segmentSec / plan.hls.keyframeIntervalSec - 1e-9));
  const milliFps = BigInt(Math.round(fps * 1000));
  if (milliFps <= 0n) throw new Error(`rung frame rate must be positive, got ${fps}`);
  return ratio(BigInt(keyframesPerSegment * gop) * 1000n, milliFps);
}

/**
 * The smallest time step at which every rung starts a new segment on a forced keyframe (the least
 * common multiple of the rungs' segment lengths), in seconds; null for a plan without video.
 */
export function chunkStepSec(plan: TranscodePlan): number | null {
  if (plan.kind !== 'video' || plan.rungs.length === 0) return null;
  const step = plan.rungs.map((r) => rungSegmentRatio(plan, r.gop, r.fps)).reduce(lcmOf);
  return toSeconds(step);
}

/**
 * Splits a video plan's source into chunks of about `chunkSec` seconds whose boundaries are whole
 * multiples of every rung's segment, so each chunk starts on a keyframe that the single-process
 * encode would also have placed there, and segment durations and timestamps come out the same.
 * A remainder shorter than one segment step joins the last chunk. Returns null (encode in one
 * process) when chunking is off (`chunkSec` 0), the plan has no video, the rungs share no segment
 * grid within `chunkSec`, or the source makes fewer than two chunks.
 */
export function planChunks(plan: TranscodePlan, chunkSec: number): ChunkSpan[] | null {
  if (!(chunkSec > 0) || plan.kind !== 'video' || plan.rungs.length === 0) return null;
  const duration = plan.source.durationSec;
  if (!(duration > 0)) return null;
  const step = plan.rungs.map((r) => rungSegmentRatio(plan, r.gop, r.fps)).reduce(lcmOf);
  const stepSec = toSeconds(step);
  if (stepSec > chunkSec) return null;
  const stepsPerChunk = BigInt(Math.floor(chunkSec / stepSec + 1e-9));
  const chunkLength: Ratio = ratio(step.p * stepsPerChunk, step.q);
  const startOf = (index: number): number => roundMicro((Number(chunkLength.p) * index) / Number(chunkLength.q));

  const spans: ChunkSpan[] = [];
  for (let index = 0; ; index += 1) {
    const startSec = startOf(index);
    const nextSec = startOf(index + 1);
    // The rest after this chunk is under one segment step (or nothing): this chunk runs to the end.
    if (duration - nextSec < stepSec - 1e-6) {
      spans.push({ index, startSec, durationSec: null });
      break;
    }
    spans.push({ index, startSec, durationSec: roundMicro(nextSec - startSec) });
  }
  return spans.length >= 2 ? spans : null;
}

function roundMicro(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
