import type { HeartbeatAnswer } from '#contracts';
import type { Interval } from './played-spans.js';
import type { PlaybackEvent } from './playback-events.js';

/**
 * Study-time heartbeats: tells the server which media seconds were played, so it can credit study
 * hours. Every 10 s while playing and at pause, seek and end, over fetch; when the page is hidden,
 * over navigator.sendBeacon (the one request a closing page is sure to get out) — except while sound
 * only plays on: listening with the screen off earns study time, so the page reports on with fetch
 * (keepalive) and reads the answers, which may ask "still listening?" (an attention check-in).
 *
 * A hidden page's timers may be throttled (to once a minute in Chromium after a while), so besides
 * its timer a tick is also sent from the media's own time updates when one is overdue; what played
 * meanwhile goes out whole, in one heartbeat or, past its limits, in the ones that follow at once.
 *
 * The server trusts its own clock, not ours, and credits each media second once; so resending what
 * may already have arrived is harmless, and nothing played is dropped on a network failure: it goes
 * out with the next heartbeat. A heartbeat's seq is its identity: a retry of the same payload keeps
 * it (the server answers a replay with its stored answer), any new content gets the next one.
 */

export const HEARTBEAT_URL = '/api/heartbeats';

export type HeartbeatEventName = 'tick' | 'pause' | 'seek' | 'ended' | 'hide';

export interface HeartbeatSession {
  sessionId: string;
  heartbeatToken: string;
  /** Where the server would offer to resume, as the session was opened. */
  resumePositionSec?: number;
}

export interface HeartbeatPayload {
  sessionId: string;
  token: string;
  seq: number;
  intervals: Array<[number, number]>;
  position: number;
  playbackRate: number;
  /** The page was visible the whole time `intervals` were played. */
  visible: boolean;
  /** Sound only was playing (an audio lecture, or the listening mode): hidden playback of it earns, with check-ins. */
  audio: boolean;
  muted: boolean;
  event: HeartbeatEventName;
}

export type { HeartbeatAnswer };

/** status null: no answer at all (offline, timeout). */
export type SendOutcome = { ok: true; answer: HeartbeatAnswer } | { ok: false; status: number | null };

export interface HeartbeatTransport {
  post(payload: HeartbeatPayload, options: { keepalive: boolean }): Promise<SendOutcome>;
  /** Fire and forget for a page that is going away; false if the browser would not queue it. */
  beacon(payload: HeartbeatPayload): boolean;
}

export interface ReporterCallbacks {
  /** `session`: the one the answered heartbeat was sent under (a check-in it carries is answered with its token). */
  onAnswer(answer: HeartbeatAnswer, session: HeartbeatSession): void;
  /** 409: the member opened this lecture (or another) on another screen; this one stops reporting. */
  onSuperseded(): void;
  /** 403/404/410: the session is gone, refused or ended by inactivity; resolves with a fresh session to continue with. */
  renewSession(): Promise<HeartbeatSession>;
}

export interface ReporterOptions {
  tickMs: number;
  /** A tick this overdue (its timer throttled in a hidden page) is sent from the next time update instead. */
  overdueMs: number;
  /** Seeks come in bursts (holding an arrow key): one heartbeat after the burst settles. */
  seekSettleMs: number;
  /** Waits before retrying after a failure, growing per consecutive failure. */
  retryMs: readonly number[];
  /** Whether the page is visible now (for heartbeats that carry no intervals). */
  pageVisible(): boolean;
}

export const DEFAULT_REPORTER_OPTIONS: ReporterOptions = {
  tickMs: 10_000,
  overdueMs: 15_000,
  seekSettleMs: 1_000,
  retryMs: [3_000, 10_000, 30_000, 60_000],
  pageVisible: () => typeof document === 'undefined' || document.visibilityState === 'visible',
};

