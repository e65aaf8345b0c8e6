/** One `-progress` report: ffmpeg prints key=value lines and ends each block with `progress=continue|end`. */
export interface FfmpegProgressBlock {
  /** Media time written so far, in microseconds; null while ffmpeg reports N/A. */
  outTimeUs: number | null;
  /** Encoding speed as a multiple of real time (`speed=2.5x`). */
  speed: number | null;
  frame: number | null;
  /** `progress=end`: ffmpeg has finished writing. */
  done: boolean;
}

export interface ProgressEstimate {
  /** 0–100 with one decimal; null when the total duration is unknown. */
  percent: number | null;
  /** Whole seconds left, extrapolated from elapsed wall time; null before any media time was written. */
  etaSec: number | null;
  outTimeSec: number | null;
  speed: number | null;
  done: boolean;
}

/**
 * Splits buffered `-progress` text into complete blocks. `rest` is the unfinished tail: prepend it
 * to the next chunk from the pipe, since chunks break at arbitrary bytes.
 */
export function parseProgressBlocks(buffered: string): { blocks: FfmpegProgressBlock[]; rest: string } {
  const blocks: FfmpegProgressBlock[] = [];
  let current = emptyBlock();
  let consumed = 0;
  let lineStart = 0;
  for (let newline = buffered.indexOf('\n'); newline !== -1; newline = buffered.indexOf('\n', lineStart)) {
    const line = buffered.slice(lineStart, newline).trim();
    lineStart = newline + 1;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    applyField(current, key, value);
    if (key === 'progress') {
      current.done = value === 'end';
      blocks.push(current);
      current = emptyBlock();
      consumed = lineStart;
    }
  }
  return { blocks, rest: buffered.slice(consumed) };
}

function applyField(block: FfmpegProgressBlock, key: string, value: string): void {
  switch (key) {
    case 'out_time_us':
      block.outTimeUs = nonNegativeNumber(value);
      break;
    case 'out_time':
      // Older builds print only HH:MM:SS.micro; out_time_us wins when both are present.
      block.outTimeUs ??= clockToUs(value);
      break;
    case 'speed':
      block.speed = nonNegativeNumber(value.replace(/x$/, ''));
      break;
    case 'frame':
      block.frame = nonNegativeNumber(value);
      break;
  }
}

/** Percent and ETA for a block, given the media duration being encoded and wall time spent so far. */
export function estimateProgress(
  block: FfmpegProgressBlock,
  context: { totalDurationSec: number | null; elapsedMs: number },
): ProgressEstimate {
  const outTimeSec = block.outTimeUs === null ? null : block.outTimeUs / 1e6;
  const base = { outTimeSec, speed: block.speed, done: block.done };
  if (block.done) return { ...base, percent: 100, etaSec: 0 };

  const total = context.totalDurationSec;
  if (total === null || !(total > 0) || outTimeSec === null) return { ...base, percent: null, etaSec: null };

  const fraction = Math.min(1, Math.max(0, outTimeSec / total));
  // 99.9 at most until ffmpeg says end: the muxer still writes playlists and moves the moov atom.
  const percent = Math.min(99.9, Math.round(fraction * 1000) / 10);
  const etaSec = fraction > 0 && context.elapsedMs > 0 ? Math.round(((context.elapsedMs / 1000) * (1 - fraction)) / fraction) : null;
  return { ...base, percent, etaSec };
}

function emptyBlock(): FfmpegProgressBlock {
  return { outTimeUs: null, speed: null, frame: null, done: false };
}

function nonNegativeNumber(text: string): number | null {
  if (text === '' || text === 'N/A') return null;
  const n = Number(text);
  // ffmpeg prints INT64_MIN-ish negatives before the first packet; treat them as "not yet".
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** "01:02:03.500000" → 3723500000; "-00:00:00.0" and "N/A" → null. */
function clockToUs(text: string): number | null {
  const match = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text);
  if (!match) return null;
  const [, h, m, s] = match;
  return Math.round((Number(h) * 3600 + Number(m) * 60 + Number(s)) * 1e6);
}
