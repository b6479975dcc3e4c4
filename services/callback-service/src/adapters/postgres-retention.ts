import { pruneInBatches, type PruneMetrics, type Sql } from '@ektola/platform/postgres';

const day = 24 * 60 * 60 * 1000;

/**
 * Forgets finished deliveries (succeeded or failed) older than `retentionDays`, their attempts with
 * them, then the events no delivery refers to any more, in bounded statements. Pending deliveries
 * stay whatever their age: they are still owed.
 */
export function createPostgresRetention(options: {
  sql: Sql;
  retentionDays: number;
  batchSize: number;
  metrics: PruneMetrics;
}) {
  const { sql, batchSize, metrics } = options;
  return {
    async prune(now: Date, signal: AbortSignal): Promise<void> {
      const cutoff = new Date(now.getTime() - options.retentionDays * day);
      await pruneInBatches({
        table: 'callbacks.deliveries',
        batchSize,
        metrics,
        signal,
        deleteBatch: async (limit) =>
          (
            await sql`delete from callbacks.deliveries
                       where id in (select id from callbacks.deliveries
                                     where status <> 'pending' and completed_at < ${cutoff}
                                     limit ${limit})`
          ).count,
      });
      await pruneInBatches({
        table: 'callbacks.events',
        batchSize,
        metrics,
        signal,
        deleteBatch: async (limit) =>
          (
            await sql`delete from callbacks.events
                       where id in (select e.id from callbacks.events e
                                     where e.created_at < ${cutoff}
                                       and not exists (select 1 from callbacks.deliveries d where d.event_id = e.id)
                                     limit ${limit})`
          ).count,
      });
    },
  };
}
