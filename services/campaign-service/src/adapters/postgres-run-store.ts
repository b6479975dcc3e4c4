import { DomainError, notFound } from '@ektola/platform/errors';
import type { Sql } from '@ektola/platform/postgres';
import { decodeCursor, pageOf } from '../domain/cursor.ts';
import type { MessageCounts, Run, RunStatus } from '../domain/model.ts';
import type { RunLedger } from '../domain/ports.ts';

export interface RunRow {
  id: string;
  campaign_id: string;
  template_id: string;
  period_key: string;
  scheduled_for: Date;
  status: RunStatus;
  counts: MessageCounts | null;
  created_at: Date;
  completed_at: Date | null;
  cancelled_at: Date | null;
}

export const toRun = (row: RunRow): Run => ({
  id: row.id,
  campaignId: row.campaign_id,
  templateId: row.template_id,
  periodKey: row.period_key,
  scheduledFor: row.scheduled_for,
  status: row.status,
  counts: row.counts,
  createdAt: row.created_at,
  completedAt: row.completed_at,
  cancelledAt: row.cancelled_at,
});

export function createPostgresRunStore(sql: Sql): RunLedger {
  return {
    async get(id) {
      const [row] = await sql<RunRow[]>`select * from campaign.runs where id = ${id}`;
      if (!row) throw notFound('run', id);
      return toRun(row);
    },

    async listForCampaign(campaignId, query) {
      const position = decodeCursor(query.cursor, 2);
      const rows = await sql<RunRow[]>`
        select * from campaign.runs
        where campaign_id = ${campaignId}
          ${position ? sql`and (scheduled_for, id) < (${position[0]!}::timestamptz, ${position[1]!}::uuid)` : sql``}
        order by scheduled_for desc, id desc
        limit ${query.limit + 1}`;
      return pageOf(rows.map(toRun), query.limit, (run) => [run.scheduledFor.toISOString(), run.id]);
    },

    async scheduledSince(since, limit) {
      const rows = await sql<RunRow[]>`
        select * from campaign.runs where scheduled_for >= ${since}
         order by scheduled_for desc, id desc limit ${limit}`;
      return rows.map(toRun);
    },

    /**
     * Applies the dispatcher's run.completed; a redelivery finds the run already completed and changes
     * nothing. A cancelled run stays CANCELLED and keeps the final counts of the messages that did go.
     */
    async markCompleted(input) {
      const updated = await sql`
        update campaign.runs set
          status = case when status = 'CANCELLED' then status else 'COMPLETED' end,
          completed_at = ${input.completedAt},
          counts = ${sql.json(input.counts as never)}
        where id = ${input.runId} and completed_at is null`;
      if (updated.count > 0) return 'completed';
      const [exists] = await sql`select 1 from campaign.runs where id = ${input.runId}`;
      if (!exists) throw new DomainError('not_found', `run ${input.runId} is not one of ours`, { retryable: false });
      return 'already';
    },
  };
}
