import { Inject, Injectable, Logger, Optional, type OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isConcurrencyConflict } from '#platform';
import type { Heartbeat } from '#watch';
import { PLAYBACK_OPTIONS, type PlaybackOptions } from '../playback/playback.service.js';
import { ATTENTION_OPTIONS, attentionOptionsFrom, checkinDraw, type AttentionOptions } from './attention-options.js';
import {
  creditSessionGroup,
  type AttentionContext,
  HeartbeatRejection,
  type HeartbeatAnswer,
  type HeartbeatOutcome,
  type SessionWrite,
} from './heartbeat-batch.js';
import { COMMIT_CONNECTIONS, HeartbeatRepository } from './heartbeat.repository.js';
import { LiveSessionCache } from './live-session-cache.js';
import { heartbeatBatchCommitSeconds, heartbeatBatchSize, heartbeatsFlagged } from './heartbeat-metrics.js';

interface Pending {
  heartbeat: Heartbeat;
  /** Times this heartbeat's session was found changed at commit and read again. */
  retries: number;
  resolve(answer: HeartbeatAnswer): void;
  reject(error: unknown): void;
}

const MAX_BATCH = 500;
// A session that keeps changing under us is almost certainly being written by another process at the same time.
const MAX_RETRIES = 3;
/** Batches committing at once, each on its own connection. */
const MAX_BATCHES_IN_FLIGHT = COMMIT_CONNECTIONS;
/**
 * While one batch commits, the next starts only once this many heartbeats wait: a second commit
 * of a handful of rows would cost PostgreSQL nearly as much as a full one and save no one time.
 */
const MIN_OVERLAPPING_BATCH = 24;
/** …or once the oldest of fewer has waited this long, so a slow commit holds no one else up for long. */
const MAX_HOLD_MS = 20;

/**
 * Heartbeat ingest with group commit. Heartbeats that arrive together are credited against the
 * sessions' last committed state (kept in memory, read once per session) and written in a single
 * statement; each is answered only after that commit, so an answered heartbeat's credit survives a
 * crash and nothing is credited twice. The write is a compare-and-set on the session and progress
 * rows, so the cache can never make the database wrong: a stale entry is read again and retried.
 *
 * Up to two batches commit at once, so PostgreSQL writes one while this process answers the other's
 * members and reads the next requests. A session, and a member, is in at most one of them: a
 * heartbeat whose session is already committing waits for the next batch.
 */
@Injectable()
export class HeartbeatIngestService implements OnModuleDestroy {
  private readonly logger = new Logger(HeartbeatIngestService.name);
  private readonly cache = new LiveSessionCache();
  private queue: Pending[] = [];
  private scheduled = false;
  private running = 0;
  /** Armed while heartbeats wait behind a running batch, too few to start another; ends the wait. */
  private holdTimer: NodeJS.Timeout | null = null;
  private holdExpired = false;
  /** Sessions and members of the batches committing now. */
  private readonly busySessions = new Set<string>();
  private readonly busyMembers = new Set<string>();
  /** Sessions changed outside heartbeats while a batch was committing them: read again after it. */
  private readonly forgotten = new Set<string>();

  private readonly attention: AttentionContext;

  constructor(
    private readonly repository: HeartbeatRepository,
    @Inject(PLAYBACK_OPTIONS) playback: PlaybackOptions,
    @Optional() @Inject(ATTENTION_OPTIONS) options: AttentionOptions | null = null,
  ) {
    const { unitSec, graceSec } = options ?? attentionOptionsFrom();
    const key = playback.key;
    this.attention = {
      unitMs: unitSec * 1000,
      graceMs: graceSec * 1000,
      drawFor: (sessionId, n) => checkinDraw(key, sessionId, n),
      newId: randomUUID,
    };
  }

