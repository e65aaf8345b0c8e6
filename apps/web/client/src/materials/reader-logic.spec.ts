import { describe, expect, it } from '@jest/globals';
import { clampPage, pageSize, pageWindow, readMinutesInput, stepZoom, visibleSeconds } from './reader-logic.js';

describe('pageWindow', () => {
  it.each([
    [1, 1, 1, [1]],
    [1, 12, 1, [1, 2]],
    [3, 12, 1, [2, 3, 4]],
    [12, 12, 1, [11, 12]],
    [50, 100, 2, [48, 49, 50, 51, 52]],
    [0, 5, 1, [1, 2]],
    [99, 5, 1, [4, 5]],
    [3, 0, 1, []],
  ])('page %i of %i, radius %i → %j', (current, total, radius, pages) => {
    expect(pageWindow(current, total, radius)).toEqual(pages);
  });

  it('never draws more than 2 × radius + 1 pages of a long document', () => {
    for (let page = 1; page <= 100; page += 1) expect(pageWindow(page, 100, 1).length).toBeLessThanOrEqual(3);
  });
});

describe('clampPage', () => {
  it.each([
    [Number.NaN, 5, 1],
    [2.7, 5, 2],
    [-1, 5, 1],
    [9, 5, 5],
  ])('%p of %i → %i', (page, total, expected) => expect(clampPage(page, total)).toBe(expected));
});

describe('stepZoom', () => {
  it.each([
    [1, 1, 1.25],
    [1, -1, 1],
    [3, 1, 3],
    [2, -1, 1.5],
    [1.1, 1, 1.5],
  ] as const)('%p %p → %p', (zoom, direction, expected) => expect(stepZoom(zoom, direction)).toBe(expected));
});

describe('pageSize', () => {
  it('fits an A4 page to a 390 px phone at its pixel ratio', () => {
    const size = pageSize(595, 842, 358, 1, 3);
    expect(size.cssWidth).toBe(358);
    expect(size.cssHeight).toBe(Math.round(842 * (358 / 595)));
    expect(size.pixelWidth).toBe(358 * 3);
    expect(size.scale).toBeCloseTo((358 / 595) * 3, 9);
  });

  it('doubles the width at zoom 2 and caps huge canvases', () => {
    expect(pageSize(595, 842, 358, 2, 1).cssWidth).toBe(716);
    const huge = pageSize(595, 842, 2000, 3, 3);
    expect(huge.pixelWidth * huge.pixelHeight).toBeLessThanOrEqual(16_000_000 * 1.01);
  });
});

describe('visibleSeconds', () => {
  it.each([
    [0, 0],
    [-5, 0],
    [Number.NaN, 0],
    [30_999, 30],
    [600_000, 120],
  ])('%p ms → %p s', (ms, seconds) => expect(visibleSeconds(ms)).toBe(seconds));
});

describe('readMinutesInput', () => {
  it.each([
    ['', null],
    ['  ', null],
    ['10', 10],
    [' 600 ', 600],
    ['0', 'invalid'],
    ['601', 'invalid'],
    ['1.5', 'invalid'],
    ['abc', 'invalid'],
  ] as const)('%p → %p', (text, expected) => expect(readMinutesInput(text)).toBe(expected));
});
