import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '@ektola/platform/postgres';
import { createPostgresStatusStore } from '../src/adapters/postgres-status-store.ts';
import { statusUpdate } from './status-update.ts';
import { storeRun } from './stored-run.ts';
import { useDispatchDatabase } from './dispatch-database.ts';

const database = useDispatchDatabase('hot_status');
let sql: Sql;
beforeAll(() => {
  sql = database();
});

/** What a DELIVERED or READ status changes on a sent message (postgres-status-store.ts). */
const changedByStatus = ['status', 'delivered_at', 'read_at', 'updated_at', 'billable', 'category', 'pricing_model'];

/** A run of `n` SENT messages, each with its wamid. */
async function sentRun(n: number) {
  const wamids = Array.from({ length: n }, () => `wamid.${randomUUID()}`);
  await storeRun(
    sql,
    wamids.map((wamid) => ({ status: 'SENT', wamid, attempts: 1, sent_at: new Date() })),
  );
  return wamids;
}

describe("DELIVERED and READ as PostgreSQL's HOT updates", () => {
  it('when the indexes of messages are read, then none names a column that a DELIVERED or READ status changes', async () => {
    const indexes = await sql<Array<{ name: string; definition: string }>>`
      select indexrelid::regclass::text as name, pg_get_indexdef(indexrelid) as definition
        from pg_index where indrelid = 'dispatch.messages'::regclass`;
    expect(indexes.length).toBeGreaterThan(5);
    const naming = indexes.filter(({ definition }) =>
      changedByStatus.some((column) => new RegExp(`\\b${column}\\b`).test(definition)),
    );
    expect(naming).toEqual([]);
  });

  it('when 200 sent messages are DELIVERED and then READ, then PostgreSQL counts HOT updates for them', async () => {
    const wamids = await sentRun(200);
    // One connection: its statistics are flushed when asked, rather than up to 10 s after it goes idle.
    const connection = await sql.reserve();
    try {
      const counted = async () => {
        await connection`select pg_stat_force_next_flush()`;
        await connection`select pg_stat_clear_snapshot()`;
        const [row] = await connection<Array<{ updates: number; hot: number }>>`
          select n_tup_upd::int as updates, n_tup_hot_upd::int as hot
            from pg_stat_user_tables where schemaname = 'dispatch' and relname = 'messages'`;
        return row!;
      };
      const store = createPostgresStatusStore(connection);
      const before = await counted();
      for (const status of ['DELIVERED', 'READ'] as const)
        for (let from = 0; from < wamids.length; from += 50)
          await store.apply(wamids.slice(from, from + 50).map((wamid) => statusUpdate(wamid, status)));
      const after = await counted();
      expect(after.updates - before.updates).toBe(400);
      // Each page keeps a third of itself free (fillfactor 65) and dead versions are pruned as pages fill,
      // so most take the same page (320 of 400 here, 186 at fillfactor 80); with an index naming status, none can.
      expect(after.hot - before.hot).toBeGreaterThan(200);
    } finally {
      connection.release();
    }
  });
});
