import { pruneInBatches, type PruneMetrics, type Sql } from '@ektola/platform/postgres';

const hour = 60 * 60 * 1000;
const day = 24 * hour;
/** The tier gate looks back 24 hours; an hour more covers a bucket that began just before the window. */
const tierLookbackMs = 25 * hour;

/**
 * Forgets what the dispatcher no longer needs, in statements of at most `batchSize` rows so no lock is
 * held for long: the messages of runs completed (and announced) longer ago than `messageRetentionDays`
 * with their rows of the sends, then those runs with their counter stripes, and tier-limit rows past
 * the 24-hour window. Deleting messages fires no counting trigger (those are AFTER INSERT and AFTER
 * UPDATE only), so a run's counts stay as they were until the run itself goes. A message whose dead
 * letter is not yet published is kept, and with it its run.
 * What customers sent (replies) is kept as long as messages, counted from when it arrived.
 * Rate slots are pruned by the reconciliation sweeper every few seconds already.
 */
export function createPostgresRetention(options: {
  sql: Sql;
  messageRetentionDays: number;
  batchSize: number;
  metrics: PruneMetrics;
}) {
  const { sql, batchSize, metrics } = options;

  async function pruneRun(runId: string, signal: AbortSignal): Promise<void> {
    await pruneInBatches({
      table: 'dispatch.messages',
      batchSize,
      metrics,
      signal,
      deleteBatch: async (limit) =>
        (
          await sql<Array<{ count: number }>>`
            with gone as (
              delete from dispatch.messages
               where id in (select id from dispatch.messages
                             where run_id = ${runId} and not dead_letter_pending
                             limit ${limit})
              returning wamid
            ),
            sends as (delete from dispatch.sends s using gone where s.wamid = gone.wamid)
            select count(*)::int as count from gone`
        )[0]!.count,
    });
    if (signal.aborted) return;
    // The run's counter stripes (migration 0017) go with it.
    const [deleted] = await sql<[{ runs: number }]>`
      with gone as (
        delete from dispatch.runs r
         where r.id = ${runId} and not exists (select 1 from dispatch.messages m where m.run_id = r.id)
        returning r.id
      ),
      stripes as (delete from dispatch.run_counts c using gone where c.run_id = gone.id)
      select count(*)::int as runs from gone`;
    if (deleted.runs > 0) metrics.pruned('dispatch.runs', deleted.runs);
  }

  /**
   * Rows whose `column` is before `before`, picked by physical row id: a row updated meanwhile (a recipient
   * counted again) has moved and is skipped, where a match by key would delete its fresh version.
   */
  const pruneOlderThan = (
    table: 'tier_recipients' | 'tier_hours' | 'replies',
    column: 'counted_at' | 'hour' | 'received_at',
    before: Date,
    signal: AbortSignal,
  ) =>
    pruneInBatches({
      table: `dispatch.${table}`,
      batchSize,
      metrics,
      signal,
      deleteBatch: async (limit) =>
        (
          await sql`delete from ${sql(`dispatch.${table}`)}
                     where ctid = any(array(select ctid from ${sql(`dispatch.${table}`)} where ${sql(column)} < ${before} limit ${limit}))`
        ).count,
    });

  return {
    async prune(now: Date, signal: AbortSignal): Promise<void> {
      const messagesBefore = new Date(now.getTime() - options.messageRetentionDays * day);
      const expired = await sql<Array<{ id: string }>>`
        select id from dispatch.runs
         where completed_at < ${messagesBefore} and completion_published
         order by completed_at`;
      for (const { id } of expired) {
        if (signal.aborted) return;
        await pruneRun(id, signal);
      }

      const tierBefore = new Date(now.getTime() - tierLookbackMs);
      // Replies go with the messages they answer: after the same retention, by when they arrived.
      await pruneOlderThan('replies', 'received_at', messagesBefore, signal);
      await pruneOlderThan('tier_recipients', 'counted_at', tierBefore, signal);
      await pruneOlderThan('tier_hours', 'hour', tierBefore, signal);
    },
  };
}
