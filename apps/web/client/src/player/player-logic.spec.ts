import { describe, expect, it } from '@jest/globals';
import { shortSide, startLevelFor } from './hls-config.js';
import { actionForKey, seekTargetForKey } from './keys.js';
import { PlayedSpans } from './played-spans.js';
import { fullscreenForTurn } from './orientation.js';
import { resumeOffer } from './resume.js';
import { chooseEngine } from './stream.js';

const level = (width: number, height: number, bitrate: number) => ({ width, height, bitrate });

describe('startLevelFor', () => {
  it('starts on the lowest level of at least 360p', () => {
    const levels = [level(426, 240, 300_000), level(640, 360, 700_000), level(1280, 720, 2_500_000), level(1920, 1080, 5_000_000)];
    expect(startLevelFor(levels)).toBe(1);
  });

  it('does not depend on the order hls.js lists the levels in', () => {
    const levels = [level(1920, 1080, 5_000_000), level(854, 480, 1_200_000), level(640, 360, 700_000)];
    expect(startLevelFor(levels)).toBe(2);
  });

  it('falls back to the cheapest level when none reaches 360p', () => {
    expect(startLevelFor([level(320, 180, 250_000), level(426, 240, 200_000)])).toBe(1);
  });

  it('reads 360p as the short side, so portrait phone videos start low too', () => {
    expect(shortSide({ width: 360, height: 640 })).toBe(360);
    expect(startLevelFor([level(720, 1280, 2_000_000), level(360, 640, 600_000)])).toBe(1);
  });

  it('answers 0 for an empty list', () => {
    expect(startLevelFor([])).toBe(0);
  });
});

describe('keyboard shortcuts', () => {
  it.each([
    [' ', 'toggle'],
    ['k', 'toggle'],
    ['K', 'toggle'],
    ['f', 'fullscreen'],
    ['m', 'mute'],
  ])('%j → %s', (key, type) => expect(actionForKey(key)?.type).toBe(type));

  it('seeks 10 s with ←/→ and changes the volume by a tenth with ↑/↓', () => {
    expect(actionForKey('ArrowLeft')).toEqual({ type: 'seekBy', seconds: -10 });
    expect(actionForKey('ArrowRight')).toEqual({ type: 'seekBy', seconds: 10 });
    expect(actionForKey('ArrowUp')).toEqual({ type: 'volumeBy', delta: 0.1 });
    expect(actionForKey('ArrowDown')).toEqual({ type: 'volumeBy', delta: -0.1 });
  });

  it('leaves other keys to the page', () => {
    expect(actionForKey('Tab')).toBeNull();
    expect(actionForKey('Enter')).toBeNull();
  });

  it('moves the seek slider in 10 s steps, a minute with Page keys, and clamps at the ends', () => {
    expect(seekTargetForKey('ArrowRight', 30, 100)).toBe(40);
    expect(seekTargetForKey('ArrowDown', 5, 100)).toBe(0);
    expect(seekTargetForKey('PageUp', 70, 100)).toBe(100);
    expect(seekTargetForKey('Home', 70, 100)).toBe(0);
    expect(seekTargetForKey('End', 70, 100)).toBe(100);
    expect(seekTargetForKey('a', 70, 100)).toBeNull();
  });
});

describe('resumeOffer', () => {
  it.each([
    [0, 600, null],
    [4, 600, null],
    [754.6, 3600, 754],
    [597, 600, null],
    [120, 0, 120],
    [Number.NaN, 600, null],
  ])('resume at %p of %p → %p', (position, duration, expected) => expect(resumeOffer(position, duration)).toBe(expected));
});

describe('PlayedSpans', () => {
  it('reports what was played since the last take, then continues from there', () => {
    const spans = new PlayedSpans();
    for (const t of [0, 0.25, 0.5, 1, 2, 3]) spans.advance(t);
    expect(spans.take()).toEqual([[0, 3]]);
    spans.advance(3.5);
    spans.advance(4);
    expect(spans.take()).toEqual([[3, 4]]);
    expect(spans.take()).toEqual([]);
  });

  it('closes the span at a seek and starts a new one where playback lands', () => {
    const spans = new PlayedSpans();
    spans.advance(10);
    spans.advance(12);
    spans.stop();
    spans.advance(100);
    spans.advance(101.5);
    expect(spans.take()).toEqual([
      [10, 12],
      [100, 101.5],
    ]);
  });

  it('does not count a jump without a seek event, nor time running backwards', () => {
    const spans = new PlayedSpans();
    spans.advance(0);
    spans.advance(1);
    spans.advance(60);
    spans.advance(61);
    spans.advance(30);
    spans.advance(31);
    expect(spans.take()).toEqual([
      [0, 1],
      [60, 61],
      [30, 31],
    ]);
  });

  it('ignores empty spans and non-finite positions', () => {
    const spans = new PlayedSpans();
    spans.advance(5);
    spans.stop();
    spans.advance(Number.NaN);
    expect(spans.take()).toEqual([]);
  });
});

describe('fullscreenForTurn', () => {
  const facts = { landscape: true, shortSide: 390, playing: true, fullscreen: false, enteredByTurn: false };
  it.each<[string, Partial<typeof facts>, 'enter' | 'exit' | null]>([
    ['a phone turned to landscape while playing fills the screen', {}, 'enter'],
    ['not while paused', { playing: false }, null],
    ['not when already full screen', { fullscreen: true }, null],
    ['not on a tablet or desktop window', { shortSide: 800 }, null],
    ['back to portrait leaves the full screen the turn entered', { landscape: false, fullscreen: true, enteredByTurn: true }, 'exit'],
    ['back to portrait keeps a full screen chosen with the button', { landscape: false, fullscreen: true, enteredByTurn: false }, null],
    ['portrait and not full screen: nothing', { landscape: false }, null],
  ])('%s', (_name, change, expected) => {
    expect(fullscreenForTurn({ ...facts, ...change })).toBe(expected);
  });
});

describe('chooseEngine', () => {
  it.each<[boolean, string, string]>([
    [true, '', 'hls.js'],
    [true, 'maybe', 'hls.js'],
    [false, 'maybe', 'native'],
    [false, 'probably', 'native'],
    [false, '', 'none'],
  ])('hls.js supported %s, canPlayType "%s": %s', (hls, native, expected) => {
    expect(chooseEngine(hls, native)).toBe(expected);
  });
});
