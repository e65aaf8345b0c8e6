import { creditHeartbeat, resolvePolicy, type CreditPolicy, type CreditState } from './crediting.js';
import { normalizeMs, secToMs, msToSec, fromMs, type Interval, type MsInterval } from './intervals.js';

/**
 * Collective viewing: a lecture played on a study site's screen, with members checked in and out of
 * the room. The screen's heartbeats are bounded by the server's clock exactly as a single viewer's
 * (`creditHeartbeat`'s allowance and seq window); each accepted heartbeat becomes a *play*: the
 * server-time window it covers and the media it played there, in play order. A member is entitled to
 * the part of each play that was played while they were present, in proportion to the wall time
 * they were present in its window:
 *
 * - the play's media, in play order, is laid along its window at an even rate: wall instant `t` maps
 *   to media offset `f(t) = ⌊(t − from) · M / W⌋` ms (M: media ms, W: window ms), so `f(from) = 0`
 *   and `f(to) = M`;
 * - a period of presence `[a, b)` clipped to the window earns the media between offsets `f(a)` and
 *   `f(b)`.
 *
 * Because `f` is monotone and the offsets are taken at the boundaries only, presence split into
 * pieces earns exactly what it earns whole, two members present at disjoint times earn disjoint
 * media, a longer presence never earns less, and the whole window earns the whole play. A play's
 * media never exceeds its window + the screen's carried allowance, so neither does anyone's share.
 * Everything is on whole milliseconds, as in `intervals.ts`.
 */

/** One accepted heartbeat of the screen: server-time window `[fromMs, toMs)` and the media played in it, in play order. */
export interface ScreenPlay {
  fromMs: number;
  toMs: number;
  intervals: readonly Interval[];
}

/** A member's period in the room, server time; `toMs` null while still present. */
export interface PresencePeriod {
  fromMs: number;
  toMs: number | null;
}

/**
 * The pieces of `list` in the order given, each without what an earlier piece already played (a
 * screen that seeks back within one heartbeat plays those seconds once for the room's purposes).
 * Empty, reversed and non-finite pieces are dropped; endpoints are snapped to whole ms.
 */
export function playOrderMs(list: readonly Interval[]): MsInterval[] {
  const result: MsInterval[] = [];
  let seen: MsInterval[] = [];
  for (const piece of list) {
    const fresh = subtractMs(normalizeMs([piece]), seen);
    result.push(...fresh);
    if (fresh.length > 0) seen = mergeMs([...seen, ...fresh]);
  }
  return result;
}

function subtractMs(a: readonly MsInterval[], b: readonly MsInterval[]): MsInterval[] {
  const result: MsInterval[] = [];
  for (const [startMs, endMs] of a) {
    let cursor = startMs;
    for (const [cutStart, cutEnd] of b) {
      if (cutEnd <= cursor || cutStart >= endMs) continue;
      if (cutStart > cursor) result.push([cursor, cutStart]);
      cursor = Math.max(cursor, cutEnd);
    }
    if (cursor < endMs) result.push([cursor, endMs]);
  }
  return result;
}

/** The first `maxSec` seconds of `list` in play order (not media order), without repeats. */
export function takeInPlayOrder(list: readonly Interval[], maxSec: number): Interval[] {
  let budgetMs = Math.max(0, secToMs(maxSec));
  const result: MsInterval[] = [];
  for (const [startMs, endMs] of playOrderMs(list)) {
    if (budgetMs <= 0) break;
    const takeMs = Math.min(endMs - startMs, budgetMs);
    result.push([startMs, startMs + takeMs]);
    budgetMs -= takeMs;
  }
  return fromMs(result);
}

