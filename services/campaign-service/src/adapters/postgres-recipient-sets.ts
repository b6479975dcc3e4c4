import { randomUUID } from 'node:crypto';
import type { Sql } from '@ektola/platform/postgres';
import type { RecipientSets } from '../domain/ports.ts';

/** Staged run recipients in the unlogged campaign.run_recipient_sets, one batch per statement. */
export function createPostgresRecipientSets(sql: Sql): RecipientSets {
  return {
    open: () => randomUUID(),
    async add(setId, contactIds) {
      if (contactIds.length === 0) return;
      // A contact id that is no UUID cannot be one of ours; it is left out rather than failing the insert.
      await sql`
        insert into campaign.run_recipient_sets (set_id, contact_id)
        select ${setId}, id::uuid from unnest(${[...contactIds]}::text[]) as id
        where id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        on conflict do nothing`;
    },
    async discard(setId) {
      await sql`delete from campaign.run_recipient_sets where set_id = ${setId}`;
    },
    async discardOlderThan(cutoff) {
      const deleted = await sql`delete from campaign.run_recipient_sets where created_at < ${cutoff}`;
      return deleted.count;
    },
  };
}
