import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '@ektola/platform/postgres';
import { createPostgresRunReports } from '../src/adapters/postgres-run-reports.ts';
import { createPostgresStatusStore } from '../src/adapters/postgres-status-store.ts';
import { statusUpdate as update } from './status-update.ts';
import { storeRun } from './stored-run.ts';
import { useDispatchDatabase } from './dispatch-database.ts';

const database = useDispatchDatabase('reports');
let sql: Sql;
beforeAll(() => {
  sql = database();
});

/** A fanned-out run whose messages were all accepted by Meta (SENDING with a wamid), one per phone. */
async function runOf(phones: readonly string[]) {
  const accepted = phones.map((phone) => ({ phone, status: 'SENDING', wamid: `wamid.${randomUUID()}` }));
  const { runId, ids } = await storeRun(sql, accepted);
  return { runId, messages: accepted.map((message, index) => ({ ...message, id: ids[index]! })) };
}

const marketing = { billable: true, category: 'marketing', pricingModel: 'PMP' };
const utility = { billable: true, category: 'utility', pricingModel: 'PMP' };

describe('message pricing and run reports', () => {
  it('when statuses carry pricing, then each message keeps it, even when the priced status arrives after its read', async () => {
    const { messages } = await runOf(['+919876500001', '+919876500002']);
    const store = createPostgresStatusStore(sql);
    await store.apply([update(messages[0]!.wamid, 'SENT', { pricing: marketing })]);
    await store.apply([update(messages[1]!.wamid, 'READ')]);
    await store.apply([update(messages[1]!.wamid, 'DELIVERED', { pricing: utility })]);
    const rows = await sql<Array<{ status: string; category: string; billable: boolean; pricing_model: string }>>`
      select status, category, billable, pricing_model from dispatch.messages
       where id = any(${messages.map((message) => message.id)}::uuid[]) order by phone`;
    expect(rows).toEqual([
      { status: 'SENT', category: 'marketing', billable: true, pricing_model: 'PMP' },
      { status: 'READ', category: 'utility', billable: true, pricing_model: 'PMP' },
    ]);
  });

  it('when a run ends in every way, then its report counts statuses, reach, skips, errors largest first and billable messages by category and calling code', async () => {
    const phones = [
      '+919876500011',
      '+919876500012',
      '+919876500013',
      '+14155550100',
      '+971501234567',
      '+919876500014',
    ];
    const { runId, messages } = await runOf([...phones, '+919876500015', '+919876500016', '+919876500017']);
    const wamid = (index: number) => messages[index]!.wamid;
    const failure = (code: number, title: string) => ({
      errorCode: code,
      errorTitle: title,
      errorMessage: `${title}: details`,
    });
    await createPostgresStatusStore(sql).apply([
      update(wamid(0), 'READ'),
      update(wamid(0), 'SENT', { pricing: marketing }),
      update(wamid(1), 'DELIVERED', { pricing: marketing }),
      update(wamid(2), 'SENT', { pricing: utility }),
      update(wamid(3), 'DELIVERED', { pricing: marketing }),
      update(wamid(4), 'FAILED', failure(131026, 'Message undeliverable')),
      update(wamid(5), 'FAILED', failure(131026, 'Message undeliverable')),
      update(
        wamid(6),
        'FAILED',
        failure(131049, 'This message was not delivered to maintain healthy ecosystem engagement.'),
      ),
    ]);
    // One never reached Meta (failed on the call, no wamid) and one was skipped for an opt-out.
    await sql`update dispatch.messages set status = 'FAILED', wamid = null, error_code = 132000, error_message = 'Number of parameters does not match'
               where id = ${messages[7]!.id}`;
    await sql`update dispatch.messages set status = 'SKIPPED', wamid = null, skip_reason = 'opted_out', skipped_at = now()
               where id = ${messages[8]!.id}`;

    const [report] = await createPostgresRunReports(sql).reports([runId, randomUUID()]);
    expect(report).toEqual({
      runId,
      total: 9,
      counts: { pending: 0, sending: 0, sent: 1, delivered: 2, read: 1, failed: 4, skipped: 1 },
      reached: 7,
      failedAfterSend: 3,
      skippedByReason: { opted_out: 1 },
      errors: [
        { code: 131026, title: 'Message undeliverable', count: 2 },
        { code: 131049, title: 'This message was not delivered to maintain healthy ecosystem engagement.', count: 1 },
        { code: 132000, title: 'Number of parameters does not match', count: 1 },
      ],
      billable: 4,
      billableMessages: expect.arrayContaining([
        { category: 'marketing', callingCode: '91', count: 2 },
        { category: 'utility', callingCode: '91', count: 1 },
        { category: 'marketing', callingCode: '1', count: 1 },
      ]),
    });
    expect(report!.billableMessages).toHaveLength(3);
  });
});
