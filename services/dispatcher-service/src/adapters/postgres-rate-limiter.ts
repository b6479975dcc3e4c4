import type { Sql } from '@ektola/platform/postgres';
import type { RateGate } from '../domain/ports.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The number's token bucket, shared by every replica through dispatch.lease_tokens: time is cut into
 * slots of RATE_SLOT_MS on the database clock, and a grant never lets any run of consecutive slots
 * spanning one second plus RATE_GUARD_MS plus one slot exceed WHATSAPP_MPS. Sends taken from a slot
 * reach Meta within that slot plus the guard, so no sliding one-second window at Meta sees more than
 * the limit, whichever replicas sent them. Each replica leases only what its waiting sends need, one
 * lease in flight at a time, and uses a lease only until its slot ends (measured conservatively from
 * before the query left).
 */
export function createPostgresRateLimiter(options: {
  sql: Sql;
  phoneNumberId: string;
  mps: number;
  slotMs: number;
  guardMs: number;
  onWait?: (seconds: number) => void;
  onError?: (error: unknown) => void;
}): RateGate {
  const { sql, slotMs, mps } = options;
  const windowSlots = Math.ceil((1000 + options.guardMs) / slotMs) + 1;
  // Twice the even share per slot: bursts are allowed, the window sum is what holds the limit.
  const slotCap = Math.max(1, Math.ceil(((mps * slotMs) / 1000) * 2));
  const waiters: Array<() => void> = [];
  let tokens = 0;
  let validUntil = 0;
  let pumping = false;

  const usable = () => tokens > 0 && performance.now() < validUntil;

  async function pump() {
    if (pumping) return;
    pumping = true;
    try {
      while (waiters.length > 0) {
        if (usable()) {
          tokens -= 1;
          waiters.shift()!();
          continue;
        }
        tokens = 0;
        const askedAt = performance.now();
        try {
          const [lease] = await sql<Array<{ granted: number; valid_ms: number }>>`
            select granted, valid_ms from dispatch.lease_tokens(${options.phoneNumberId}, ${Math.min(waiters.length, slotCap)},
                                                                 ${mps}, ${slotMs}, ${windowSlots}, ${slotCap})`;
          const granted = lease?.granted ?? 0;
          const validMs = lease?.valid_ms ?? slotMs;
          if (granted > 0) {
            tokens = granted;
            validUntil = askedAt + validMs;
          } else {
            await sleep(Math.max(1, validMs));
          }
        } catch (error) {
          options.onError?.(error);
          await sleep(250);
        }
      }
    } finally {
      pumping = false;
    }
  }

  return {
    acquire() {
      if (waiters.length === 0 && usable()) {
        tokens -= 1;
        options.onWait?.(0);
        return Promise.resolve();
      }
      const started = performance.now();
      return new Promise<void>((resolve) => {
        waiters.push(() => {
          options.onWait?.((performance.now() - started) / 1000);
          resolve();
        });
        void pump();
      });
    },
  };
}

/** For the simulator and benchmarks only: Meta enforces its limit whether we do or not. */
export const unlimitedRate: RateGate = { acquire: () => Promise.resolve() };
