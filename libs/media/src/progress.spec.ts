import { describe, expect, it } from '@jest/globals';
import { estimateProgress, parseProgressBlocks, type FfmpegProgressBlock } from './progress.js';

// Verbatim shape of ffmpeg 5.1 `-progress pipe:1` output (note out_time_ms is really microseconds in 5.1).
const FIRST_BLOCK = `frame=2
fps=0.00
stream_0_0_q=0.0
bitrate=N/A
total_size=N/A
out_time_us=N/A
out_time_ms=N/A
out_time=N/A
dup_frames=0
drop_frames=0
speed=N/A
progress=continue
`;
const MIDDLE_BLOCK = `frame=126
fps=123.00
bitrate=N/A
total_size=N/A
out_time_us=4224000
out_time_ms=4224000
out_time=00:00:04.224000
dup_frames=0
drop_frames=0
speed=4.13x
progress=continue
`;
const LAST_BLOCK = `frame=180
out_time_us=6016000
out_time_ms=6016000
out_time=00:00:06.016000
speed=   4x
progress=end
`;

describe('parseProgressBlocks', () => {
  it.each<[string, string, FfmpegProgressBlock[], string]>([
    ['empty input', '', [], ''],
    ['a block before any packet is N/A', FIRST_BLOCK, [{ outTimeUs: null, speed: null, frame: 2, done: false }], ''],
    [
      'three blocks in one chunk',
      FIRST_BLOCK + MIDDLE_BLOCK + LAST_BLOCK,
      [
        { outTimeUs: null, speed: null, frame: 2, done: false },
        { outTimeUs: 4_224_000, speed: 4.13, frame: 126, done: false },
        { outTimeUs: 6_016_000, speed: 4, frame: 180, done: true },
      ],
      '',
    ],
    [
      'an unfinished block is returned as rest',
      MIDDLE_BLOCK + 'frame=150\nout_time_us=50',
      [{ outTimeUs: 4_224_000, speed: 4.13, frame: 126, done: false }],
      'frame=150\nout_time_us=50',
    ],
    [
      'CRLF line endings',
      'out_time_us=1000000\r\nprogress=continue\r\n',
      [{ outTimeUs: 1_000_000, speed: null, frame: null, done: false }],
      '',
    ],
    [
      'falls back to out_time when out_time_us is missing',
      'out_time=01:02:03.500000\nprogress=continue\n',
      [{ outTimeUs: 3_723_500_000, speed: null, frame: null, done: false }],
      '',
    ],
    [
      'negative start-up values mean not yet',
      'out_time_us=-9223372036854775807\nout_time=-2562047788:00:54.775807\nprogress=continue\n',
      [{ outTimeUs: null, speed: null, frame: null, done: false }],
      '',
    ],
    ['garbage lines are ignored', 'hello\n=x\nprogress=end\n', [{ outTimeUs: null, speed: null, frame: null, done: true }], ''],
  ])('%s', (_name, input, blocks, rest) => {
    expect(parseProgressBlocks(input)).toEqual({ blocks, rest });
  });

  it('gives the same blocks however the stream is chunked', () => {
    const whole = FIRST_BLOCK + MIDDLE_BLOCK + LAST_BLOCK;
    const expected = parseProgressBlocks(whole).blocks;
    for (const size of [1, 3, 7, 64]) {
      const collected: FfmpegProgressBlock[] = [];
      let rest = '';
      for (let i = 0; i < whole.length; i += size) {
        const parsed = parseProgressBlocks(rest + whole.slice(i, i + size));
        collected.push(...parsed.blocks);
        rest = parsed.rest;
      }
      expect(collected).toEqual(expected);
      expect(rest).toBe('');
    }
  });
});

describe('estimateProgress', () => {
  const block = (outTimeUs: number | null, done = false): FfmpegProgressBlock => ({ outTimeUs, speed: 2, frame: 1, done });

  it.each<[string, FfmpegProgressBlock, number | null, number, number | null, number | null]>([
    ['not started', block(null), 100, 1000, null, null],
    ['zero written', block(0), 100, 1000, 0, null],
    ['a quarter after 10 s', block(25_000_000), 100, 10_000, 25, 30],
    ['half after 60 s', block(50_000_000), 100, 60_000, 50, 60],
    ['nearly done stays below 100', block(99_990_000), 100, 60_000, 99.9, 0],
    ['past the probed duration is capped', block(120_000_000), 100, 60_000, 99.9, 0],
    ['done is 100 with no time left', block(100_000_000, true), 100, 60_000, 100, 0],
    ['unknown duration gives no percent', block(5_000_000), null, 1000, null, null],
    ['zero duration gives no percent', block(5_000_000), 0, 1000, null, null],
    ['no elapsed time gives no ETA', block(50_000_000), 100, 0, 50, null],
  ])('%s', (_name, input, totalDurationSec, elapsedMs, percent, etaSec) => {
    expect(estimateProgress(input, { totalDurationSec, elapsedMs })).toMatchObject({ percent, etaSec });
  });

  it('reports media time and speed as given', () => {
    expect(estimateProgress(block(1_500_000), { totalDurationSec: 3, elapsedMs: 500 })).toEqual({
      percent: 50,
      etaSec: 1,
      outTimeSec: 1.5,
      speed: 2,
      done: false,
    });
  });
});
