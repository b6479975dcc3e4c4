import { beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '@ektola/platform/postgres';
import { createPostgresFanOutStore } from '../src/adapters/postgres-fan-out-store.ts';
import { statusOutbox } from '../src/adapters/postgres-status-outbox.ts';
import { messageIdOf } from '../src/domain/message-draft.ts';
import type { AssignedDraft, NewRun } from '../src/domain/ports.ts';
import { useDispatchDatabase } from './dispatch-database.ts';
import { newRun, template } from './run-fixtures.ts';

/**
 * The fan-out's cursor moves with the next batch's insert, not in a statement of its own: what the
 * store must keep is that the cursor names only contacts whose batches were queued before, and that an
 * insert carrying the cursor still sees a cancel committed meanwhile.
 */
const database = useDispatchDatabase('fan_out_cursor');
let sql: Sql;
beforeAll(() => {
  sql = database();
});

const drafts = (run: NewRun, contactIds: string[]): AssignedDraft[] =>
  contactIds.map((contactId, index) => ({
    id: messageIdOf(run.id, contactId),
    contactId,
    phone: `+9198000${String(index).padStart(5, '0')}`,
    components: [],
    timezone: undefined,
    status: 'PENDING',
    phoneNumberId: 'number-1',
  }));

describe('the fan-out cursor', () => {
  it('when batches are stored one after another, then each insert moves the cursor to the batch queued before it, and a resumed fan-out starts there', async () => {
    const store = createPostgresFanOutStore(sql);
    const run = newRun();
    expect(await store.openRun(run)).toEqual({ cursor: undefined, done: false, cancelled: false });

    await store.insertMessages(run, template, drafts(run, ['c0', 'c1']));
    expect((await store.openRun(run)).cursor).toBeUndefined();

    const second = await store.insertMessages(run, template, drafts(run, ['c2', 'c3']), 'c1');
    expect(second).toMatchObject({ pending: 2, runCancelled: false });
    expect(await store.openRun(run)).toEqual({ cursor: 'c1', done: false, cancelled: false });

    // A resumed fan-out repeats the batch after the cursor: nothing new is stored, the cursor moves on.
    const repeated = await store.insertMessages(run, template, drafts(run, ['c2', 'c3']), 'c1');
    expect(repeated).toMatchObject({ pending: 0, failed: 0 });
    const [count] = await sql<
      Array<{ n: number }>
    >`select count(*)::int as n from dispatch.messages where run_id = ${run.id}`;
    expect(count!.n).toBe(4);
  });

  it('when the run is cancelled between two batches, then the insert that moves the cursor stores the next batch SKIPPED and says so', async () => {
    const store = createPostgresFanOutStore(sql);
    const run = newRun();
    await store.openRun(run);
    await store.insertMessages(run, template, drafts(run, ['c0']));
    await sql`update dispatch.runs set cancelled_at = now() where id = ${run.id}`;

    const stored = await store.insertMessages(run, template, drafts(run, ['c1']), 'c0');
    expect(stored).toMatchObject({ pending: 0, skipped: { run_cancelled: 1 }, runCancelled: true });
    expect(await store.openRun(run)).toEqual({ cursor: 'c0', done: false, cancelled: true });
  });

  it('when a cancelled run still holds PENDING messages (stored beside the cancel’s own sweep), then skipping them ends each SKIPPED run_cancelled, in the outbox and the run’s counts, and leaves the others as they were', async () => {
    let woken = 0;
    const store = createPostgresFanOutStore(
      sql,
      statusOutbox(() => (woken += 1)),
    );
    const run = newRun();
    await store.openRun(run);
    await store.insertMessages(run, template, drafts(run, ['c0', 'c1', 'c2']));
    await sql`update dispatch.messages set status = 'SENDING', lease_until = now() + interval '1 minute'
              where run_id = ${run.id} and contact_id = 'c0'`;
    await sql`update dispatch.runs set cancelled_at = now() where id = ${run.id}`;

    await store.skipPendingOfCancelledRun(run.id);
    const messages = await sql<Array<{ contact_id: string; status: string; skip_reason: string | null }>>`
      select contact_id, status, skip_reason from dispatch.messages where run_id = ${run.id} order by contact_id`;
    expect(messages).toEqual([
      { contact_id: 'c0', status: 'SENDING', skip_reason: null },
      { contact_id: 'c1', status: 'SKIPPED', skip_reason: 'run_cancelled' },
      { contact_id: 'c2', status: 'SKIPPED', skip_reason: 'run_cancelled' },
    ]);
    const owed = await sql`select status from dispatch.status_announcements where run_id = ${run.id}`;
    expect(owed).toEqual([{ status: 'SKIPPED' }, { status: 'SKIPPED' }]);
    expect(woken).toBe(1);
    const [progress] = await sql`select pending, skipped from dispatch.run_progress where id = ${run.id}`;
    expect(progress).toEqual({ pending: 0, skipped: 2 });

    // Nothing left to skip: a second pass changes nothing and wakes no relay.
    await store.skipPendingOfCancelledRun(run.id);
    expect(await sql`select status from dispatch.status_announcements where run_id = ${run.id}`).toHaveLength(2);
    expect(woken).toBe(1);
  });

  it('when a batch is stored, then each message keeps its own contact’s components', async () => {
    const store = createPostgresFanOutStore(sql);
    const run = newRun();
    await store.openRun(run);
    const contactIds = Array.from({ length: 50 }, (_, index) => `c${index}`);
    await store.insertMessages(
      run,
      template,
      drafts(run, contactIds).map((draft) => ({
        ...draft,
        components: [{ type: 'body', parameters: [{ type: 'text', text: `"Dear" ${draft.contactId}\\` }] }],
      })),
    );
    const stored = await sql<Array<{ contact_id: string; components: unknown }>>`
      select contact_id, components from dispatch.messages where run_id = ${run.id}`;
    expect(stored).toHaveLength(50);
    for (const row of stored)
      expect(row.components).toEqual([
        { type: 'body', parameters: [{ type: 'text', text: `"Dear" ${row.contact_id}\\` }] },
      ]);
  });

  it('when the run is not stored, then the insert stores none of its messages and fails naming the run', async () => {
    const store = createPostgresFanOutStore(sql);
    const run = newRun();
    await expect(store.insertMessages(run, template, drafts(run, ['c0', 'c1']))).rejects.toThrow(
      `run ${run.id} is not stored`,
    );
    await expect(store.insertMessages(run, template, drafts(run, ['c2']), 'c1')).rejects.toThrow(run.id);
    expect(await sql`select id from dispatch.messages where run_id = ${run.id}`).toEqual([]);
  });
});
