export const dayMs = 24 * 60 * 60 * 1000;

/**
 * Meta's messaging limit: how many unique users a business may start conversations with in a moving
 * 24 hours (250, 2,000, 10,000, 100,000 or unlimited). A user messaged again inside the window costs
 * nothing more, and a user who wrote to the business in the last 24 hours does not count at all.
 * Recipients are kept in the order they were last messaged, so expiry only ever looks at the front.
 */
export class MessagingTier {
  readonly limit: number | null;
  readonly #lastMessaged = new Map<string, number>();

  constructor(limit: number | null) {
    this.limit = limit;
  }

  /** True when the business may message `waId` now; records it when so. */
  admit(waId: string, nowMs: number, userInitiated = false): boolean {
    if (this.limit === null || userInitiated) return true;
    this.#expire(nowMs);
    if (this.#lastMessaged.has(waId)) {
      this.#lastMessaged.delete(waId);
      this.#lastMessaged.set(waId, nowMs);
      return true;
    }
    if (this.#lastMessaged.size >= this.limit) return false;
    this.#lastMessaged.set(waId, nowMs);
    return true;
  }

  used(nowMs: number): number {
    this.#expire(nowMs);
    return this.#lastMessaged.size;
  }

  #expire(nowMs: number) {
    for (const [waId, at] of this.#lastMessaged) {
      if (at > nowMs - dayMs) break;
      this.#lastMessaged.delete(waId);
    }
  }
}
