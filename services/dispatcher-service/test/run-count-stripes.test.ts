import { beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '@ektola/platform/postgres';
import { storeRun } from './stored-run.ts';
import { useDispatchDatabase } from './dispatch-database.ts';

/**
 * A run's counters are kept in stripes (migration 0017): statements writing the same run's messages
 * from different backends no longer queue on one counter row until each other's commit.
 */
const database = useDispatchDatabase('run_count_stripes');
let sql: Sql;
beforeAll(() => {
  sql = database();
});

type Reserved = Awaited<ReturnType<Sql['reserve']>>;

/** Two connections whose backends count into different stripes. */
async function twoStripes(): Promise<[Reserved, Reserved, () => void]> {
  const held: Reserved[] = [];
  const stripeOf = async (connection: Reserved) =>
    (await connection<Array<{ stripe: number }>>`select pg_backend_pid() % 32 as stripe`)[0]!.stripe;
  const first = await sql.reserve();
  const stripe = await stripeOf(first);
  for (;;) {
    const other = await sql.reserve();
    if ((await stripeOf(other)) !== stripe) {
      const release = () => [first, other, ...held].forEach((connection) => connection.release());
      return [first, other, release];
    }
    held.push(other);
  }
}

const progressOf = async (runId: string) =>
  (
    await sql<Array<{ total: number; pending: number; sending: number; sent: number }>>`
      select total, pending, sending, sent from dispatch.run_progress where id = ${runId}`
  )[0]!;

describe('run counters in stripes', () => {
  it('when two transactions move messages of the same run from different backends, then neither waits for the other and the counts add up once both commit', async () => {
    const { runId, ids } = await storeRun(
      sql,
      Array.from({ length: 4 }, () => ({ status: 'PENDING' })),
    );
    const [first, second, release] = await twoStripes();
    try {
      await first`begin`;
      await first`update dispatch.messages set status = 'SENDING', attempts = 1 where id = any(${ids.slice(0, 2)}::uuid[])`;
      // With one counter row per run this statement waited for the first transaction's commit.
      await second`set lock_timeout = '2s'`;
      await second`update dispatch.messages set status = 'SENDING', attempts = 1 where id = any(${ids.slice(2)}::uuid[])`;
      expect(await progressOf(runId)).toEqual({ total: 4, pending: 2, sending: 2, sent: 0 });
      await first`commit`;
      expect(await progressOf(runId)).toEqual({ total: 4, pending: 0, sending: 4, sent: 0 });
    } finally {
      await first`rollback`.catch(() => undefined);
      await second`reset lock_timeout`;
      release();
    }
  });

  it('when a run was counted before the stripes, then its progress is those counts plus what the stripes add', async () => {
    const { runId, ids } = await storeRun(sql, [{ status: 'SENDING', attempts: 1 }]);
    // As a run fanned out before migration 0017 stands: its counts on the runs row, no stripe yet.
    await sql`delete from dispatch.run_counts where run_id = ${runId}`;
    await sql`update dispatch.runs set total = 1, sending = 1 where id = ${runId}`;
    await sql`update dispatch.messages set status = 'SENT', sent_at = now() where id = ${ids[0]!}`;
    expect(await progressOf(runId)).toEqual({ total: 1, pending: 0, sending: 0, sent: 1 });
  });
});