/** As the server accepts them. */
const LIMITS = { maxIntervals: 50, maxMediaSec: 24 * 3600, minRate: 0.25, maxRate: 4 };

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, Number.isFinite(value) ? value : min));
const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** Sorted union of intervals; touching ones join (consecutive reports continue each other exactly). */
export function mergeIntervals(...lists: ReadonlyArray<readonly Interval[]>): Array<[number, number]> {
  const all = lists
    .flat()
    .map(([a, b]): [number, number] => [round3(clamp(a, 0, LIMITS.maxMediaSec)), round3(clamp(b, 0, LIMITS.maxMediaSec))])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const [start, end] of all) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1] + 0.001) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

type State = 'active' | 'holding' | 'stopped' | 'disposed';

/**
 * Unsent spans by how they were played. Visible playback earns; so does hidden playback of sound
 * only (guarded by check-ins); hidden video earns nothing and is told only when nothing else is.
 */
type BucketName = 'visibleVideo' | 'visibleAudio' | 'hiddenAudio' | 'hiddenVideo';
const BUCKETS: Record<BucketName, { visible: boolean; audio: boolean }> = {
  visibleVideo: { visible: true, audio: false },
  visibleAudio: { visible: true, audio: true },
  hiddenAudio: { visible: false, audio: true },
  hiddenVideo: { visible: false, audio: false },
};
/** The kinds that earn; hidden video is told only when none of these is pending. */
const EARNING: readonly BucketName[] = ['visibleVideo', 'visibleAudio', 'hiddenAudio'];
const bucketOf = (visible: boolean, audio: boolean): BucketName =>
  visible ? (audio ? 'visibleAudio' : 'visibleVideo') : audio ? 'hiddenAudio' : 'hiddenVideo';
const earns = (payload: HeartbeatPayload) => payload.visible || payload.audio;
const seconds = (spans: ReadonlyArray<readonly [number, number]>) => spans.reduce((sum, [a, b]) => sum + b - a, 0);

const sameContent = (a: HeartbeatPayload, b: HeartbeatPayload) => JSON.stringify({ ...a, seq: 0 }) === JSON.stringify({ ...b, seq: 0 });

export class HeartbeatReporter {
  private session: HeartbeatSession;
  private seq = 0;
  private state: State = 'active';
  /** Played and not yet acknowledged by the server, by how (see BUCKETS). */
  private spans: Record<BucketName, Array<[number, number]>> = { visibleVideo: [], visibleAudio: [], hiddenAudio: [], hiddenVideo: [] };
  private position = 0;
  /** Sound only is playing now (as the latest event said). */
  private audio = false;
  /** When the latest heartbeat went out (or ticking started), for catching up on a throttled tick timer. */
  private lastBeatAt = 0;
  /**
   * Playback has started on this page. Until then the element's position is not the member's (it is 0,
   * or wherever the stream was cued), so nothing is reported: a position is only ever moved by playback,
   * and opening a lecture and leaving it unplayed keeps the saved resume point.
   */
  private reached = false;
  private playbackRate = 1;
  private muted = false;
  private lastSentPosition: number | null = null;
  /** Where the server believes the member is (it offers to resume there); null when unknown. */
  private serverPosition: number | null;
  /** The last payload that got no answer: resent with the same seq if nothing changed since. */
  private failed: HeartbeatPayload | null = null;
  private inFlight: HeartbeatPayload | null = null;
  /** A flush asked for while one was in flight (the latest event wins). */
  private followUp: HeartbeatEventName | null = null;
  /** The last payload left intervals behind (more than one heartbeat takes). */
  private overflow = false;
  private failures = 0;
  private tickTimer: ReturnType<typeof setInterval> | null = null;
  /** The media is playing (ticks are due), whether or not this screen may report right now. */
  private playing = false;
  private seekTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly options: ReporterOptions;

