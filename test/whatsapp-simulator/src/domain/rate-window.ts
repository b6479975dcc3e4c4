/**
 * Admission over a sliding window: at most `limit` admissions in any `windowMs`, which is how Meta
 * words its throughput limit ("messages per second", not per calendar second). A ring of the last
 * `limit` admission times makes each decision O(1): when the ring is full, its oldest entry says
 * whether the window has room.
 */
export class SlidingWindowLimiter {
  readonly limit: number;
  readonly windowMs: number;
  readonly #stamps: Float64Array;
  #head = 0;
  #count = 0;

  constructor(limit: number, windowMs = 1000) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
    this.limit = limit;
    this.windowMs = windowMs;
    this.#stamps = new Float64Array(limit);
  }

  tryAcquire(nowMs: number): boolean {
    if (this.#count < this.limit) {
      this.#stamps[(this.#head + this.#count) % this.limit] = nowMs;
      this.#count += 1;
      return true;
    }
    if (nowMs - this.#stamps[this.#head]! < this.windowMs) return false;
    this.#stamps[this.#head] = nowMs;
    this.#head = (this.#head + 1) % this.limit;
    return true;
  }
}

/**
 * The highest number of events seen in any `windowMs`, measured as they happen: what the statistics
 * report as "max sends in any one-second window", so a test can check a sender's pacing.
 */
export class SlidingPeak {
  readonly windowMs: number;
  #stamps: number[] = [];
  #head = 0;
  #peak = 0;

  constructor(windowMs = 1000) {
    this.windowMs = windowMs;
  }

  record(nowMs: number): void {
    this.#stamps.push(nowMs);
    while (this.#stamps[this.#head]! <= nowMs - this.windowMs) this.#head += 1;
    // Drop the consumed prefix now and then, so the array stays about one window long.
    if (this.#head > 4096 && this.#head * 2 > this.#stamps.length) {
      this.#stamps = this.#stamps.slice(this.#head);
      this.#head = 0;
    }
    this.#peak = Math.max(this.#peak, this.#stamps.length - this.#head);
  }

  get peak(): number {
    return this.#peak;
  }
}
