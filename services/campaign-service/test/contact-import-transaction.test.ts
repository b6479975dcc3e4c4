import { setTimeout as delay } from 'node:timers/promises';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresContactStore } from '../src/adapters/postgres-contact-store.ts';
import { startHarness, type Harness } from './harness.ts';

let harness: Harness;
let sql: postgres.Sql;

beforeAll(async () => {
  harness = await startHarness();
  // One connection: whatever the import leaves on it, the next statement of the pool meets.
  sql = postgres(harness.database.url, { max: 1, onnotice: () => undefined });
  // A check PostgreSQL makes only at commit, so an import's commit can fail.
  await sql.unsafe(`
    create function campaign.refuse_blocked_phone() returns trigger language plpgsql as $$
    begin
      if new.phone = '+919876509999' then raise exception 'phone % is blocked', new.phone; end if;
      return null;
    end $$;
    create constraint trigger contacts_blocked_phone after insert on campaign.contacts
      deferrable initially deferred for each row execute function campaign.refuse_blocked_phone();`);
});

afterAll(async () => {
  await sql?.end();
  await harness?.close();
});

const draft = (phone: string) => ({ phone, name: null, tags: ['loan'], attributes: {} });
const count = async () => (await sql<Array<{ n: number }>>`select count(*)::int as n from campaign.contacts`)[0]!.n;

describe('an import in its own transaction', () => {
  it('when its commit fails, then nothing is imported and the rollback that follows leaves alone the next transaction on its connection', async () => {
    const store = createPostgresContactStore(sql);
    const before = await count();
    const transaction = store.beginImport();
    await transaction.write([draft('+919876509998'), draft('+919876509999')]);
    await expect(transaction.commit()).rejects.toThrow('phone +919876509999 is blocked');
    expect(await count()).toBe(before);

    // The import's caller rolls back after any failure; by then its connection carries someone else's transaction.
    await sql.begin(async (tx) => {
      await tx`insert into campaign.contacts (id, phone) values (gen_random_uuid(), '+919876509997')`;
      await transaction.rollback();
    });
    expect(await count()).toBe(before + 1);
  });

  it('when it is rolled back, then none of its batches is visible and its connection goes back to the pool', async () => {
    const store = createPostgresContactStore(sql);
    const before = await count();
    const transaction = store.beginImport();
    await transaction.write([draft('+919876509990'), draft('+919876509991')]);
    await transaction.write([draft('+919876509992')]);
    await transaction.rollback();
    expect(await count()).toBe(before);
  });
});

describe('two imports at once', () => {
  it('when they share phones in opposite orders, then both import, one after the other, instead of one failing as a deadlock', async () => {
    const pool = postgres(harness.database.url, { max: 2, onnotice: () => undefined });
    const store = createPostgresContactStore(pool);
    const first = ['+919876508001', '+919876508002'].map(draft);
    const second = ['+919876508003', '+919876508004'].map(draft);
    const one = store.beginImport();
    const other = store.beginImport();
    await one.write(first);
    // The other import starts with the rows the first one reaches last; it either waits for the first
    // to finish or, were imports to interleave, holds those rows before the first asks for them.
    const otherDone = (async () => {
      await other.write(second);
      await other.write(first);
      return other.commit();
    })();
    const otherSettledOrWaiting = async () => {
      for (;;) {
        const settled = await Promise.race([
          otherDone.then(
            () => true,
            () => true,
          ),
          delay(20).then(() => false),
        ]);
        const [waiting] = await sql<Array<{ n: number }>>`
          select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
        if (settled || waiting!.n > 0) return;
      }
    };
    await otherSettledOrWaiting();
    await one.write(second);
    await expect(one.commit()).resolves.toEqual({ imported: 4, updated: 0 });
    await expect(otherDone).resolves.toEqual({ imported: 0, updated: 4 });
    await pool.end();
  });
});
