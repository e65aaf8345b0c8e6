import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Heartbeat } from '#watch';
import {
  creditSessionGroup,
  HeartbeatRejection,
  type HeartbeatAnswer,
  type HeartbeatOutcome,
  type SessionWrite,
} from './heartbeat-batch.js';
import { HeartbeatRepository } from './heartbeat.repository.js';
import { LiveSessionCache } from './live-session-cache.js';

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

/**
 * Heartbeat ingest with group commit. Heartbeats that arrive together are credited against the
 * sessions' last committed state (kept in memory, read once per session) and written in a single
 * statement; each is answered only after that commit, so an answered heartbeat's credit survives a
 * crash and nothing is credited twice. The write is a compare-and-set on the session and progress
 * rows, so the cache can never make the database wrong: a stale entry is read again and retried.
 */
@Injectable()
export class HeartbeatIngestService implements OnModuleDestroy {
  private readonly logger = new Logger(HeartbeatIngestService.name);
  private readonly cache = new LiveSessionCache();
  private queue: Pending[] = [];
  private scheduled = false;
  /**
   * One batch at a time: the next gathers everything that arrives while one commits. On two cores
   * this beat 2, 4, 8 and 16 batches at once (fewer, larger statements), and it means no two
   * batches ever hold the same session.
   */
  private running = false;

  constructor(private readonly repository: HeartbeatRepository) {}

  submit(heartbeat: Heartbeat): Promise<HeartbeatAnswer> {
    return new Promise((resolve, reject) => {
      this.queue.push({ heartbeat, retries: 0, resolve, reject });
      this.schedule();
    });
  }

  async onModuleDestroy(): Promise<void> {
    while (this.running || this.queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** Starts a batch on the next turn of the event loop unless one runs; requests of the same tick join it. */
  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.running || this.queue.length === 0) return;
      this.running = true;
      void this.run(this.takeBatch()).finally(() => {
        this.running = false;
        if (this.queue.length > 0) this.schedule();
      });
    });
  }

  /** Up to MAX_BATCH waiting heartbeats, grouped by session in arrival order. */
  private takeBatch(): Map<string, Pending[]> {
    const batch = new Map<string, Pending[]>();
    for (const pending of this.queue.splice(0, MAX_BATCH)) {
      const id = pending.heartbeat.sessionId;
      const group = batch.get(id);
      if (group) group.push(pending);
      else batch.set(id, [pending]);
    }
    return batch;
  }

  private async run(batch: Map<string, Pending[]>): Promise<void> {
    try {
      const unknown = [...batch.keys()].filter((id) => !this.cache.has(id));
      if (unknown.length > 0) for (const session of await this.repository.load(unknown)) this.cache.set(session);
    } catch (error) {
      this.fail(batch.values(), error);
      return;
    }

    const nowMs = Date.now();
    const writes: Array<{ write: SessionWrite; group: Pending[]; outcomes: HeartbeatOutcome[] }> = [];
    const members = new Set<string>();
    for (const [id, group] of batch) {
      const session = this.cache.get(id);
      const { outcomes, write } = creditSessionGroup(
        session,
        group.map((p) => p.heartbeat),
        nowMs,
      );
      if (!write) {
        settle(group, outcomes);
        continue;
      }
      // Two sessions of one member (a new screen opened while the old one's heartbeats wait) would
      // both aim at one progress row; the later waits for the next batch, where the CAS settles it.
      if (members.has(write.after.userId)) {
        this.requeue(group, false);
        continue;
      }
      members.add(write.after.userId);
      if (write.suspicious > 0) this.logger.warn(`session ${id} claimed media faster than real time (${write.suspicious}×)`);
      writes.push({ write, group, outcomes });
    }
    if (writes.length === 0) return;

    let outcome: CommitOutcome;
    try {
      outcome = {
        applied: await this.repository.commit(writes.map((w) => w.write)),
        failed: new Map(),
      };
    } catch (error) {
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
        this.cache.set(write.after);
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
        this.logger.error(`heartbeats of session ${write.after.id} could not be saved: ${(error as Error).message}`);
        outcome.failed.set(write.after.id, error);
        // Read it again next time: whatever made it fail may be in its cached state.
        this.cache.delete(write.after.id);
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