/** Whole-ms intervals sorted and merged (overlapping or adjacent), as `normalizeMs` does for seconds. */
function mergeMs(list: readonly MsInterval[]): MsInterval[] {
  const sorted = list.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = merged.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

/** Presence as sorted, disjoint wall-time ms intervals (`Infinity` for an open end). */
function presenceMs(presence: readonly PresencePeriod[]): Array<[number, number]> {
  const snapped: Array<[number, number]> = [];
  for (const { fromMs, toMs } of presence) {
    if (!Number.isFinite(fromMs)) continue;
    const from = Math.round(fromMs);
    const to = toMs === null ? Infinity : Number.isFinite(toMs) ? Math.round(toMs) : toMs > 0 ? Infinity : -Infinity;
    if (to > from) snapped.push([from, to]);
  }
  snapped.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [from, to] of snapped) {
    const last = merged.at(-1);
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

/** Media offsets `[start, end)` (ms, along the play in play order) back to media intervals. */
function offsetsToMedia(pieces: readonly MsInterval[], ranges: ReadonlyArray<readonly [number, number]>): MsInterval[] {
  const result: MsInterval[] = [];
  for (const [startOffset, endOffset] of ranges) {
    let cumulative = 0;
    for (const [startMs, endMs] of pieces) {
      const length = endMs - startMs;
      const lo = Math.max(startOffset, cumulative);
      const hi = Math.min(endOffset, cumulative + length);
      if (hi > lo) result.push([startMs + (lo - cumulative), startMs + (hi - cumulative)]);
      cumulative += length;
      if (cumulative >= endOffset) break;
    }
  }
  return result;
}

/** A play ready to be shared: its window and its media in play order, on whole ms; reused for every attendee. */
export interface PreparedPlay {
  readonly from: number;
  readonly to: number;
  readonly pieces: readonly MsInterval[];
  readonly mediaMs: number;
}

/** Prepares the screen's plays once per heartbeat, for all attendees; plays with no media are left out. */
export function preparePlays(plays: readonly ScreenPlay[]): PreparedPlay[] {
  const prepared: PreparedPlay[] = [];
  for (const play of plays) {
    if (!Number.isFinite(play.fromMs) || !Number.isFinite(play.toMs)) continue;
    const pieces = playOrderMs(play.intervals);
    const mediaMs = pieces.reduce((sum, [s, e]) => sum + (e - s), 0);
    if (mediaMs === 0) continue;
    const from = Math.round(play.fromMs);
    prepared.push({ from, to: Math.max(from, Math.round(play.toMs)), pieces, mediaMs });
  }
  return prepared;
}

/** One play's share for presence already merged into wall-time ms periods, appended to `out` (unsorted). */
function shareInto(play: PreparedPlay, periods: ReadonlyArray<readonly [number, number]>, out: MsInterval[]): void {
  const { from, to, pieces, mediaMs } = play;
  const windowMs = to - from;
  if (windowMs === 0) {
    // An instant's play (its media came from carried allowance): everyone present at that instant shares it.
    if (periods.some(([a, b]) => a <= from && from < b)) out.push(...pieces);
    return;
  }
  const offset = (t: number) => (t >= to ? mediaMs : Math.min(mediaMs, Math.floor(((t - from) * mediaMs) / windowMs)));
  const ranges: Array<[number, number]> = [];
  for (const [a, b] of periods) {
    const lo = Math.max(a, from);
    const hi = Math.min(b, to);
    if (hi <= lo) continue;
    const start = offset(lo);
    const end = offset(hi);
    if (end > start) ranges.push([start, end]);
  }
  if (ranges.length > 0) out.push(...offsetsToMedia(pieces, ranges));
}

/** The media of one play a member with this presence is entitled to (sorted, merged). */
export function playShare(play: ScreenPlay, presence: readonly PresencePeriod[]): Interval[] {
  const out: MsInterval[] = [];
  for (const prepared of preparePlays([play])) shareInto(prepared, presenceMs(presence), out);
  return fromMs(mergeMs(out));
}

/**
 * Everything a member with this presence is entitled to from all the screen's plays: the union of their shares.
 * `plays` may be prepared once (`preparePlays`) and reused for every attendee.
 */
export function entitledMedia(plays: readonly ScreenPlay[] | readonly PreparedPlay[], presence: readonly PresencePeriod[]): Interval[] {
  const prepared =
    plays.length > 0 && 'pieces' in plays[0]! ? (plays as readonly PreparedPlay[]) : preparePlays(plays as readonly ScreenPlay[]);
  const periods = presenceMs(presence);
  const out: MsInterval[] = [];
  if (periods.length === 0) return [];
  const first = periods[0]![0];
  const last = periods.at(-1)![1];
  for (const play of prepared) {
    // Plays wholly outside the member's time in the room share nothing with them.
    if (play.to < first || play.from >= last) continue;
    shareInto(play, periods, out);
  }
  return fromMs(mergeMs(out));
}

/** Wall time (ms) a member was present inside `[fromMs, toMs)`. */
export function presentMsWithin(presence: readonly PresencePeriod[], fromMs: number, toMs: number): number {
  let total = 0;
  for (const [a, b] of presenceMs(presence)) {
    const lo = Math.max(a, Math.round(fromMs));
    const hi = Math.min(b, Math.round(toMs));
    if (hi > lo) total += hi - lo;
  }
  return total;
}

/** The screen's heartbeat state, as `group_sessions` keeps it. */
export interface ScreenState {
  lectureDurationSec: number;
  /** Server time (ms) of the latest accepted heartbeat, or when the screen started. */
  clockMs: number;
  carryMs: number;
  lastSeq: number | null;
  seenMask: number;
  positionSec: number;
  playedSec: number;
}

export interface ScreenBeat {
  seq: number;
  intervals: readonly Interval[];
  position: number;
}

export type ScreenBeatResult =
  | { replay: true; state: ScreenState }
  | {
      replay: false;
      /** The play to record: its window and the media accepted in it, in play order. */
      play: ScreenPlay;
      playedSec: number;
      suspicious: boolean;
      state: ScreenState;
    };

/**
 * One screen heartbeat against the server's clock, by the single viewer's rules: the same seq window,
 * and played media ≤ wall time since the last accepted heartbeat + the carried allowance. The screen
 * keeps no coverage of its own (a room may watch a part again for latecomers), so only the clock bounds
 * it, and media is accepted in play order. The play's window is the last `played` ms before now, never
 * before the previous heartbeat: a screen paused for five minutes and then played for ten seconds played
 * those ten seconds at the end of the gap, not spread over it.
 */
export function acceptScreenBeat(
  state: ScreenState,
  beat: ScreenBeat,
  nowMs: number,
  options: Partial<CreditPolicy> = {},
): ScreenBeatResult {
  const policy = resolvePolicy(options);
  const durationSec = Number.isFinite(state.lectureDurationSec) ? Math.max(0, state.lectureDurationSec) : 0;
  const creditState: CreditState = {
    coverage: [],
    lectureDurationSec: durationSec,
    creditedSec: 0,
    position: state.positionSec,
    clockMs: state.clockMs,
    carryMs: state.carryMs,
    lastSeq: state.lastSeq,
    seenMask: state.seenMask,
  };
  const clamped = beat.intervals
    .map(([s, e]) => [Math.max(0, s), Math.min(e, durationSec)] as const)
    .filter(([s, e]) => Number.isFinite(s) && Number.isFinite(e) && e > s);
  const result = creditHeartbeat(
    creditState,
    { seq: beat.seq, intervals: clamped, position: beat.position, visible: true, muted: false },
    nowMs,
    policy,
  );
  if (result.replay) return { replay: true, state };
  const media = takeInPlayOrder(clamped, result.creditedSec);
  const playedMs = secToMs(result.creditedSec);
  const toMs = result.state.clockMs;
  const fromMsAt = Math.min(toMs, Math.max(state.clockMs, toMs - playedMs));
  return {
    replay: false,
    play: { fromMs: fromMsAt, toMs, intervals: media },
    playedSec: result.creditedSec,
    suspicious: result.suspicious,
    state: {
      lectureDurationSec: state.lectureDurationSec,
      clockMs: result.state.clockMs,
      carryMs: result.state.carryMs,
      lastSeq: result.state.lastSeq,
      seenMask: result.state.seenMask,
      positionSec: result.position,
      playedSec: msToSec(secToMs(state.playedSec) + playedMs),
    },
  };
}
