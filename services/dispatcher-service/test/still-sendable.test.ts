import { beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '@ektola/platform/postgres';
import { createPostgresSendStore } from '../src/adapters/postgres-send-store.ts';
import { storeRun } from './stored-run.ts';
import { useDispatchDatabase } from './dispatch-database.ts';

const database = useDispatchDatabase('still_sendable');
let sql: Sql;
beforeAll(() => {
  sql = database();
});

/** A run with one SENDING message per contact; its message ids by contact. */
async function claimedRun(contacts: string[]) {
  const leaseUntil = new Date(Date.now() + 60_000);
  const { runId, ids } = await storeRun(
    sql,
    contacts.map((contact) => ({ contact_id: contact, status: 'SENDING', attempts: 1, lease_until: leaseUntil })),
  );
  return { runId, ids: Object.fromEntries(contacts.map((contact, index) => [contact, ids[index]!])) };
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
