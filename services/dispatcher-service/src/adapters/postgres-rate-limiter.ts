import type { Sql } from '@ektola/platform/postgres';
import type { RateGate, RateGrant } from '../domain/ports.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The number's token bucket, shared by every replica through dispatch.lease_tokens: time is cut into
 * slots of RATE_SLOT_MS on the database clock, and no run of consecutive slots spanning one second
 * plus RATE_GUARD_MS plus one slot is granted more than WHATSAPP_MPS in total. A send taken from a slot
 * leaves within that slot and reaches Meta within the guard, so no sliding one-second window at Meta
 * sees more than the limit, whichever replicas sent. Each replica leases only what its waiting sends
 * need, one lease in flight at a time; a lease may be for a slot a little ahead, so the query's own
 * latency is not lost. Tokens are handed out only inside their slot, judged conservatively on the
 * local clock (from when the answer arrived plus the slot's offset, until when the question left plus
 * the slot's end), and the sends they pay for must leave inside it too; the guard is for the way to Meta.
 *
 * The limit is the number's mps in dispatch.senders (sender.changed), read by the leasing statement
 * itself so a lower limit holds from the next lease on, on every replica; `defaultMps` applies to a
 * number the projection does not know. Lowering it never lets a window exceed the new limit: every
 * window a grant belongs to is summed against the limit in force at that grant.
 */
export function createPostgresRateLimiter(options: {
  sql: Sql;
  phoneNumberId: string;
  defaultMps: number;
  slotMs: number;
  guardMs: number;
  lookaheadSlots?: number;
  onWait?: (seconds: number) => void;
  onError?: (error: unknown) => void;
}): RateGate {
  const { sql, slotMs } = options;
  const windowSlots = Math.ceil((1000 + options.guardMs) / slotMs) + 1;
  const lookahead = options.lookaheadSlots ?? 4;
  const waiters: Array<{ max: number; grant: (grant: RateGrant) => void }> = [];
  let tokens = 0;
  let validFrom = 0;
  let validUntil = 0;
  let pumping = false;

  const usable = (now = performance.now()) => tokens > 0 && now >= validFrom && now < validUntil;
  const wanted = () => waiters.reduce((sum, waiter) => sum + waiter.max, 0);

  async function pump() {
    if (pumping) return;
    pumping = true;
    try {
      while (waiters.length > 0) {
        const now = performance.now();
        if (usable(now)) {
          const waiter = waiters.shift()!;
          const count = Math.min(tokens, waiter.max);
          tokens -= count;
          waiter.grant({ count, usableUntil: validUntil });
          continue;
        }
        if (tokens > 0 && now < validFrom) {
          await sleep(validFrom - now);
          continue;
        }
        tokens = 0;
        const askedAt = performance.now();
        try {
          // Twice the even share per slot: bursts are allowed, the window sum is what holds the limit.
          const [lease] = await sql<Array<{ granted: number; starts_in_ms: number; ends_in_ms: number }>>`
            with number as (
              select coalesce((select mps from dispatch.senders where phone_number_id = ${options.phoneNumberId}),
                              ${options.defaultMps}) as mps
            ),
            limits as (select mps, greatest(1, ceil(mps * ${slotMs} * 2 / 1000.0))::int as slot_cap from number)
            select granted, starts_in_ms, ends_in_ms
              from limits l,
                   lateral dispatch.lease_tokens(${options.phoneNumberId}, least(${wanted()}, l.slot_cap), l.mps,
                                                 ${slotMs}, ${windowSlots}, l.slot_cap, ${lookahead})`;
          const answeredAt = performance.now();
          const granted = lease?.granted ?? 0;
          if (granted > 0) {
            tokens = granted;
            validFrom = answeredAt + (lease?.starts_in_ms ?? 0);
            validUntil = askedAt + (lease?.ends_in_ms ?? 0);
          } else {
            await sleep(Math.max(1, lease?.ends_in_ms ?? slotMs));
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
    take(max) {
      const started = performance.now();
      return new Promise<RateGrant>((resolve) => {
        waiters.push({
          max: Math.max(1, max),
          grant: (grant) => {
            options.onWait?.((performance.now() - started) / 1000);
            resolve(grant);
          },
        });
        void pump();
      });
    },
  };
}

/** For the simulator and benchmarks only: Meta enforces its limit whether we do or not. */
export const unlimitedRate: RateGate = {
  take: (max) => Promise.resolve({ count: max, usableUntil: Number.POSITIVE_INFINITY }),
};
