import type { LiveSession } from './heartbeat-batch.js';

/**
 * The last committed state of recently active playback sessions, so that a heartbeat is credited
 * without reading its session first. Only a cache: every write is checked against the database
 * (compare-and-set), and an entry found stale there is dropped and read again.
 * Bounded; the least recently used entries go first.
 */
export class LiveSessionCache {
  private readonly entries = new Map<string, LiveSession>();

  constructor(private readonly capacity = 100_000) {}

  get size(): number {
    return this.entries.size;
  }

  get(id: string): LiveSession | undefined {
    const entry = this.entries.get(id);
    if (entry) {
      // Re-inserting moves the entry to the end of the Map's order: the most recently used.
      this.entries.delete(id);
      this.entries.set(id, entry);
    }
    return entry;
  }

  set(session: LiveSession): void {
    this.entries.delete(session.id);
    this.entries.set(session.id, session);
    if (this.entries.size > this.capacity) {
      // Evict a tenth at once, so a full cache does not pay for an eviction on every heartbeat.
      let excess = this.entries.size - Math.floor(this.capacity * 0.9);
      for (const id of this.entries.keys()) {
        if (excess-- <= 0) break;
        this.entries.delete(id);
      }
    }
  }

  /** The entry, without counting as a use. */
  peek(id: string): LiveSession | undefined {
    return this.entries.get(id);
  }

  /** Whether the session is known, without counting as a use. */
  has(id: string): boolean {
    return this.entries.has(id);
  }

  delete(id: string): void {
    this.entries.delete(id);
  }
}