  constructor(
    session: HeartbeatSession,
    private readonly transport: HeartbeatTransport,
    private readonly callbacks: ReporterCallbacks,
    options: Partial<ReporterOptions> = {},
  ) {
    this.session = session;
    this.serverPosition = session.resumePositionSec ?? null;
    this.options = { ...DEFAULT_REPORTER_OPTIONS, ...options };
  }

  get sessionId(): string {
    return this.session.sessionId;
  }

  get stopped(): boolean {
    return this.state === 'stopped' || this.state === 'disposed';
  }

  /** Feeds one event of the player (see observePlayback). */
  record(event: PlaybackEvent): void {
    if (this.state === 'disposed') return;
    if (event.type === 'play' || event.intervals.length > 0) this.reached = true;
    if (!this.reached) return;
    this.position = clamp(event.position, 0, LIMITS.maxMediaSec);
    this.playbackRate = clamp(event.playbackRate, LIMITS.minRate, LIMITS.maxRate);
    this.muted = event.muted;
    this.audio = event.audio;
    if (event.intervals.length > 0) {
      const bucket = bucketOf(event.visible, event.audio);
      this.spans[bucket] = mergeIntervals(this.spans[bucket], event.intervals);
    }
    switch (event.type) {
      case 'play':
        this.playing = true;
        this.startTicking();
        // Starting elsewhere than the server's resume point ("start over", a jump while paused): say so
        // now, so that another screen opened meanwhile does not offer the old position.
        if (this.serverPosition !== null && Math.abs(this.position - this.serverPosition) > 2) this.flush('seek');
        break;
      case 'pause':
        this.playing = false;
        this.stopTicking();
        this.flush('pause');
        break;
      case 'ended':
        this.playing = false;
        this.stopTicking();
        this.flush('ended');
        break;
      case 'seek':
        if (this.seekTimer) clearTimeout(this.seekTimer);
        this.seekTimer = setTimeout(() => {
          this.seekTimer = null;
          this.flush('seek');
        }, this.options.seekSettleMs);
        break;
      case 'hide':
        // Sound only plays on with the screen off, and keeps earning: report now, and read the answer.
        if (this.playing && event.audio) this.flush('hide', true);
        else this.sendBeacon();
        break;
      case 'show':
        // Back on screen after listening: what played hidden goes out now, before visible playback adds up beside it.
        if (this.spans.hiddenAudio.length > 0) this.flush('tick');
        break;
      case 'leave':
        this.sendBeacon();
        break;
      case 'timeupdate':
        // The tick timer of a hidden page may be throttled; the media's time updates are not.
        if (this.tickTimer && Date.now() - this.lastBeatAt >= this.options.overdueMs) this.flush('tick');
        break;
      default:
        break;
    }
  }

  /** Sends what is pending now (unless a request is under way; then right after it). keepalive: the page may be going away. */
  flush(event: HeartbeatEventName, keepalive = false): void {
    if (this.state !== 'active') {
      if (this.state === 'holding') this.followUp = event;
      return;
    }
    if (this.inFlight) {
      this.followUp = event;
      return;
    }
    if (this.seekTimer && event !== 'seek') {
      clearTimeout(this.seekTimer);
      this.seekTimer = null;
    }
    const payload = this.build(event);
    if (!payload) return;
    void this.send(payload, keepalive);
  }

  /** The page is opening a new playback session: hold heartbeats until it arrives (see setSession). */
  hold(): void {
    if (this.state === 'active') this.state = 'holding';
  }

  /** The new session did not come: carry on with the old one. */
  release(): void {
    if (this.state !== 'holding') return;
    this.state = 'active';
    this.flushFollowUp();
  }

  /**
   * The page now plays under another session (a re-open after expiry, or after a 403/404, or the
   * member taking the lecture back to this screen): unsent intervals go out under it, from seq 1.
   */
  setSession(session: HeartbeatSession): void {
    if (this.state === 'disposed') return;
    if (session.sessionId === this.session.sessionId) {
      this.release();
      return;
    }
    this.session = session;
    this.seq = 0;
    this.failed = null;
    this.failures = 0;
    this.lastSentPosition = null;
    this.serverPosition = session.resumePositionSec ?? null;
    this.state = 'active';
    // Back from a 409 while the lecture kept playing: the ticks resume.
    if (this.playing) this.startTicking();
    this.flushFollowUp();
  }

