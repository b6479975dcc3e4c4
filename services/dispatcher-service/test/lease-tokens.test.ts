import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '@ektola/platform/postgres';
import { useDispatchDatabase } from './dispatch-database.ts';

/*
 * dispatch.lease_tokens as migration 0012 computes it (one read, sliding sums) grants exactly what the
 * first version (a subquery per window) granted, from any state of the rate slots. Both run on the
 * same state in transactions that are rolled back; an hour-long slot keeps the database clock in one
 * slot for the whole comparison.
 */
const database = useDispatchDatabase('lease_tokens');
let sql: Sql;
const slotMs = 3_600_000;

beforeAll(async () => {
  sql = database();
  const first = /create function lease_tokens\(.*?end \$\$;/s.exec(
    readFileSync(new URL('../migrations/0001_messages.sql', import.meta.url), 'utf8'),
  )![0];
  await sql.unsafe(first.replace('create function lease_tokens(', 'create function dispatch.lease_tokens_first('));
});

interface Lease {
  want: number;
  mps: number;
  windowSlots: number;
  slotCap: number;
  lookahead: number;
  /** Tokens already used, by slot offset from the current slot. */
  used: Array<{ offset: number; used: number }>;
}

const leases = fc
  .record({
    mps: fc.integer({ min: 1, max: 60 }),
    windowSlots: fc.integer({ min: 1, max: 24 }),
    lookahead: fc.integer({ min: 0, max: 5 }),
    want: fc.integer({ min: 1, max: 80 }),
    capFactor: fc.double({ min: 0.05, max: 2, noNaN: true }),
    used: fc.array(fc.record({ offset: fc.integer({ min: -30, max: 35 }), used: fc.integer({ min: 1, max: 30 }) }), {
      maxLength: 40,
    }),
  })
  .map(({ capFactor, used, ...lease }): Lease => ({
    ...lease,
    slotCap: Math.max(1, Math.ceil(lease.mps * capFactor)),
    used: [...new Map(used.map((slot) => [slot.offset, slot])).values()],
  }));

/** What `fn` grants from this state, and the slots after it, all rolled back. */
async function leaseWith(fn: 'lease_tokens' | 'lease_tokens_first', lease: Lease) {
  let outcome: unknown;
  await sql
    .begin(async (tx) => {
      const [now] = await tx<Array<{ slot: string }>>`
        select (floor(extract(epoch from clock_timestamp()) * 1000)::bigint / ${slotMs})::text as slot`;
      const current = BigInt(now!.slot);
      for (const slot of lease.used)
        await tx`insert into dispatch.rate_slots (phone_number_id, slot, used)
                 values ('n1', ${String(current + BigInt(slot.offset))}, ${slot.used})`;
      const [granted] = await tx<Array<{ granted: number }>>`
        select granted from ${tx(`dispatch.${fn}`)}('n1', ${lease.want}, ${lease.mps}, ${slotMs}, ${lease.windowSlots},
                                       ${lease.slotCap}, ${lease.lookahead})`;
      const slots = await tx<Array<{ offset: string; used: number }>>`
        select (slot - ${String(current)})::text as offset, used from dispatch.rate_slots
         where phone_number_id = 'n1' order by slot`;
      outcome = { granted: granted!.granted, slots: slots.map((slot) => `${slot.offset}:${slot.used}`) };
      throw new Error('rolled back');
    })
    .catch((error: Error) => {
      if (error.message !== 'rolled back') throw error;
    });
  return outcome;
}

describe('dispatch.lease_tokens', () => {
  it('when the rate slots hold any tokens already used, then it grants what the first version granted, in the same slot', async () => {
    await fc.assert(
      fc.asyncProperty(leases, async (lease) => {
        expect(await leaseWith('lease_tokens', lease)).toEqual(await leaseWith('lease_tokens_first', lease));
      }),
      { numRuns: 150 },
    );
  });

  it('when a window is full only ahead of the current slot, then the grant stays within it', async () => {
    // Windows of 3 slots at 10 per window: 8 used two slots ahead leaves 2 for the current slot.
    const lease: Lease = {
      want: 10,
      mps: 10,
      windowSlots: 3,
      slotCap: 20,
      lookahead: 0,
      used: [{ offset: 2, used: 8 }],
    };
    expect(await leaseWith('lease_tokens', lease)).toEqual({ granted: 2, slots: ['0:2', '2:8'] });
  });
});
