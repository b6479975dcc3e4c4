import { randomUUID } from 'node:crypto';
import { DomainError, failedPrecondition, notFound } from '@ektola/platform/errors';
import type { Clock } from '@ektola/platform/clock';
import { runRequested, type PayloadOf } from '@ektola/platform/events';
import type { Sql } from '@ektola/platform/postgres';
import type { Recurrence } from '../domain/campaign-state.ts';
import { unscheduledPeriodProblem } from '../domain/campaign-schedule.ts';
import { decodeCursor, pageOf, type Page } from '../domain/cursor.ts';
import { outboxEventName } from './postgres-outbox-relay.ts';
import type { MessageCounts, Run, RunStatus } from '../domain/model.ts';

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

export function createPostgresRunStore(sql: Sql, clock: Clock) {
  return {
    /**
     * One run per (campaign, period). The campaign row lock serialises concurrent calls, so the second
     * finds the first's run; the unique constraint backs that up. The run, its outbox event and a ONCE
     * campaign's completion commit together or not at all.
     */
    async createRun(input: { campaignId: string; periodKey: string; scheduledFor: Date }): Promise<{ run: Run; created: boolean }> {
      return sql.begin(async (tx) => {
        const [campaign] = await tx<Array<{ status: string; template_id: string; recurrence: Recurrence; timezone: string; start_at: Date; end_at: Date | null }>>`
          select status, template_id, recurrence, timezone, start_at, end_at from campaign.campaigns where id = ${input.campaignId} for update`;
        if (!campaign) throw notFound('campaign', input.campaignId);
        const schedule = { recurrence: campaign.recurrence, timezone: campaign.timezone, startAt: campaign.start_at, endAt: campaign.end_at, lastRun: null };
        const unscheduled = unscheduledPeriodProblem(schedule, { periodKey: input.periodKey, scheduledFor: input.scheduledFor });
        if (unscheduled) throw unscheduled;
        const [existing] = await tx<RunRow[]>`
          select * from campaign.runs where campaign_id = ${input.campaignId} and period_key = ${input.periodKey}`;
        if (existing) return { run: toRun(existing), created: false };
        if (campaign.status !== 'ACTIVE') throw failedPrecondition(`the campaign is ${campaign.status}; runs are created only for ACTIVE campaigns`, 'campaign_not_active');

        const id = randomUUID();
        const [row] = await tx<RunRow[]>`
          insert into campaign.runs (id, campaign_id, template_id, period_key, scheduled_for, status)
          values (${id}, ${input.campaignId}, ${campaign.template_id}, ${input.periodKey}, ${input.scheduledFor}, 'REQUESTED')
          returning *`;
        const payload: PayloadOf<typeof runRequested> = {
          runId: id,
          campaignId: input.campaignId,
          templateId: campaign.template_id,
          periodKey: input.periodKey,
          scheduledFor: input.scheduledFor.toISOString(),
          requestedAt: clock.now().toISOString(),
        };
        await tx`
          insert into campaign.outbox (id, event, payload)
          values (${randomUUID()}, ${outboxEventName(runRequested)}, ${tx.json(payload)})`;
        if (campaign.recurrence === 'ONCE') {
          await tx`update campaign.campaigns set status = 'COMPLETED', updated_at = now() where id = ${input.campaignId}`;
        }
        return { run: toRun(row!), created: true };
      });
    },

    async get(id: string): Promise<Run> {
      const [row] = await sql<RunRow[]>`select * from campaign.runs where id = ${id}`;
      if (!row) throw notFound('run', id);
      return toRun(row);
    },

    async listForCampaign(campaignId: string, query: { limit: number; cursor?: string | undefined }): Promise<Page<Run>> {
      const position = decodeCursor(query.cursor, 2);
      const rows = await sql<RunRow[]>`
        select * from campaign.runs
        where campaign_id = ${campaignId}
          ${position ? sql`and (scheduled_for, id) < (${position[0]!}::timestamptz, ${position[1]!}::uuid)` : sql``}
        order by scheduled_for desc, id desc
        limit ${query.limit + 1}`;
      return pageOf(rows.map(toRun), query.limit, (run) => [run.scheduledFor.toISOString(), run.id]);
    },

    /**
     * Applies the dispatcher's run.completed; a redelivery finds the run already completed and changes
     * nothing. A cancelled run stays CANCELLED and keeps the final counts of the messages that did go.
     */
    async markCompleted(input: { runId: string; completedAt: Date; counts: MessageCounts }): Promise<'completed' | 'already' > {
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

export type RunStore = ReturnType<typeof createPostgresRunStore>;
