import type { Sql } from '@ektola/platform/postgres';
import type { SuppressionStore } from '../domain/ports.ts';
import { transitionColumns, type AnnounceTransitions, type TransitionRow } from './nats-status-announcer.ts';
import { announceMoved, intoStatusOutbox, noStatusOutbox, type StatusOutbox } from './postgres-status-outbox.ts';
import { skippedOf } from './skipped-rows.ts';

export function createPostgresSuppressionStore(
  sql: Sql,
  announce: AnnounceTransitions = async () => {},
  outbox: StatusOutbox = noStatusOutbox,
): SuppressionStore {
  return {
    async record(change) {
      const rows = await sql.begin(async (tx) => {
        // The newer event wins; a deletion wins whenever it arrives and nothing replaces it afterwards.
        await tx`
          insert into dispatch.suppressions (contact_id, phone, suppressed, reason, occurred_at)
          values (${change.contactId}, ${change.phone}, ${change.suppressed}, ${change.reason}, ${change.occurredAt})
          on conflict (contact_id) do update
             set phone = excluded.phone, suppressed = excluded.suppressed, reason = excluded.reason,
                 occurred_at = excluded.occurred_at, updated_at = now()
           where not (dispatch.suppressions.suppressed and dispatch.suppressions.reason = 'contact_deleted')
             and (dispatch.suppressions.occurred_at < excluded.occurred_at
                  or (excluded.suppressed and excluded.reason = 'contact_deleted'))`;
        // The state kept, not the event, decides: a late, older opt-out skips nothing. PENDING messages
        // exist only in open runs, so the (run, contact) index finds them. Rows are locked in id order,
        // as every multi-row writer locks them.
        return tx<TransitionRow[]>`
          with locked as (
            select m.id, s.reason
              from dispatch.suppressions s
              join dispatch.runs r on r.completed_at is null
              join dispatch.messages m on m.run_id = r.id and m.contact_id = s.contact_id
             where s.contact_id = ${change.contactId} and s.suppressed and m.status = 'PENDING'
             order by m.id
               for update of m
          ),
          moved as (
          update dispatch.messages m
             set status = 'SKIPPED', skip_reason = l.reason, skipped_at = now(), next_attempt_at = null, updated_at = now()
            from locked l
           where m.id = l.id
          returning ${transitionColumns(sql)}, m.skipped_at as at
          ),
          later as (${intoStatusOutbox(tx, outbox)})
          select * from moved`;
      });
      // The statement left its SKIPPED in the outbox: they are published after the commit, whatever happens.
      await announceMoved(rows, outbox, announce);
      return skippedOf(rows);
    },
  };
}