  /** The player goes away (leaving the lecture): report what is left, then stop. */
  dispose(): void {
    if (this.state === 'disposed') return;
    // Even with a request under way: what played since it was built, and where playback got to, would be lost.
    if (this.state === 'active') {
      const payload = this.build('pause');
      if (payload) void this.transport.post(payload, { keepalive: true });
    }
    this.state = 'disposed';
    this.stopTicking();
    for (const timer of [this.seekTimer, this.retryTimer]) if (timer) clearTimeout(timer);
    this.seekTimer = this.retryTimer = null;
  }

  private startTicking(): void {
    if (this.tickTimer || this.state === 'disposed' || this.state === 'stopped') return;
    this.lastBeatAt = Date.now();
    this.tickTimer = setInterval(() => this.flush('tick'), this.options.tickMs);
  }

  private stopTicking(): void {
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.tickTimer = null;
  }

  /** The next payload from what is pending, or null when there is nothing worth sending. */
  private build(event: HeartbeatEventName, extra: readonly HeartbeatPayload[] = []): HeartbeatPayload | null {
    // Nothing played yet: no position worth telling (see `reached`).
    if (!this.reached) return null;
    for (const payload of extra) this.restore(payload);
    // Hidden video earns nothing; it is reported only when there is no other playback to report.
    // Of several kinds pending (around a change of visibility or mode), the longest goes first: the server's
    // allowance is the wall-clock time since the last heartbeat, and what follows at once rides on its carry.
    const earning = EARNING.filter((name) => this.spans[name].length > 0).sort(
      (x, y) => seconds(this.spans[y]) - seconds(this.spans[x]),
    )[0];
    const bucket = earning ?? (this.spans.hiddenVideo.length > 0 ? 'hiddenVideo' : null);
    const { visible, audio } = bucket ? BUCKETS[bucket] : { visible: this.options.pageVisible(), audio: this.audio };
    const pending = bucket ? this.spans[bucket] : [];
    const intervals = pending.slice(0, LIMITS.maxIntervals);
    this.overflow = pending.length > intervals.length || EARNING.some((name) => name !== bucket && this.spans[name].length > 0);
    const moved = this.lastSentPosition === null || Math.abs(this.position - this.lastSentPosition) >= 0.5;
    if (intervals.length === 0 && !moved && event !== 'ended' && !this.failed) return null;

    const payload: HeartbeatPayload = {
      sessionId: this.session.sessionId,
      token: this.session.heartbeatToken,
      seq: 0,
      intervals,
      position: round3(this.position),
      playbackRate: this.playbackRate,
      visible,
      audio,
      muted: this.muted,
      event,
    };
    payload.seq = this.failed && sameContent(this.failed, payload) ? this.failed.seq : ++this.seq;
    // Taken out of the buffers; a failure puts them back (see restore). Hidden video is dropped once
    // earning playback is told instead: it would earn nothing.
    if (bucket) this.spans[bucket] = pending.slice(intervals.length);
    if (earning) this.spans.hiddenVideo = [];
    this.lastBeatAt = Date.now();
    return payload;
  }

  private restore(payload: HeartbeatPayload): void {
    const bucket = bucketOf(payload.visible, payload.audio);
    this.spans[bucket] = mergeIntervals(this.spans[bucket], payload.intervals);
  }

