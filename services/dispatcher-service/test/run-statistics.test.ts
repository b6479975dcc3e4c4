import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, type Sql } from '@ektola/platform/postgres';
import {
  createTestDatabase,
  explainingDatabase,
  holdTableLock,
  type ExplainingDatabase,
  type TestDatabase,
} from '@ektola/platform/testing';
import { createPostgresFanOutStore } from '../src/adapters/postgres-fan-out-store.ts';
import { createPostgresRunStore } from '../src/adapters/postgres-run-store.ts';
import { messageIdOf } from '../src/domain/message-draft.ts';
import type { AssignedDraft, NewRun } from '../src/domain/ports.ts';
import { newRun, template } from './run-fixtures.ts';

const migrations = new URL('../migrations/', import.meta.url).pathname;
let database: TestDatabase;
let explaining: ExplainingDatabase;
let sql: Sql;

beforeAll(async () => {
  database = await createTestDatabase('ektola_run_statistics');
  explaining = explainingDatabase(database.url);
  sql = explaining.sql;
  await migrate(sql, { schema: 'dispatch', directory: migrations });
});

afterAll(async () => {
  await sql?.end({ timeout: 5 });
  await database?.drop();
});

/**
 * A run of `size` messages stored in batches of 1,000, as the fan-out stores them, then fanned out; the
 * store hears that the run is stored unless `told` is false.
 */
async function fannedOut(size: number, told = true): Promise<NewRun> {
  const store = createPostgresFanOutStore(sql);
  const run = newRun();
  await store.openRun(run);
  for (let start = 0; start < size; start += 1_000) {
    const drafts: AssignedDraft[] = Array.from({ length: Math.min(1_000, size - start) }, (_, i) => {
      const contactId = `contact-${String(start + i).padStart(6, '0')}`;
      return {
        id: messageIdOf(run.id, contactId),
        contactId,
        phone: `+9198${String(start + i).padStart(8, '0')}`,
        components: [],
        timezone: undefined,
        status: 'PENDING',
        phoneNumberId: 'number-1',
      };
    });
    await store.insertMessages(run, template, drafts);
  }
  await store.finishFanOut(run.id);
  if (told) await store.runStored(run.id);
  return run;
}

const hasRunIdStatistics = async () => {
  const [row] = await sql<Array<{ n: number }>>`
    select count(*)::int as n from pg_stats where schemaname = 'dispatch' and tablename = 'messages' and attname = 'run_id'`;
  return row?.n === 1;
};

/** The plan PostgreSQL takes for the run store's own page of a run's messages, from the middle of the run. */
async function messagePagePlan(run: NewRun): Promise<string> {
  const runs = createPostgresRunStore(sql, { marketingLimitRetries: 3 });
  const [middle] = await sql<Array<{ id: string }>>`
    select id from dispatch.messages where run_id = ${run.id} order by id offset 2500 limit 1`;
  return explaining.planOf(() =>
    runs.listMessages({ runId: run.id, status: undefined, afterId: middle!.id, limit: 500 }),
  );
}

describe('a large run and the reads that page through it', () => {
  it('when a run adds most of the messages table, then a page of its messages walks messages_run in id order; a small run later leaves the statistics as they are', async () => {
    const large = await fannedOut(5_000);
    expect(await hasRunIdStatistics()).toBe(true);
    // Planned on statistics from before the run, the page read every message after the cursor through a
    // bitmap of messages_run and sorted them.
    const plan = await messagePagePlan(large);
    expect(plan).toContain('Index Scan using messages_run on messages');
    expect(plan).not.toContain('Bitmap');

    const [before] = await sql<Array<{ reltuples: number }>>`
      select reltuples from pg_class where oid = 'dispatch.messages'::regclass`;
    await fannedOut(200);
    const [after] = await sql<Array<{ reltuples: number }>>`
      select reltuples from pg_class where oid = 'dispatch.messages'::regclass`;
    expect(after!.reltuples).toBe(before!.reltuples);
  });

  it('when another transaction holds the table against ANALYZE, then the refresh gives up after its lock timeout instead of holding the fan-out', async () => {
    const run = await fannedOut(1_000, false);
    const lock = await holdTableLock(database.url, 'dispatch.messages', 'share update exclusive');
    try {
      await expect(createPostgresFanOutStore(sql).runStored(run.id)).rejects.toMatchObject({ code: '55P03' });
    } finally {
      await lock.release();
    }
  });
});
