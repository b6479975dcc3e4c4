import { beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '@ektola/platform/postgres';
import { createPostgresSenderActivity } from '../src/adapters/postgres-sender-activity.ts';
import { storeRun } from './stored-run.ts';
import { useDispatchDatabase } from './dispatch-database.ts';

const database = useDispatchDatabase('sender_activity');
let sql: Sql;
beforeAll(() => {
  sql = database();
});

describe("a number's activity", () => {
  it('when messages are still to send in an open run and one is tried again for 131049 in a completed run, then each is counted once, by status', async () => {
    const lease = new Date(Date.now() + 60_000);
    // storeRun writes one statement, so every row names the same columns.
    const message = (columns: Record<string, unknown>) => ({
      phone_number_id: 'number-1',
      error_code: null,
      marketing_limit_retries: 0,
      attempts: 0,
      lease_until: null,
      wamid: null,
      sent_at: null,
      ...columns,
    });
    await storeRun(sql, [
      message({ status: 'PENDING' }),
      message({ status: 'PENDING', error_code: 131049, marketing_limit_retries: 1 }),
      message({ status: 'SENDING', attempts: 1, lease_until: lease }),
      message({ status: 'SENT', wamid: `wamid.activity-open`, sent_at: new Date() }),
      message({ status: 'PENDING', phone_number_id: 'number-2' }),
    ]);
    await storeRun(
      sql,
      [
        message({ status: 'PENDING', error_code: 131049, marketing_limit_retries: 1 }),
        message({ status: 'SENDING', attempts: 2, lease_until: lease, error_code: 131049, marketing_limit_retries: 1 }),
        message({ status: 'FAILED', error_code: 131026 }),
        message({ status: 'SENT', wamid: `wamid.activity-completed`, sent_at: new Date() }),
      ],
      { completed_at: new Date(), completion_published: true },
    );
    const activity = createPostgresSenderActivity({
      sql,
      defaultNumber: 'number-1',
      defaultMps: 80,
      defaultTierLimit: undefined,
    });
    const [number1, number2] = await activity.activity(['number-1', 'number-2']);
    expect(number1).toMatchObject({ phoneNumberId: 'number-1', pending: 3, sending: 2, sentLastMinute: 2 });
    expect(number2).toMatchObject({ phoneNumberId: 'number-2', pending: 1, sending: 0, sentLastMinute: 0 });
  });
});