  private async send(payload: HeartbeatPayload, keepalive = false): Promise<void> {
    this.inFlight = payload;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const session = this.session;
    const outcome = await this.transport.post(payload, { keepalive }).catch((): SendOutcome => ({ ok: false, status: null }));
    this.inFlight = null;
    if (this.state === 'disposed') return;
    const stale = payload.sessionId !== this.session.sessionId;

    if (outcome.ok) {
      this.failed = null;
      this.failures = 0;
      this.lastSentPosition = payload.position;
      this.serverPosition = outcome.answer.position;
      this.callbacks.onAnswer(outcome.answer, session);
      // More than one heartbeat's worth of intervals was waiting. (Not merely what played during the
      // request: sent at once, it would find almost no wall-clock time to be credited against.)
      if (!this.followUp && this.overflow && !stale) this.followUp = 'tick';
    } else if (stale && outcome.status !== null && [403, 404, 409, 410].includes(outcome.status)) {
      // Sent under a session the page has since replaced: send it again under the new one.
      this.restore(payload);
      this.followUp ??= payload.event;
    } else if (outcome.status === 409) {
      this.restore(payload);
      this.state = 'stopped';
      this.stopTicking();
      this.callbacks.onSuperseded();
      return;
    } else if (outcome.status === 403 || outcome.status === 404 || outcome.status === 410) {
      // 410: the session ended after minutes without heartbeats (a long pause); a new one counts from now.
      this.restore(payload);
      this.followUp ??= payload.event;
      this.state = 'holding';
      this.callbacks
        .renewSession()
        .then((session) => this.setSession(session))
        .catch(() => {
          // Could not re-open (offline?): try again later with the old session, which will ask again.
          if (this.state !== 'holding') return;
          this.state = 'active';
          this.scheduleRetry();
        });
      return;
    } else if (outcome.status === 400 || outcome.status === 413) {
      // The server will never take this payload; resending it would only loop.
      this.failed = null;
    } else {
      // Offline, timeout, 429, 5xx: keep everything for the next heartbeat.
      this.restore(payload);
      this.failed = payload;
      this.scheduleRetry();
    }
    this.flushFollowUp();
  }

  private flushFollowUp(): void {
    if (this.state !== 'active' || this.inFlight || !this.followUp) return;
    const event = this.followUp;
    this.followUp = null;
    this.flush(event);
  }

  private scheduleRetry(): void {
    // While playing, the next tick is the retry.
    if (this.tickTimer) return;
    const delay = this.options.retryMs[Math.min(this.failures, this.options.retryMs.length - 1)]!;
    this.failures += 1;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.flush(this.failed?.event ?? 'tick');
    }, delay);
  }

  /** The page is being hidden or left: one last report that needs no answer. */
  private sendBeacon(): void {
    if (this.state !== 'active') return;
    if (this.seekTimer) clearTimeout(this.seekTimer);
    this.seekTimer = null;
    // What is in flight may never be answered once the page is gone, so it rides along (credit is given once anyway).
    const inFlight = this.inFlight && earns(this.inFlight) ? [this.inFlight] : [];
    const payload = this.build('hide', inFlight);
    if (!payload) return;
    if (!this.transport.beacon(payload)) void this.transport.post(payload, { keepalive: true });
    this.failed = null;
    this.lastSentPosition = this.serverPosition = payload.position;
  }
}

/** The browser's transport: JSON over fetch, or a text/plain Blob over sendBeacon (the server accepts both). */
export const browserTransport: HeartbeatTransport = {
  async post(payload, { keepalive }) {
    let response: Response;
    try {
      response = await fetch(HEARTBEAT_URL, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(payload),
        keepalive,
        signal: AbortSignal.timeout(15_000),
      });
    } catch {
      return { ok: false, status: null };
    }
    if (!response.ok) return { ok: false, status: response.status };
    try {
      return { ok: true, answer: (await response.json()) as HeartbeatAnswer };
    } catch {
      return { ok: false, status: null };
    }
  },
  beacon(payload) {
    if (typeof navigator.sendBeacon !== 'function') return false;
    return navigator.sendBeacon(HEARTBEAT_URL, new Blob([JSON.stringify(payload)], { type: 'text/plain' }));
  },
};
