import { beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '@ektola/platform/postgres';
import { createPostgresReconciliationStore } from '../src/adapters/postgres-reconciliation-store.ts';
import { nestedPlansOf } from './nested-plans.ts';
import { storeRun } from './stored-run.ts';
import { useDispatchDatabase } from './dispatch-database.ts';

/**
 * Reconciliation finds leases that ran out through dispatch.leases, which the statements that give
 * messages a lease fill by themselves (migration 0016): no index on messages names lease_until.
 */
const database = useDispatchDatabase('leases');
let sql: Sql;
beforeAll(() => {
  sql = database();
});

const secondsFromNow = (seconds: number) => new Date(Date.now() + seconds * 1000);
const options = (before = new Date()) => ({ before, maxAttempts: 3, limit: 100 });

/** As a process killed mid-call leaves its claim: SENDING, no answer written, the lease `leaseInS` from now. */
async function leased(count: number, leaseInS: number, attempts = 1) {
  const { ids, runId } = await storeRun(
    sql,
    Array.from({ length: count }, () => ({ status: 'PENDING' })),
  );
  await sql`update dispatch.messages set status = 'SENDING', attempts = ${attempts},
                   lease_until = now() + make_interval(secs => ${leaseInS})
             where id = any(${ids}::uuid[])`;
  return { ids: ids as string[], runId };
}

async function leaseRowsOf(ids: string[]) {
  return sql<Array<{ lease_until: Date; message_ids: string[] }>>`
    select lease_until, message_ids from dispatch.leases where message_ids && ${ids}::uuid[] order by lease_until`;
}

describe('leases that ran out', () => {
  it('when a statement gives messages a lease, then one row records it with every id, and reconciliation finds them once it has run out, and not before', async () => {
    const store = createPostgresReconciliationStore(sql);
    const { ids } = await leased(3, -5);
    const rows = await leaseRowsOf(ids);
    expect(rows).toHaveLength(1);
    expect([...rows[0]!.message_ids].sort()).toEqual([...ids].sort());

    const found = await store.expiredUnknown(options());
    expect(
      found
        .map((message) => message.id)
        .filter((id) => ids.includes(id))
        .sort(),
    ).toEqual([...ids].sort());
    const early = await store.expiredUnknown(options(secondsFromNow(-60)));
    expect(early.filter((message) => ids.includes(message.id))).toEqual([]);
  });

  it('when the messages of a lease that ran out are still SENDING, then pruning keeps its row; once they moved on, it goes', async () => {
    const store = createPostgresReconciliationStore(sql);
    const { ids } = await leased(2, -5);
    await store.pruneLeases();
    expect(await leaseRowsOf(ids)).toHaveLength(1);

    await sql`update dispatch.messages set status = 'SENT', lease_until = null, sent_at = now() where id = ${ids[0]!}`;
    await store.pruneLeases();
    expect(await leaseRowsOf(ids)).toHaveLength(1);
    await sql`update dispatch.messages set status = 'SENT', lease_until = null, sent_at = now() where id = ${ids[1]!}`;
    await store.pruneLeases();
    expect(await leaseRowsOf(ids)).toEqual([]);
  });

  it('when a message is claimed again under a new lease, then the old row goes at the next pruning and the new one stays until it runs out', async () => {
    const store = createPostgresReconciliationStore(sql);
    const { ids } = await leased(1, -5);
    await sql`update dispatch.messages set attempts = 2, lease_until = now() + interval '60 seconds' where id = ${ids[0]!}`;
    expect(await leaseRowsOf(ids)).toHaveLength(2);
    await store.pruneLeases();
    const [kept, ...others] = await leaseRowsOf(ids);
    expect(others).toEqual([]);
    expect(kept!.lease_until.getTime()).toBeGreaterThan(Date.now());
    expect((await store.expiredUnknown(options())).filter((message) => ids.includes(message.id))).toEqual([]);
  });

  it('when a status moves a message on, or a write leaves its lease as it was, then no lease is recorded', async () => {
    const { ids } = await leased(1, 60);
    await sql`update dispatch.messages set updated_at = now() where id = ${ids[0]!}`;
    await sql`update dispatch.messages set status = 'DELIVERED', lease_until = null where id = ${ids[0]!}`;
    expect(await leaseRowsOf(ids)).toHaveLength(1);
  });

  it('when the messages of a lease that ran out used their last attempt, then they are failed and dead-lettered through the recorded lease', async () => {
    const store = createPostgresReconciliationStore(sql);
    const { ids, runId } = await leased(2, -5, 3);
    expect(await store.failExhaustedUnknown(options())).toContain(runId);
    const rows = await sql<Array<{ status: string; dead_letter_pending: boolean }>>`
      select status, dead_letter_pending from dispatch.messages where id = any(${ids}::uuid[])`;
    expect(rows).toEqual([
      { status: 'FAILED', dead_letter_pending: true },
      { status: 'FAILED', dead_letter_pending: true },
    ]);
    await store.pruneLeases();
    expect(await leaseRowsOf(ids)).toEqual([]);
  });

  it('when a claim gives many messages a lease, then the changed leases are found by hashing, not by comparing every new row with every old one', async () => {
    const { runId } = await storeRun(
      sql,
      Array.from({ length: 200 }, () => ({ status: 'PENDING' })),
    );
    const plans = await nestedPlansOf(
      sql,
      (
        explained,
      ) => explained`update dispatch.messages set status = 'SENDING', attempts = 1, lease_until = now() + interval '60 seconds'
                                 where run_id = ${runId}`,
    );
    const leasePlan = plans.find((plan) => plan.includes('insert into dispatch.leases'));
    expect(leasePlan).toContain('HashSetOp Except');
    expect(leasePlan).not.toContain('Nested Loop');
  });
});
