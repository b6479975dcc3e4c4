/**
 * Meta's pair rate limit: about one message every `intervalMs` from one business number to one user,
 * with bursts "borrowed from later quota". A token bucket per pair holding up to `burst` tokens and
 * refilling one per interval is exactly that: `burst` messages at once, then one per interval.
 */
export class PairRateLimit {
  readonly intervalMs: number;
  readonly burst: number;
  readonly #buckets = new Map<string, { tokens: number; atMs: number }>();

  constructor(options: { intervalMs: number; burst: number }) {
    this.intervalMs = options.intervalMs;
    this.burst = Math.max(1, options.burst);
  }

  get enabled(): boolean {
    return this.intervalMs > 0;
  }

  tryAcquire(pair: string, nowMs: number): boolean {
    if (!this.enabled) return true;
    const bucket = this.#buckets.get(pair);
    const tokens = bucket ? Math.min(this.burst, bucket.tokens + (nowMs - bucket.atMs) / this.intervalMs) : this.burst;
    if (tokens < 1) return false;
    this.#buckets.set(pair, { tokens: tokens - 1, atMs: nowMs });
    return true;
  }

  /** Forgets pairs whose bucket has refilled, so memory follows recent traffic, not all traffic. */
  prune(nowMs: number): number {
    let removed = 0;
    for (const [pair, bucket] of this.#buckets) {
      if (bucket.tokens + (nowMs - bucket.atMs) / this.intervalMs >= this.burst) {
        this.#buckets.delete(pair);
        removed += 1;
      }
    }
    return removed;
  }

  get size(): number {
    return this.#buckets.size;
  }
}
