import type { AttemptPaper, AttemptResult, MemberAnswer, SaveAnswerInput, SaveAnswerResult } from '#contracts';

/**
 * Keeps a member's answers saved: every change goes to the server at once (typing after a pause), is kept
 * in the browser's storage until the server has it, and is sent again with growing pauses while the
 * connection is down. No DOM here, so the rules can be tested on their own.
 */

export type SaveStatus = 'saved' | 'saving' | 'unsaved';

export interface ItemState {
  answer: MemberAnswer | null;
  /** The server's revision of this answer (0: never saved). */
  revision: number;
  /** null: nothing answered yet and nothing to save. */
  status: SaveStatus | null;
}

/** An answer kept on this device until the server has it. */
export interface LocalAnswer {
  answer: MemberAnswer;
  baseRevision: number;
  /** When it was changed, by the server's clock as this page estimated it (ms). */
  changedAt: number;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  readonly length: number;
  key(index: number): string | null;
}

export interface SyncDeps {
  save(attemptId: string, item: number, input: SaveAnswerInput): Promise<SaveAnswerResult>;
  fetchAttempt(attemptId: string): Promise<AttemptPaper | AttemptResult>;
  /** Why the server refused, e.g. `stale` or `other_device`; null for no answer or a server fault. */
  classify(error: unknown): { kind: 'network' } | { kind: 'refused'; status: number; code: string | null; message: string };
  storage: KeyValueStore | null;
  now(): number;
  setTimer(run: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** What the page must do when the attempt cannot go on here. */
export type SyncStop =
  | { kind: 'other_device'; message: string }
  | { kind: 'finished'; result: AttemptResult }
  | { kind: 'refused'; code: string | null; message: string };

const prefix = 'lectern.examAnswer.';
export const localKey = (attemptId: string, item: number) => `${prefix}${attemptId}.${item}`;

/** Pauses between retries of an unsaved answer: 2 s doubling to 30 s. */
export function retryDelay(failures: number): number {
  return Math.min(30_000, 2_000 * 2 ** Math.max(0, failures - 1));
}

export function sameAnswer(a: MemberAnswer | null, b: MemberAnswer | null): boolean {
  return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}

function normalise(answer: MemberAnswer | null): unknown {
  if (answer && 'keys' in answer) return { keys: [...answer.keys].sort() };
  return answer;
}

/** Whether the member has given any answer at all (an empty text or no key chosen counts as none). */
export function isAnswered(answer: MemberAnswer | null | undefined): boolean {
  if (!answer) return false;
  if ('keys' in answer) return answer.keys.length > 0;
  if ('value' in answer) return typeof answer.value === 'boolean';
  if ('blanks' in answer) return answer.blanks.some((b) => b.trim() !== '');
  return answer.text.trim() !== '';
}

interface Slot extends ItemState {
  inFlight: boolean;
  /** Changed again while a save was on its way. */
  again: boolean;
  timer: unknown;
  failures: number;
  changedAt: number;
}

export class AnswerSync {
  private readonly slots = new Map<number, Slot>();
  private readonly listeners = new Set<() => void>();
  private offsetMs = 0;
  private deadlineMs: number;
  private stopped: SyncStop | null = null;
  private stopListeners = new Set<(stop: SyncStop) => void>();

  constructor(
    readonly attemptId: string,
    paper: AttemptPaper,
    private readonly deps: SyncDeps,
  ) {
    this.deadlineMs = Date.parse(paper.deadlineAt);
    this.adoptClock(paper);
    for (const question of paper.questions) {
      this.slots.set(question.item, {
        answer: null,
        revision: 0,
        status: null,
        inFlight: false,
        again: false,
        timer: null,
        failures: 0,
        changedAt: 0,
      });
    }
    for (const saved of paper.answers) {
      const slot = this.slots.get(saved.item);
      if (slot) Object.assign(slot, { answer: saved.answer, revision: saved.revision, status: 'saved' });
    }
    this.restoreLocal(paper);
  }

  // ---- reading ----

  item(item: number): ItemState {
    const slot = this.slots.get(item);
    return slot ? { answer: slot.answer, revision: slot.revision, status: slot.status } : { answer: null, revision: 0, status: null };
  }

  /** Milliseconds left by the server's clock. */
  remainingMs(): number {
    return Math.max(0, this.deadlineMs - (this.deps.now() + this.offsetMs));
  }

  /** Items whose answers are not on the server yet. */
  unsavedItems(): number[] {
    return [...this.slots.entries()].filter(([, s]) => s.status === 'unsaved' || s.status === 'saving').map(([item]) => item);
  }

  stop(): SyncStop | null {
    return this.stopped;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStop(listener: (stop: SyncStop) => void): () => void {
    this.stopListeners.add(listener);
    return () => this.stopListeners.delete(listener);
  }

  // ---- changing ----

  /** The member changed an answer; it is saved after `debounceMs` (0 for a tap). */
  change(item: number, answer: MemberAnswer, debounceMs = 0): void {
    const slot = this.slots.get(item);
    if (!slot || this.stopped) return;
    slot.answer = answer;
    slot.changedAt = this.deps.now() + this.offsetMs;
    slot.status = 'saving';
    this.keepLocal(item, slot);
    this.schedule(item, slot, debounceMs);
    this.emit();
  }

  /** Sends every unsaved answer now, e.g. when the connection comes back. */
  retryAll(): void {
    for (const [item, slot] of this.slots) {
      if (slot.status === 'unsaved') {
        slot.failures = 0;
        this.schedule(item, slot, 0);
      }
    }
  }

  /** Sends answers still waiting for their pause (before submitting or leaving); resolves when none is on its way. */
  async flushAll(): Promise<void> {
    for (const [item, slot] of this.slots) {
      if (slot.status === 'saving' && !slot.inFlight) this.schedule(item, slot, 0);
    }
    const busy = () => [...this.slots.values()].some((s) => s.status === 'saving');
    for (let i = 0; i < 100 && busy() && !this.stopped; i += 1) {
      await new Promise((resolve) => this.deps.setTimer(() => resolve(null), 50));
    }
  }

  dispose(): void {
    for (const slot of this.slots.values()) if (slot.timer !== null) this.deps.clearTimer(slot.timer);
    this.listeners.clear();
    this.stopListeners.clear();
  }

  /** Forgets what this device kept for the attempt (after it was submitted). */
  clearLocal(): void {
    const storage = this.deps.storage;
    if (!storage) return;
    try {
      const keys: string[] = [];
      for (let i = 0; i < storage.length; i += 1) {
        const key = storage.key(i);
        if (key?.startsWith(`${prefix}${this.attemptId}.`)) keys.push(key);
      }
      keys.forEach((key) => storage.removeItem(key));
    } catch {
      // Storage unavailable: nothing was kept.
    }
  }

  // ---- inside ----

  private schedule(item: number, slot: Slot, ms: number): void {
    if (slot.timer !== null) this.deps.clearTimer(slot.timer);
    slot.timer = this.deps.setTimer(() => {
      slot.timer = null;
      void this.send(item, slot);
    }, ms);
  }

  private async send(item: number, slot: Slot): Promise<void> {
    if (this.stopped || slot.answer === null) return;
    if (slot.inFlight) {
      slot.again = true;
      return;
    }
    const answer = slot.answer;
    slot.inFlight = true;
    slot.again = false;
    slot.status = 'saving';
    this.emit();
    try {
      const saved = await this.deps.save(this.attemptId, item, { answer, baseRevision: slot.revision });
      slot.revision = saved.revision;
      slot.failures = 0;
      this.adoptRemaining(saved.remainingSec);
      if (sameAnswer(slot.answer, answer) && !slot.again) {
        slot.status = 'saved';
        this.dropLocal(item);
      } else {
        this.keepLocal(item, slot);
        this.schedule(item, slot, 0);
      }
    } catch (error) {
      await this.failed(item, slot, error);
    } finally {
      slot.inFlight = false;
      if (slot.again && !this.stopped && slot.timer === null) this.schedule(item, slot, 0);
      this.emit();
    }
  }

  private async failed(item: number, slot: Slot, error: unknown): Promise<void> {
    const reason = this.deps.classify(error);
    if (reason.kind === 'network' || (reason.kind === 'refused' && (reason.status >= 500 || reason.status === 429))) {
      slot.status = 'unsaved';
      slot.failures += 1;
      this.schedule(item, slot, retryDelay(slot.failures));
      return;
    }
    if (reason.code === 'other_device') {
      slot.status = 'unsaved';
      this.halt({ kind: 'other_device', message: reason.message });
      return;
    }
    // Stale, timed out, submitted elsewhere or anything else: the server's attempt says what is true now.
    let fresh: AttemptPaper | AttemptResult;
    try {
      fresh = await this.deps.fetchAttempt(this.attemptId);
    } catch {
      slot.status = 'unsaved';
      slot.failures += 1;
      this.schedule(item, slot, retryDelay(slot.failures));
      return;
    }
    if (!('deadlineAt' in fresh)) {
      slot.status = 'unsaved';
      this.halt({ kind: 'finished', result: fresh });
      return;
    }
    this.adoptClock(fresh);
    if (reason.code !== 'stale') {
      slot.status = 'unsaved';
      this.halt({ kind: 'refused', code: reason.code, message: reason.message });
      return;
    }
    const server = fresh.answers.find((a) => a.item === item);
    slot.revision = server?.revision ?? 0;
    if (server && (sameAnswer(server.answer, slot.answer) || Date.parse(server.savedAt) > slot.changedAt)) {
      // The server already has this answer, or a newer one from this device's other page.
      slot.answer = server.answer;
      slot.status = 'saved';
      this.dropLocal(item);
    } else {
      // This page's answer is newer and never reached the server: it wins.
      this.keepLocal(item, slot);
      this.schedule(item, slot, 0);
    }
  }

  private halt(stop: SyncStop): void {
    if (this.stopped) return;
    this.stopped = stop;
    for (const slot of this.slots.values()) if (slot.timer !== null) this.deps.clearTimer(slot.timer);
    this.stopListeners.forEach((listener) => listener(stop));
  }

  private adoptClock(paper: AttemptPaper): void {
    this.deadlineMs = Date.parse(paper.deadlineAt);
    this.offsetMs = Date.parse(paper.serverNow) - this.deps.now();
  }

  /** A save's whole seconds left: taken only when it disagrees with the clock by more than its rounding. */
  private adoptRemaining(remainingSec: number): void {
    const estimate = this.deadlineMs - remainingSec * 1000 - this.deps.now();
    if (Math.abs(estimate - this.offsetMs) > 2_000) this.offsetMs = estimate;
  }

  /** Answers this device kept but the server does not have (a lost connection, a closed page): newer ones win. */
  private restoreLocal(paper: AttemptPaper): void {
    for (const [item, slot] of this.slots) {
      const local = this.readLocal(item);
      if (!local) continue;
      const server = paper.answers.find((a) => a.item === item);
      if (server && (sameAnswer(server.answer, local.answer) || Date.parse(server.savedAt) >= local.changedAt)) {
        this.dropLocal(item);
        continue;
      }
      slot.answer = local.answer;
      slot.changedAt = local.changedAt;
      slot.status = 'unsaved';
      this.schedule(item, slot, 0);
    }
  }

  private readLocal(item: number): LocalAnswer | null {
    try {
      const raw = this.deps.storage?.getItem(localKey(this.attemptId, item));
      return raw ? (JSON.parse(raw) as LocalAnswer) : null;
    } catch {
      return null;
    }
  }

  private keepLocal(item: number, slot: Slot): void {
    if (!slot.answer) return;
    const value: LocalAnswer = { answer: slot.answer, baseRevision: slot.revision, changedAt: slot.changedAt };
    try {
      this.deps.storage?.setItem(localKey(this.attemptId, item), JSON.stringify(value));
    } catch {
      // Storage full or blocked: the answer is still retried while the page stays open.
    }
  }

  private dropLocal(item: number): void {
    try {
      this.deps.storage?.removeItem(localKey(this.attemptId, item));
    } catch {
      // Nothing kept.
    }
  }

  private emit(): void {
    this.listeners.forEach((listener) => listener());
  }
}
