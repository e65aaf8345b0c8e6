/** Per-session token buckets: an honest player beats every ~10 s plus a few events; a flood runs dry. */
export class HeartbeatLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly capacity = 20,
    private readonly refillPerSec = 1,
  ) {}

  /** True when this session may send one more heartbeat now. */
  take(sessionId: string, nowMs: number): boolean {
    const bucket = this.buckets.get(sessionId) ?? { tokens: this.capacity, at: nowMs };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + ((nowMs - bucket.at) / 1000) * this.refillPerSec);
    bucket.at = nowMs;
    if (this.buckets.size > 200_000) this.prune(nowMs);
    this.buckets.set(sessionId, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  private prune(nowMs: number): void {
    const fullAfterMs = (this.capacity / this.refillPerSec) * 1000;
    for (const [id, bucket] of this.buckets) if (nowMs - bucket.at > fullAfterMs) this.buckets.delete(id);
  }
}
