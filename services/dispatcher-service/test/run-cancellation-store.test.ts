import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '@ektola/platform/postgres';
import {
  createPostgresRunCancellationStore,
  skipPendingOfRun,
} from '../src/adapters/postgres-run-cancellation-store.ts';
import { noStatusOutbox, statusOutbox } from '../src/adapters/postgres-status-outbox.ts';
import { useDispatchDatabase } from './dispatch-database.ts';
import { storeRun } from './stored-run.ts';

const database = useDispatchDatabase('run_cancellation');
let sql: Sql;
beforeAll(() => {
  sql = database();
});

/** A run of `pending` PENDING messages and one SENDING, stored unfinished. */
async function runWithPending(pending: number) {
  return storeRun(
    sql,
    [
      ...Array.from({ length: pending }, () => ({ status: 'PENDING' })),
      { status: 'SENDING', attempts: 1, lease_until: new Date(Date.now() + 60_000) },
    ],
    { fanout_done_at: null },
  );
}

describe('a run cancelled in the dispatcher', () => {
  it('when a run with thousands of waiting messages is cancelled, then each ends SKIPPED in the outbox, the one at Meta finishes, and only their count comes back', async () => {
    const { runId } = await runWithPending(3_000);
    let woken = 0;
    const outbox = statusOutbox(() => (woken += 1));
    const result = await createPostgresRunCancellationStore(sql, 'number-1', outbox).cancel({
      runId,
      campaignId: randomUUID(),
      cancelledAt: new Date(),
    });

    expect(result).toEqual({ runIds: [runId], skipped: { run_cancelled: 3_000 } });
    expect(woken).toBe(1);
    const statuses = await sql<Array<{ status: string; count: number }>>`
      select status, count(*)::int as count from dispatch.messages where run_id = ${runId} group by status order by status`;
    expect(statuses).toEqual([
      { status: 'SENDING', count: 1 },
      { status: 'SKIPPED', count: 3_000 },
    ]);
    const [owed] = await sql<[{ rows: number; chunks: number }]>`
      select count(*)::int as rows, count(distinct (batch, chunk))::int as chunks
        from dispatch.status_announcements where run_id = ${runId}`;
    expect(owed).toEqual({ rows: 3_000, chunks: 15 });
  });

  it('when a cancelled run is cancelled again, or status events are off, then nothing more is skipped or owed', async () => {
    const { runId } = await runWithPending(2);
    const store = createPostgresRunCancellationStore(sql, 'number-1', noStatusOutbox);
    const cancellation = { runId, campaignId: randomUUID(), cancelledAt: new Date() };
    expect(await store.cancel(cancellation)).toEqual({ runIds: [runId], skipped: { run_cancelled: 2 } });
    expect(await store.cancel(cancellation)).toEqual({ runIds: [runId], skipped: {} });
    expect(await sql`select 1 from dispatch.status_announcements where run_id = ${runId}`).toEqual([]);
  });

  it('when the fan-out finds its run cancelled, then the skipping statement answers how many it skipped, not their rows', async () => {
    const { runId } = await runWithPending(500);
    expect(await skipPendingOfRun(sql, runId, noStatusOutbox)).toBe(500);
    expect(await skipPendingOfRun(sql, runId, noStatusOutbox)).toBe(0);
  });
});
