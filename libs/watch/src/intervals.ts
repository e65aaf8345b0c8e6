/**
 * Half-open media intervals `[start, end)` in seconds.
 *
 * Resolution: every endpoint is snapped to the nearest whole millisecond and all arithmetic
 * (merging, subtracting, measuring) is done on those integer milliseconds. Doubles such as
 * 0.1 + 0.2 therefore never leave slivers like `[0.30000000000000004, 0.3)` behind, sums of
 * lengths are exact, and results are returned as `ms / 1000`, which maps back to the same
 * millisecond when snapped again. Sub-millisecond detail is meaningless for watch time.
 */

/** `[start, end)` in seconds; `start === end` is empty. */
export type Interval = readonly [start: number, end: number];

/** Same shape in integer milliseconds; used inside the lib so nothing re-rounds. */
export type MsInterval = readonly [startMs: number, endMs: number];

const MS_PER_SEC = 1000;

/** Snaps seconds to the millisecond grid the lib works on. */
export function secToMs(sec: number): number {
  return Math.round(sec * MS_PER_SEC);
}

export function msToSec(ms: number): number {
  return ms / MS_PER_SEC;
}

/** Snaps to ms, drops empty/reversed/non-finite pieces, sorts and merges overlapping or adjacent ones. */
export function normalizeMs(list: readonly Interval[]): MsInterval[] {
  const snapped: MsInterval[] = [];
  for (const [start, end] of list) {
    // Non-finite endpoints carry no measurable time, so they are ignored rather than poisoning sums.
    if (!Number.isFinite(start) || !Number.isFinite(end)) continue;
    const startMs = secToMs(start);
    const endMs = secToMs(end);
    if (endMs > startMs) snapped.push([startMs, endMs]);
  }
  snapped.sort((a, b) => a[0] - b[0] || a[1] - b[1]);

  const merged: [number, number][] = [];
  for (const [startMs, endMs] of snapped) {
    const last = merged.at(-1);
    // `<=` merges adjacent pieces too: [0,5) and [5,9) are one stretch of watching.
    if (last && startMs <= last[1]) last[1] = Math.max(last[1], endMs);
    else merged.push([startMs, endMs]);
  }
  return merged;
}

export function fromMs(list: readonly MsInterval[]): Interval[] {
  return list.map(([startMs, endMs]) => [msToSec(startMs), msToSec(endMs)] as const);
}

/** Canonical form: sorted, disjoint, non-adjacent, non-empty, on the millisecond grid. */
export function normalizeIntervals(list: readonly Interval[]): Interval[] {
  return fromMs(normalizeMs(list));
}

export function unionIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  return normalizeIntervals([...a, ...b]);
}

/** Total length in whole milliseconds of the union (overlaps count once). */
export function measureMs(list: readonly Interval[]): number {
  return normalizeMs(list).reduce((sum, [startMs, endMs]) => sum + (endMs - startMs), 0);
}

/** Total length in seconds of the union (overlaps count once). */
export function measure(list: readonly Interval[]): number {
  return msToSec(measureMs(list));
}

/** What of `a` is not in `b`. */
export function subtractIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const remove = normalizeMs(b);
  const result: MsInterval[] = [];
  // Both lists are sorted and disjoint, so one sweep over `remove` per piece of `a` suffices.
  let r = 0;
  for (const [startMs, endMs] of normalizeMs(a)) {
    let cursor = startMs;
    while (r < remove.length && remove[r]![1] <= cursor) r++;
    for (let i = r; i < remove.length && remove[i]![0] < endMs; i++) {
      const [cutStart, cutEnd] = remove[i]!;
      if (cutStart > cursor) result.push([cursor, cutStart]);
      cursor = Math.max(cursor, cutEnd);
    }
    if (cursor < endMs) result.push([cursor, endMs]);
  }
  return fromMs(result);
}

/** Keeps only the parts inside `[min, max)`, e.g. `[0, lectureDuration)`. */
export function clampIntervals(list: readonly Interval[], min: number, max: number): Interval[] {
  const minMs = secToMs(min);
  const maxMs = secToMs(max);
  const result: MsInterval[] = [];
  for (const [startMs, endMs] of normalizeMs(list)) {
    const start = Math.max(startMs, minMs);
    const end = Math.min(endMs, maxMs);
    if (end > start) result.push([start, end]);
  }
  return fromMs(result);
}

/**
 * The earliest (in media order) `maxSec` seconds of the union; used to grow coverage by exactly
 * what was credited when the wall clock cuts a claim short.
 */
export function takeFirstSeconds(list: readonly Interval[], maxSec: number): Interval[] {
  let budgetMs = Math.max(0, secToMs(maxSec));
  const result: MsInterval[] = [];
  for (const [startMs, endMs] of normalizeMs(list)) {
    if (budgetMs <= 0) break;
    const takeMs = Math.min(endMs - startMs, budgetMs);
    result.push([startMs, startMs + takeMs]);
    budgetMs -= takeMs;
  }
  return fromMs(result);
}