  submit(heartbeat: Heartbeat): Promise<HeartbeatAnswer> {
    return new Promise((resolve, reject) => {
      this.queue.push({ heartbeat, retries: 0, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Forgets what this process holds of a session, after its row was changed outside heartbeats (a
   * check-in answered): the next heartbeat reads it again. Other processes learn it from the compare-and-set.
   */
  forget(sessionId: string): void {
    this.cache.delete(sessionId);
    // A batch committing it now computed from the state before the change: it must not cache its result.
    if (this.busySessions.has(sessionId)) this.forgotten.add(sessionId);
  }

  async onModuleDestroy(): Promise<void> {
    while (this.running > 0 || this.queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    if (this.holdTimer) clearTimeout(this.holdTimer);
  }

  /**
   * Whether another batch should start now: none commits; or one does, and enough wait to be worth
   * a second, or the few that wait have waited MAX_HOLD_MS.
   */
  private wantsBatch(): boolean {
    if (this.queue.length === 0 || this.running >= MAX_BATCHES_IN_FLIGHT) return false;
    return this.running === 0 || this.queue.length >= MIN_OVERLAPPING_BATCH || this.holdExpired;
  }

  /** Starts a batch on the next turn of the event loop when one is wanted; requests of the same tick join it. */
  private schedule(): void {
    if (this.scheduled) return;
    if (!this.wantsBatch()) {
      if (this.queue.length > 0 && this.running < MAX_BATCHES_IN_FLIGHT && !this.holdTimer) {
        this.holdTimer = setTimeout(() => {
          this.holdTimer = null;
          this.holdExpired = true;
          this.schedule();
        }, MAX_HOLD_MS);
      }
      return;
    }
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.wantsBatch()) return;
      this.holdExpired = false;
      if (this.holdTimer) clearTimeout(this.holdTimer);
      this.holdTimer = null;
      const batch = this.takeBatch();
      if (batch.size === 0) return;
      this.running++;
      const ids = [...batch.keys()];
      void this.run(batch).finally(() => {
        this.running--;
        for (const id of ids) {
          this.busySessions.delete(id);
          this.forgotten.delete(id);
        }
        this.schedule();
      });
      // A second batch may be wanted at once (a burst larger than MAX_BATCH).
      this.schedule();
    });
  }

  /**
   * Up to MAX_BATCH waiting heartbeats, grouped by session in arrival order. Heartbeats of a
   * session or member that another batch is committing stay queued, in their order.
   */
  private takeBatch(): Map<string, Pending[]> {
    const batch = new Map<string, Pending[]>();
    const left: Pending[] = [];
    let taken = 0;
    for (const pending of this.queue) {
      const id = pending.heartbeat.sessionId;
      const group = batch.get(id);
      if (group) {
        group.push(pending);
        taken++;
      } else if (taken < MAX_BATCH && !this.isBusy(id)) {
        batch.set(id, [pending]);
        this.busySessions.add(id);
        taken++;
      } else left.push(pending);
    }
    this.queue = left;
    return batch;
  }

  private isBusy(sessionId: string): boolean {
    if (this.busySessions.has(sessionId)) return true;
    const userId = this.cache.peek(sessionId)?.userId;
    return userId !== undefined && this.busyMembers.has(userId);
  }

  private async run(batch: Map<string, Pending[]>): Promise<void> {
    heartbeatBatchSize.observe([...batch.values()].reduce((sum, group) => sum + group.length, 0));
    try {
      const unknown = [...batch.keys()].filter((id) => !this.cache.has(id));
      if (unknown.length > 0) for (const session of await this.repository.load(unknown)) this.cache.set(session);
    } catch (error) {
      this.fail(batch.values(), error);
      return;
    }

    const nowMs = Date.now();
    const writes: Array<{ write: SessionWrite; group: Pending[]; outcomes: HeartbeatOutcome[] }> = [];
    const members: string[] = [];
    for (const [id, group] of batch) {
      const session = this.cache.get(id);
      const { outcomes, write } = creditSessionGroup(
        session,
        group.map((p) => p.heartbeat),
        nowMs,
        this.attention,
      );
      if (!write) {
        settle(group, outcomes);
        continue;
      }
      // Two sessions of one member (a new screen opened while the old one's heartbeats wait) would
      // both aim at one progress row; the later waits for the next batch, where the CAS settles it.
      if (this.busyMembers.has(write.after.userId)) {
        this.requeue(group, false);
        continue;
      }
      this.busyMembers.add(write.after.userId);
      members.push(write.after.userId);
      if (write.suspicious > 0) this.logger.warn(`session ${id} claimed media faster than real time (${write.suspicious}×)`);
      writes.push({ write, group, outcomes });
    }
    if (writes.length === 0) return;
    try {
      await this.commitAndSettle(writes);
    } finally {
      for (const userId of members) this.busyMembers.delete(userId);
    }
  }

  private async commitAndSettle(writes: Array<{ write: SessionWrite; group: Pending[]; outcomes: HeartbeatOutcome[] }>): Promise<void> {
    let outcome: CommitOutcome;
    const committing = heartbeatBatchCommitSeconds.startTimer();
    try {
      outcome = {
        applied: await this.repository.commit(writes.map((w) => w.write)),
        failed: new Map(),
      };
      committing();
    } catch (error) {
      if (isConcurrencyConflict(error)) {
        // PostgreSQL rolled the whole statement back to break a lock cycle (or a serialization
        // conflict): nothing was written, so each session is read again and tried in a later batch.
        this.logger.warn(`heartbeat batch of ${writes.length} sessions met a concurrent write and is retried: ${(error as Error).message}`);
        for (const { write, group } of writes) {
          this.cache.delete(write.after.id);
          this.requeue(group, true);
        }
        return;
      }
      this.logger.error(`heartbeat batch of ${writes.length} sessions failed: ${(error as Error).message}`);
      if (writes.length === 1 || !isRowError(error)) {
        this.fail(
          writes.map((w) => w.group),
          error,
        );
        return;
      }
      // Commit them one by one, so one bad row cannot keep failing everyone else's heartbeats.
      outcome = await this.commitEach(writes.map((w) => w.write));
    }
    for (const { write, group, outcomes } of writes) {
      const id = write.after.id;
      if (outcome.applied.has(id)) {
        if (this.forgotten.delete(id)) this.cache.delete(id);
        else this.cache.set(write.after);
        heartbeatsFlagged.inc(write.suspicious);
        settle(group, outcomes);
      } else if (outcome.failed.has(id)) {
        this.fail([group], outcome.failed.get(id));
      } else {
        this.cache.delete(id);
        this.requeue(group, true);
      }
    }
  }

  private async commitEach(writes: SessionWrite[]): Promise<CommitOutcome> {
    const outcome: CommitOutcome = { applied: new Set(), failed: new Map() };
    for (const write of writes) {
      try {
        for (const id of await this.repository.commit([write])) outcome.applied.add(id);
      } catch (error) {
        // Read it again next time: whatever made it fail may be in its cached state.
        this.cache.delete(write.after.id);
        // Left out of both sets, a session that met a concurrent write is read again and retried.
        if (isConcurrencyConflict(error)) continue;
        this.logger.error(`heartbeats of session ${write.after.id} could not be saved: ${(error as Error).message}`);
        outcome.failed.set(write.after.id, error);
      }
    }
    return outcome;
  }

  /** Puts a session's heartbeats back at the front of the queue, in their order. */
  private requeue(group: Pending[], stale: boolean): void {
    const again: Pending[] = [];
    for (const pending of group) {
      if (stale && ++pending.retries > MAX_RETRIES) {
        pending.reject(
          new HeartbeatRejection(503, 'This session changed while its study time was being saved; the player will send it again.'),
        );
      } else again.push(pending);
    }
    this.queue.unshift(...again);
    this.schedule();
  }

  private fail(groups: Iterable<Pending[]>, error: unknown): void {
    for (const group of groups) for (const pending of group) pending.reject(error);
  }
}

interface CommitOutcome {
  applied: Set<string>;
  failed: Map<string, unknown>;
}

/** PostgreSQL refused the data itself (SQLSTATE classes 22, 23, 40), as opposed to being unreachable. */
function isRowError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(22|23|40)[0-9A-Z]{3}$/.test(code);
}

function settle(group: Pending[], outcomes: HeartbeatOutcome[]): void {
  group.forEach((pending, i) => {
    const outcome = outcomes[i];
    if (outcome instanceof HeartbeatRejection) pending.reject(outcome);
    else pending.resolve(outcome);
  });
}
