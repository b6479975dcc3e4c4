import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '@ektola/platform/postgres';
import { createPostgresSendStore } from '../src/adapters/postgres-send-store.ts';
import { useDispatchDatabase } from './dispatch-database.ts';

const database = useDispatchDatabase('still_sendable');
let sql: Sql;
beforeAll(() => {
  sql = database();
});

/** A run with one SENDING message per contact; its message ids by contact. */
async function claimedRun(contacts: string[]) {
  const runId = randomUUID();
  await sql`insert into dispatch.runs (id, campaign_id, template_id, phone_number_id, fanout_done_at)
            values (${runId}, ${randomUUID()}, ${randomUUID()}, 'number-1', now())`;
  const rows = contacts.map((contact) => ({
    id: randomUUID(),
    run_id: runId,
    campaign_id: randomUUID(),
    contact_id: contact,
    phone: '+919800000001',
    phone_number_id: 'number-1',
    template_name: 'gold_loan_reminder',
    template_language: 'en',
    components: sql.json([]),
    status: 'SENDING',
    attempts: 1,
    lease_until: new Date(Date.now() + 60_000),
  }));
  await sql`insert into dispatch.messages ${sql(rows)}`;
  return { runId, ids: Object.fromEntries(rows.map((row) => [row.contact_id, row.id])) };
}

const suppress = (contactId: string, suppressed: boolean) =>
  sql`insert into dispatch.suppressions (contact_id, phone, suppressed, reason, occurred_at)
      values (${contactId}, '+919800000001', ${suppressed}, 'opted_out', now())`;

describe('claimed messages asked again before a later rate slot', () => {
  it('when one contact opted out and another opted back in since the claim, then only the opted-out one may not be sent', async () => {
    const { ids } = await claimedRun(['asha', 'ravi', 'meena']);
    await suppress('ravi', true);
    await suppress('meena', false);
    const sendable = await createPostgresSendStore(sql).stillSendable(Object.values(ids));
    expect([...sendable].sort()).toEqual([ids.asha, ids.meena].sort());
  });

  it('when the run was cancelled since the claim, then none of its messages may be sent', async () => {
    const { runId, ids } = await claimedRun(['kiran', 'lata']);
    await sql`update dispatch.runs set cancelled_at = now() where id = ${runId}`;
    expect((await createPostgresSendStore(sql).stillSendable(Object.values(ids))).size).toBe(0);
  });
});
