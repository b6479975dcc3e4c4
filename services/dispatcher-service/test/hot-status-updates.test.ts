import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '@ektola/platform/postgres';
import { createPostgresSendStore } from '../src/adapters/postgres-send-store.ts';
import { createPostgresStatusStore } from '../src/adapters/postgres-status-store.ts';
import { statusUpdate } from './status-update.ts';
import { storeRun } from './stored-run.ts';
import { useDispatchDatabase } from './dispatch-database.ts';

const database = useDispatchDatabase('hot_status', { max: 1 });
let sql: Sql;
beforeAll(async () => {
  sql = database();
  // A READ finds room on its page by pruning the version its DELIVERED left, which only happens once no
  // snapshot in the database can see that version. Autovacuum analysing this fresh database's tables
  // holds such a snapshot while it runs: with one held during the READs, 208 of 400 updates were HOT, as
  // in one loaded CI run. This file counts what the statements allow, so autovacuum leaves its tables be.
  const tables = await sql<Array<{ name: string }>>`
    select c.oid::regclass::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'dispatch' and c.relkind = 'r'`;
  for (const { name } of tables) await sql.unsafe(`alter table ${name} set (autovacuum_enabled = false)`);
});

/** What a DELIVERED or READ status changes on a sent message (postgres-status-store.ts). */
const changedByStatus = ['status', 'delivered_at', 'read_at', 'updated_at', 'billable', 'category', 'pricing_model'];

/**
 * What claiming a PENDING message changes (postgres-send-store.ts, the claim's sendable branch). It also
 * clears next_attempt_at and waiting_reason, which only a message that waited (a retry, a send window)
 * has set: those claims may write index entries, the first send of every other message does not.
 */
const changedByClaim = ['status', 'attempts', 'claimed_at', 'lease_until', 'updated_at'];

/**
 * What the result of a send changes on a message Meta accepted (postgres-send-store.ts, `record`), with
 * `unsent`, generated from status: the number it went from is the one it was claimed for, written again.
 */
const changedBySent = ['status', 'unsent', 'wamid', 'lease_until', 'sent_at', 'updated_at', 'phone_number_id'];

async function indexesNaming(columns: string[]) {
  const indexes = await sql<Array<{ name: string; definition: string }>>`
    select indexrelid::regclass::text as name, pg_get_indexdef(indexrelid) as definition
      from pg_index where indrelid = 'dispatch.messages'::regclass`;
  expect(indexes.length).toBeGreaterThan(5);
  return indexes.filter(({ definition }) => columns.some((column) => new RegExp(`\\b${column}\\b`).test(definition)));
}

/** Counts the updates and HOT updates of messages `work` makes; the pool's one backend flushes its statistics when asked. */
async function countingUpdates(work: () => Promise<void>) {
  const counted = async () => {
    await sql`select pg_stat_force_next_flush()`;
    await sql`select pg_stat_clear_snapshot()`;
    const [row] = await sql<Array<{ updates: number; hot: number }>>`
      select n_tup_upd::int as updates, n_tup_hot_upd::int as hot
        from pg_stat_user_tables where schemaname = 'dispatch' and relname = 'messages'`;
    return row!;
  };
  const before = await counted();
  await work();
  const after = await counted();
  return { updates: after.updates - before.updates, hot: after.hot - before.hot };
}

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
    expect(await indexesNaming(changedByStatus)).toEqual([]);
  });

  it('when 200 sent messages are DELIVERED and then READ, then PostgreSQL counts HOT updates for them', async () => {
    const wamids = await sentRun(200);
    const counted = await countingUpdates(async () => {
      const store = createPostgresStatusStore(sql);
      for (const status of ['DELIVERED', 'READ'] as const)
        for (let from = 0; from < wamids.length; from += 50)
          await store.apply(wamids.slice(from, from + 50).map((wamid) => statusUpdate(wamid, status)));
    });
    expect(counted.updates).toBe(400);
    // Each page keeps half of itself free (fillfactor 50) and dead versions are pruned as pages fill,
    // so nearly all take the same page (391 of 400 here, 321 at fillfactor 65, 186 at 80); with an index
    // naming status, none can.
    expect(counted.hot).toBeGreaterThan(360);
  });
});

describe("claims as PostgreSQL's HOT updates", () => {
  it('when the indexes of messages are read, then none names a column that claiming a PENDING message changes', async () => {
    expect(await indexesNaming(changedByClaim)).toEqual([]);
  });

  it('when 200 PENDING MARKETING messages are claimed, then PostgreSQL counts HOT updates for them and their leases are recorded', async () => {
    const { ids } = await storeRun(
      sql,
      Array.from({ length: 200 }, () => ({ status: 'PENDING', marketing: true })),
    );
    const counted = await countingUpdates(async () => {
      const store = createPostgresSendStore(sql);
      for (let from = 0; from < ids.length; from += 50) {
        const { claimed } = await store.claim(ids.slice(from, from + 50), 50, 60_000, new Date());
        expect(claimed).toHaveLength(50);
      }
    });
    expect(counted.updates).toBe(200);
    // Freshly stored pages keep half free, room for a claim's version of every row on them (194 of 200
    // stayed here, 127 at fillfactor 65); with an index on lease_until or claimed_at, none could.
    expect(counted.hot).toBeGreaterThan(180);
    const [leased] = await sql<Array<{ ids: number }>>`
      select count(*)::int as ids from dispatch.leases l, unnest(l.message_ids) as x(id) where x.id = any(${ids}::uuid[])`;
    expect(leased!.ids).toBe(200);
  });
});

describe("SENT results as PostgreSQL's HOT updates", () => {
  it('when the indexes of messages are read, then none names a column that the result of an accepted send changes', async () => {
    expect(await indexesNaming(changedBySent)).toEqual([]);
  });

  it('when 200 claimed messages are accepted by Meta, then PostgreSQL counts HOT updates for them and each wamid is found in the sends', async () => {
    const { ids } = await storeRun(
      sql,
      Array.from({ length: 200 }, () => ({
        status: 'SENDING',
        attempts: 1,
        lease_until: new Date(Date.now() + 60_000),
      })),
    );
    const wamids = new Map<string, string>(ids.map((id) => [id, `wamid.${randomUUID()}`]));
    const counted = await countingUpdates(async () => {
      const store = createPostgresSendStore(sql);
      for (let from = 0; from < ids.length; from += 50)
        await store.record(
          ids.slice(from, from + 50).map((id) => ({ id, attempt: 1, to: 'SENT', wamid: wamids.get(id)! })),
          'number-1',
        );
    });
    expect(counted.updates).toBe(200);
    // As for claims: fresh pages keep half free for the results' versions (179 of 200 stayed here,
    // 100 at fillfactor 65); with an index on wamid, sent_at or a column generated from status, none could.
    expect(counted.hot).toBeGreaterThan(160);
    const sends = await sql<Array<{ wamid: string; message_id: string; phone_number_id: string; sent: boolean }>>`
      select s.wamid, s.message_id, s.phone_number_id, s.sent_at = m.sent_at as sent
        from dispatch.sends s join dispatch.messages m on m.id = s.message_id
       where s.message_id = any(${ids}::uuid[])`;
    expect(sends).toHaveLength(200);
    for (const send of sends) {
      expect(send.wamid).toBe(wamids.get(send.message_id));
      expect(send).toMatchObject({ phone_number_id: 'number-1', sent: true });
    }
  });
});
