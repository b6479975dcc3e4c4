import type { Sql, TransactionSql } from '@ektola/platform/postgres';
import type { RunCancellationStore } from '../domain/ports.ts';
import { transitionColumns } from './nats-status-announcer.ts';
import { intoStatusOutbox, noStatusOutbox, type StatusOutbox } from './postgres-status-outbox.ts';

/**
 * A cancelled run's PENDING messages turned SKIPPED (run_cancelled), their statuses left in `outbox`,
 * answering how many. SENDING messages may be at Meta already: they finish. Rows are locked in id order.
 * Only the count comes back: a run can hold a million PENDING messages, and reading their rows into
 * the dispatcher only to count them took 124 MB of heap for 200,000. The outbox announces them, or
 * nobody does (message.status_changed off).
 */
export async function skipPendingOfRun(
  sql: Sql | TransactionSql,
  runId: string,
  outbox: StatusOutbox,
): Promise<number> {
  const [{ skipped } = { skipped: 0 }] = await sql<Array<{ skipped: number }>>`
    with locked as (
      select id from dispatch.messages where run_id = ${runId} and status = 'PENDING' order by id for update
    ),
    moved as (
    update dispatch.messages m
       set status = 'SKIPPED', skip_reason = 'run_cancelled', skipped_at = now(), next_attempt_at = null, updated_at = now()
      from locked l
     where m.id = l.id
    returning ${transitionColumns(sql)}, m.skipped_at as at
    ),
    later as (${intoStatusOutbox(sql, outbox)})
    select count(*)::int as skipped from moved`;
  return skipped;
}

export function createPostgresRunCancellationStore(
  sql: Sql,
  phoneNumberId: string,
  outbox: StatusOutbox = noStatusOutbox,
): RunCancellationStore {
  return {
    async cancel({ runId, campaignId, cancelledAt }) {
      const skipped = await sql.begin(async (tx) => {
        // A run not seen yet is stored cancelled and fanned out with nothing in it: it completes empty, and
        // its run.requested, whenever it comes, finds it done. A completed run stays as it ended.
        await tx`
          insert into dispatch.runs (id, campaign_id, phone_number_id, cancelled_at, fanout_done_at)
          values (${runId}, ${campaignId}, ${phoneNumberId}, ${cancelledAt}, now())
          on conflict (id) do update set cancelled_at = coalesce(dispatch.runs.cancelled_at, excluded.cancelled_at)
           where dispatch.runs.completed_at is null`;
        return skipPendingOfRun(tx, runId, outbox);
      });
      // The statement left its SKIPPED in the outbox: they are published after the commit, whatever happens.
      if (skipped > 0 && outbox.statuses.includes('SKIPPED')) outbox.written();
      return { runIds: [runId], skipped: skipped > 0 ? { run_cancelled: skipped } : {} };
    },
  };
}
