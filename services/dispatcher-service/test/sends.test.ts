import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '@ektola/platform/postgres';
import { createPostgresSendStore } from '../src/adapters/postgres-send-store.ts';
import { createPostgresStatusStore } from '../src/adapters/postgres-status-store.ts';
import { statusUpdate } from './status-update.ts';
import { nestedPlansOf } from './nested-plans.ts';
import { storeRun } from './stored-run.ts';
import { useDispatchDatabase } from './dispatch-database.ts';

const database = useDispatchDatabase('sends');
let sql: Sql;
beforeAll(() => {
  sql = database();
});

/** A message claimed for its first attempt, its result not written yet. */
async function claimedMessage() {
  const { ids } = await storeRun(sql, [
    { status: 'SENDING', attempts: 1, lease_until: new Date(Date.now() + 60_000), claimed_at: new Date() },
  ]);
  return ids[0]!;
}

const sendsOf = (id: string) =>
  sql<Array<{ wamid: string; phone_number_id: string; sent_at: Date | null }>>`
    select wamid, phone_number_id, sent_at from dispatch.sends where message_id = ${id}`;

describe('the sends: each wamid with its message, number and send time, kept by the statements that write them', () => {
  it('when a delivered status overtakes the API answer, then its wamid and time are recorded, a later status naming only the wamid finds the message, and the late answer adds nothing', async () => {
    const id = await claimedMessage();
    const wamid = `wamid.${randomUUID()}`;
    const deliveredAt = new Date(Date.now() - 5_000);
    const statuses = createPostgresStatusStore(sql);

    const delivered = await statuses.apply([
      statusUpdate(wamid, 'DELIVERED', { messageId: id, occurredAt: deliveredAt.toISOString() }),
    ]);
    expect(delivered.found).toEqual([true]);
    expect(await sendsOf(id)).toEqual([{ wamid, phone_number_id: 'number-1', sent_at: deliveredAt }]);

    // Meta echoed no id of ours (a message sent before biz_opaque_callback_data was set): found by wamid.
    const read = await statuses.apply([statusUpdate(wamid, 'READ')]);
    expect(read).toMatchObject({ found: [true], moved: { READ: 1 } });

    await createPostgresSendStore(sql).record([{ id, attempt: 1, to: 'SENT', wamid }], 'number-1');
    expect(await sendsOf(id)).toHaveLength(1);
    const [row] = await sql`select status from dispatch.messages where id = ${id}`;
    expect(row!.status).toBe('READ');
  });

  it('when a failed status brings the first wamid, then the wamid is recorded without a send time', async () => {
    const id = await claimedMessage();
    const wamid = `wamid.${randomUUID()}`;
    await createPostgresStatusStore(sql).apply([
      statusUpdate(wamid, 'FAILED', { messageId: id, errorCode: 131026, errorMessage: 'Message undeliverable' }),
    ]);
    expect(await sendsOf(id)).toEqual([{ wamid, phone_number_id: 'number-1', sent_at: null }]);
  });

  it('when a delivery outranks the failure that brought the wamid, then the send time it gives is recorded too', async () => {
    const id = await claimedMessage();
    const wamid = `wamid.${randomUUID()}`;
    const deliveredAt = new Date(Date.now() - 2_000);
    const statuses = createPostgresStatusStore(sql);
    await statuses.apply([statusUpdate(wamid, 'FAILED', { messageId: id, errorCode: 131000, errorMessage: 'x' })]);
    await statuses.apply([statusUpdate(wamid, 'DELIVERED', { messageId: id, occurredAt: deliveredAt.toISOString() })]);
    expect(await sendsOf(id)).toEqual([{ wamid, phone_number_id: 'number-1', sent_at: deliveredAt }]);
  });

  it('when a message is written SENT by a plain update (as the release before this one writes it), then its wamid is found all the same', async () => {
    const id = await claimedMessage();
    const wamid = `wamid.${randomUUID()}`;
    await sql`update dispatch.messages set status = 'SENT', wamid = ${wamid}, sent_at = now() where id = ${id}`;
    expect(await sendsOf(id)).toEqual([{ wamid, phone_number_id: 'number-1', sent_at: expect.any(Date) }]);
    const applied = await createPostgresStatusStore(sql).apply([statusUpdate(wamid, 'DELIVERED')]);
    expect(applied).toMatchObject({ found: [true], moved: { DELIVERED: 1 } });
  });

  it('when a status names a wamid no message of ours has, then nothing is recorded and it is not found', async () => {
    const wamid = `wamid.${randomUUID()}`;
    const applied = await createPostgresStatusStore(sql).apply([statusUpdate(wamid, 'DELIVERED')]);
    expect(applied.found).toEqual([false]);
    expect(await sql`select 1 from dispatch.sends where wamid = ${wamid}`).toEqual([]);
  });

  it('when a connection first moves one message and then claims, sends and delivers many, then every trigger reads each transition table once and no lease is looked for on delivery', async () => {
    const first = await storeRun(sql, [{ status: 'SENT', wamid: `wamid.${randomUUID()}`, sent_at: new Date() }]);
    const { runId } = await storeRun(
      sql,
      Array.from({ length: 200 }, () => ({ status: 'PENDING' })),
    );
    // A function's statements are planned once per connection, for the size of the statement that
    // fires them first: here one row, as a connection whose first write is a single status.
    const plans = await nestedPlansOf(
      sql,
      async (explained) => {
        await explained`update dispatch.messages set status = 'DELIVERED' where run_id = ${first.runId}`;
        await explained`update dispatch.messages set status = 'SENDING', attempts = 1, lease_until = now() + interval '60 seconds'
                         where run_id = ${runId}`;
        await explained`update dispatch.messages set status = 'SENT', wamid = 'wamid.' || id, sent_at = now(), lease_until = null
                         where run_id = ${runId}`;
        await explained`update dispatch.messages set status = 'DELIVERED', delivered_at = now() where run_id = ${runId}`;
      },
      { analyze: true },
    );
    // A statement's plan is reported after its triggers'; each top-level update ends a statement's group.
    const statements: string[][] = [[]];
    for (const plan of plans) {
      statements.at(-1)!.push(plan);
      if (plan.includes('Query Text: update dispatch.messages')) statements.push([]);
    }
    const [, claim, sent, delivered] = statements;
    const transitionScans = [claim, sent, delivered].flatMap((group) =>
      group!.flatMap((plan) => plan.split('\n').filter((line) => line.includes('Named Tuplestore Scan'))),
    );
    expect(transitionScans.length).toBeGreaterThan(0);
    for (const scan of transitionScans) expect(scan).toMatch(/ loops=1\)/);
    expect(claim!.some((plan) => plan.includes('insert into dispatch.leases'))).toBe(true);
    expect(delivered!.some((plan) => plan.includes('insert into dispatch.leases'))).toBe(false);
    const [{ count }] = await sql<[{ count: number }]>`
      select count(*)::int as count from dispatch.sends s join dispatch.messages m on m.id = s.message_id
       where m.run_id = ${runId} and s.wamid = 'wamid.' || m.id`;
    expect(count).toBe(200);
  });
});
