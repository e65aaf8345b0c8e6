import { rungSegmentFrames } from './encoder-arguments.js';
import type { TranscodePlan } from './ladder.js';

/** One time range of the source that a chunk job encodes, for every video rung. */
export interface ChunkSpan {
  index: number;
  /** Start in source seconds; a segment start of every rung, so a keyframe the single-process encode has too. */
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
  const g = gcd(p < 0n ? -p : p, q);
  return { p: p / g, q: q / g };
};
/** Smallest positive rational that is a whole multiple of both. */
const lcmOf = (a: Ratio, b: Ratio): Ratio => ratio((a.p * b.p) / gcd(a.p, b.p), gcd(a.q, b.q));
const toSeconds = (r: Ratio): number => Number(r.p) / Number(r.q);

const sub = (a: Ratio, b: Ratio): Ratio => ratio(a.p * b.q - b.p * a.q, a.q * b.q);
const add = (a: Ratio, b: Ratio): Ratio => ratio(a.p * b.q + b.p * a.q, a.q * b.q);
const times = (a: Ratio, n: bigint): Ratio => ratio(a.p * n, a.q);
/** Whether `t` is `first + k × rest` for a whole k ≥ 0. */
const onGrid = (t: Ratio, grid: RungGrid): boolean => {
  const d = sub(t, grid.first);
  if (d.p < 0n) return false;
  // d / rest = (d.p × rest.q) / (d.q × rest.p)
  return (d.p * grid.rest.q) % (d.q * grid.rest.p) === 0n;
};

/** Where a rung's segments start, as exact seconds: 0, `first`, then every `rest`. */
interface RungGrid {
  first: Ratio;
  rest: Ratio;
}

/**
 * The exact length of every HLS segment after the first of every rung, as seconds: keyframes fall
 * only on segment starts (see videoEncoderArguments), every `segmentSec` worth of `gop` frames at
 * the rung's `fps` (a decimal with at most three places, as the ladder rounds it). 29.97 fps gives
 * 120 frames = 4.004004… s; 30 fps gives 4 s.
 */
export function rungSegmentSec(plan: TranscodePlan): number[] {
  return plan.rungs.map((rung) => toSeconds(rungGrid(plan, rung).rest));
}

/** The length of every rung's first segment (one GOP: 2 s at 30 fps, 2.002 s at 29.97 fps). */
export function rungFirstSegmentSec(plan: TranscodePlan): number[] {
  return plan.rungs.map((rung) => toSeconds(rungGrid(plan, rung).first));
}

function rungGrid(plan: TranscodePlan, rung: { gop: number; fps: number }): RungGrid {
  const milliFps = BigInt(Math.round(rung.fps * 1000));
  if (milliFps <= 0n) throw new Error(`rung frame rate must be positive, got ${rung.fps}`);
  const frames = rungSegmentFrames(plan.hls, rung);
  return { first: ratio(BigInt(frames.first) * 1000n, milliFps), rest: ratio(BigInt(frames.rest) * 1000n, milliFps) };
}

/** Iterations allowed when looking for the first boundary every rung shares. */
const MAX_GRID_SEARCH = 10_000n;

/**
 * Where every rung starts a segment, after 0: the first such time and the step after which the
 * pattern repeats (the least common multiple of the rungs' later segments); null when there is none.
 */
function sharedGrid(plan: TranscodePlan): { first: Ratio; step: Ratio } | null {
  const grids = plan.rungs.map((rung) => rungGrid(plan, rung));
  const [lead] = grids;
  if (!lead) return null;
  const step = grids.map((g) => g.rest).reduce(lcmOf);
  const candidates = (step.p * lead.rest.q) / (step.q * lead.rest.p);
  for (let k = 0n; k < candidates && k < MAX_GRID_SEARCH; k += 1n) {
    const t = add(lead.first, times(lead.rest, k));
    if (grids.every((grid) => onGrid(t, grid))) return { first: t, step };
  }
  return null;
}

/**
 * The time step at which every rung starts a new segment on a keyframe, after the first such
 * boundary (the least common multiple of the rungs' later segments), in seconds; null for a plan
 * without video or whose rungs share no boundary.
 */
export function chunkStepSec(plan: TranscodePlan): number | null {
  if (plan.kind !== 'video' || plan.rungs.length === 0) return null;
  const grid = sharedGrid(plan);
  return grid ? toSeconds(grid.step) : null;
}

/**
 * Splits a video plan's source into chunks of about `chunkSec` seconds whose boundaries are
 * segment starts of every rung (the short first segment, then whole later segments), so each chunk
 * starts on a keyframe that the single-process encode would also have placed there, and segment
 * durations and timestamps come out the same. Chunk 0 ends on the first shared boundary plus whole
 * steps; later chunks are whole steps. A remainder shorter than one step joins the last chunk.
 * Returns null (encode in one process) when chunking is off (`chunkSec` 0), the plan has no video,
 * the rungs share no segment grid within `chunkSec`, or the source makes fewer than two chunks.
 */
export function planChunks(plan: TranscodePlan, chunkSec: number): ChunkSpan[] | null {
  if (!(chunkSec > 0) || plan.kind !== 'video' || plan.rungs.length === 0) return null;
  const duration = plan.source.durationSec;
  if (!(duration > 0)) return null;
  const grid = sharedGrid(plan);
  if (!grid) return null;
  const stepSec = toSeconds(grid.step);
  if (stepSec > chunkSec || toSeconds(grid.first) > chunkSec) return null;
  const stepsPerChunk = BigInt(Math.floor(chunkSec / stepSec + 1e-9));
  // Chunk k ≥ 1 starts at first + (k × stepsPerChunk − 1) × step: chunk 0 is the short first segment and
  // stepsPerChunk − 1 steps (shorter than the others by a step less the first segment), the others stepsPerChunk steps.
  const startOf = (index: number): number =>
    index === 0 ? 0 : roundMicro(toSeconds(add(grid.first, times(grid.step, BigInt(index) * stepsPerChunk - 1n))));

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
