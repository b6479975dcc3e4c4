import { randomUUID } from 'node:crypto';
import type { EventPublisher } from '@ektola/platform/nats';
import type { Sql, TransactionSql } from '@ektola/platform/postgres';
import {
  chunkSize,
  itemsOf,
  publishStatuses,
  type AnnounceTransitions,
  type TransitionRow,
} from './nats-status-announcer.ts';

/**
 * The statuses a moving statement leaves in dispatch.status_announcements instead of announcing them after
 * its commit: those nothing announces again when the dispatcher dies between the commit and the publish.
 */
export interface StatusOutbox {
  /** None when message.status_changed is off. */
  statuses: readonly string[];
  /** Told after a commit that left announcements, so the relay publishes them at once. */
  written(): void;
}

export const noStatusOutbox: StatusOutbox = { statuses: [], written: () => {} };

/** The outbox for SKIPPED and the FAILED the dispatcher writes itself; Meta's statuses come again on their own. */
export const statusOutbox = (written: () => void): StatusOutbox => ({ statuses: ['SKIPPED', 'FAILED'], written });

/**
 * The part of a moving statement that copies the rows of its CTE `moved` (the transition columns and `at`)
 * whose status the outbox holds, cut into the chunks the relay publishes as one event each, in message order.
 */
export const intoStatusOutbox = (sql: Sql | TransactionSql, outbox: StatusOutbox) => sql`
  insert into dispatch.status_announcements (batch, chunk, message_id, run_id, campaign_id, contact_id, phone, status,
                                             at, wamid, error_code, error_title, skip_reason)
  select ${randomUUID()}::uuid, (row_number() over (order by id) - 1) / ${chunkSize}, id, run_id, campaign_id,
         contact_id, phone, status, at, wamid, error_code, error_title, skip_reason
    from moved
   where status = any(${outbox.statuses as string[]}::text[])`;

/** After the commit: the outbox's statuses are the relay's to publish, the others are announced now. */
export async function announceMoved(
  rows: readonly TransitionRow[],
  outbox: StatusOutbox,
  announce: AnnounceTransitions,
): Promise<void> {
  const now = rows.filter((row) => !outbox.statuses.includes(row.status));
  if (now.length < rows.length) outbox.written();
  if (now.length > 0) await announce(now);
}

interface AnnouncementRow extends TransitionRow {
  row_id: string;
  batch: string;
  chunk: number;
}

/**
 * Publishes what the outbox holds, oldest first, one event per (statement, chunk) under the msgId
 * `publishStatuses` derives from its pairs, and deletes the rows of each event JetStream acknowledged.
 * A relay that dies between the two publishes the same chunk again, which JetStream stores once; a
 * publish that fails leaves its rows for the next pass and fails this one.
 */
export function createStatusRelay(options: { sql: Sql; publisher: EventPublisher; chunksPerPass?: number }) {
  const { sql } = options;
  const chunksPerPass = options.chunksPerPass ?? 50;
  return {
    async relay(signal: AbortSignal): Promise<void> {
      while (!signal.aborted) {
        // The chunks are found among the oldest rows by id, at most the pass's worth: grouping the
        // whole table instead read every row owed on every pass, so draining a backlog (a cancelled
        // run of a million, a NATS outage) cost the square of its size.
        const rows = await sql<AnnouncementRow[]>`
          select a.id as row_id, a.batch, a.chunk, a.message_id as id, a.run_id, a.campaign_id, a.contact_id,
                 a.phone, a.status, a.at, a.wamid, a.error_code, a.error_title, a.skip_reason
            from (select batch, chunk
                    from (select id, batch, chunk from dispatch.status_announcements
                           order by id limit ${chunksPerPass * chunkSize}) oldest
                   group by batch, chunk order by min(id) limit ${chunksPerPass}) c
            join dispatch.status_announcements a on a.batch = c.batch and a.chunk = c.chunk
           order by a.id`;
        if (rows.length === 0) return;
        const chunks = Map.groupBy(rows, (row) => `${row.batch}:${row.chunk}`);
        const results = await Promise.allSettled(
          [...chunks.values()].map(async (chunk) => {
            const ordered = chunk.toSorted((a, b) => (a.id < b.id ? -1 : 1));
            await publishStatuses(options.publisher, itemsOf(ordered));
            return chunk.map((row) => row.row_id);
          }),
        );
        const published = results.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
        if (published.length > 0)
          await sql`delete from dispatch.status_announcements where id = any(${published}::bigint[])`;
        const failed = results.find((result) => result.status === 'rejected');
        if (failed) throw failed.reason;
        if (chunks.size < chunksPerPass) return;
      }
    },
  };
}
