import type { Sql, TransactionSql } from '@ektola/platform/postgres';
import type { RunCancellationStore } from '../domain/ports.ts';
import { transitionColumns, type AnnounceTransitions, type TransitionRow } from './nats-status-announcer.ts';
import { announceMoved, intoStatusOutbox, noStatusOutbox, type StatusOutbox } from './postgres-status-outbox.ts';
import { skippedOf } from './skipped-rows.ts';

/**
 * A cancelled run's PENDING messages turned SKIPPED (run_cancelled), their statuses left in `outbox`.
 * SENDING messages may be at Meta already: they finish. Rows are locked in id order.
 */
export const skipPendingOfRun = (sql: Sql | TransactionSql, runId: string, outbox: StatusOutbox) => sql<
  TransitionRow[]
>`
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
  select * from moved`;

export function createPostgresRunCancellationStore(
  sql: Sql,
  phoneNumberId: string,
  announce: AnnounceTransitions = async () => {},
  outbox: StatusOutbox = noStatusOutbox,
): RunCancellationStore {
  return {
    async cancel({ runId, campaignId, cancelledAt }) {
      const rows = await sql.begin(async (tx) => {
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
      await announceMoved(rows, outbox, announce);
      return { runIds: [runId], skipped: skippedOf(rows).skipped };
    },
  };
}
