import type { SendWindow } from '@ektola/platform/schedule';
import { randomUUID } from 'node:crypto';
import { notFound } from '@ektola/platform/errors';
import type { Sql } from '@ektola/platform/postgres';
import type { CampaignStatus, Recurrence } from '../domain/campaign-state.ts';
import { decodeCursor, pageOf } from '../domain/cursor.ts';
import type { Audience } from '../domain/audience.ts';
import type { EstimatedCost } from '../domain/estimated-cost.ts';
import type { Campaign, PausedBy } from '../domain/model.ts';
import type { CampaignRepository } from '../domain/ports.ts';

export interface CampaignRow {
  id: string;
  name: string;
  template_id: string;
  status: CampaignStatus;
  recurrence: Recurrence;
  timezone: string;
  start_at: Date;
  end_at: Date | null;
  audience: Audience;
  send_window: SendWindow | null;
  sender_ids: string[];
  audience_count: number | null;
  estimated_cost: EstimatedCost | null;
  last_skipped_period_key: string | null;
  last_skipped_scheduled_for: Date | null;
  last_skipped_reason: string | null;
  last_skipped_at: Date | null;
  paused_by: PausedBy | null;
  paused_reason: string | null;
  /** Present when the query joined the campaign's latest run. */
  last_period_key?: string | null;
  last_scheduled_for?: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const toCampaign = (row: CampaignRow): Campaign => ({
  id: row.id,
  name: row.name,
  templateId: row.template_id,
  status: row.status,
  recurrence: row.recurrence,
  timezone: row.timezone,
  startAt: row.start_at,
  endAt: row.end_at,
  audience: storedAudienceOf(row.audience),
  sendWindow: row.send_window,
  senders: row.sender_ids,
  audienceCount: row.audience_count,
  estimatedCost: row.estimated_cost,
  lastRun:
    row.last_period_key && row.last_scheduled_for
      ? { periodKey: row.last_period_key, scheduledFor: row.last_scheduled_for }
      : null,
  lastSkipped:
    row.last_skipped_period_key && row.last_skipped_scheduled_for && row.last_skipped_reason && row.last_skipped_at
      ? {
          periodKey: row.last_skipped_period_key,
          scheduledFor: row.last_skipped_scheduled_for,
          reason: row.last_skipped_reason,
          reportedAt: row.last_skipped_at,
        }
      : null,
  pausedBy: row.paused_by,
  pausedReason: row.paused_reason,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** An audience as stored; audiences migrated from tags alone have no conditions. */
export const storedAudienceOf = (stored: Partial<Audience>): Audience => ({
  tags: stored.tags ?? [],
  where: stored.where ?? [],
  segmentId: stored.segmentId,
  fromRun: stored.fromRun,
});

/** The audience as written, without keys it leaves unset, so containment finds the segment a campaign names. */
export const storedAudience = (sql: Pick<Sql, 'json'>, audience: Audience) =>
  sql.json({
    tags: audience.tags,
    where: audience.where,
    ...(audience.segmentId ? { segmentId: audience.segmentId } : {}),
    ...(audience.fromRun ? { fromRun: audience.fromRun } : {}),
  } as never);

const isForeignKeyViolation = (error: unknown) => (error as { code?: string }).code === '23503';

/** Campaigns with the latest period each has a run for (what the schedule needs to say what comes next). */
const campaignsWithLastRun = (sql: Sql) => sql`
  select c.*, last.period_key as last_period_key, last.scheduled_for as last_scheduled_for
  from campaign.campaigns c
  left join lateral (
    select period_key, scheduled_for from campaign.runs r
    where r.campaign_id = c.id
    order by r.scheduled_for desc, r.created_at desc
    limit 1
  ) last on true`;

export function createPostgresCampaignStore(sql: Sql): CampaignRepository {
  return {
    async create(fields) {
      try {
        const [row] = await sql<CampaignRow[]>`
          insert into campaign.campaigns (id, name, template_id, status, recurrence, timezone, start_at, end_at, audience,
                                          send_window, sender_ids)
          values (${randomUUID()}, ${fields.name}, ${fields.templateId}, 'DRAFT', ${fields.recurrence}, ${fields.timezone},
                  ${fields.startAt}, ${fields.endAt}, ${storedAudience(sql, fields.audience)},
                  ${fields.sendWindow ? sql.json(fields.sendWindow) : null}, ${fields.senders}::uuid[])
          returning *`;
        return toCampaign(row!);
      } catch (error) {
        if (isForeignKeyViolation(error)) return undefined;
        throw error;
      }
    },

    async get(id) {
      const [row] = await sql<CampaignRow[]>`${campaignsWithLastRun(sql)} where c.id = ${id}`;
      if (!row) throw notFound('campaign', id);
      return toCampaign(row);
    },

    /** The scheduler's skipped periods; a campaign keeps the latest by scheduled time, however reports arrive. */
    async recordSkippedPeriods(skipped, reportedAt) {
      if (skipped.length === 0) return;
      const rows = skipped.map((entry) => ({
        campaign_id: entry.campaignId,
        period_key: entry.periodKey,
        scheduled_for: entry.scheduledFor.toISOString(),
        reason: entry.reason,
      }));
      await sql`
        update campaign.campaigns c set
          last_skipped_period_key = s.period_key, last_skipped_scheduled_for = s.scheduled_for,
          last_skipped_reason = s.reason, last_skipped_at = ${reportedAt}
        from (
          select distinct on (campaign_id) * from jsonb_to_recordset(${sql.json(rows as never)}::jsonb)
            as r(campaign_id uuid, period_key text, scheduled_for timestamptz, reason text)
          order by campaign_id, scheduled_for desc
        ) s
        where c.id = s.campaign_id and (c.last_skipped_scheduled_for is null or c.last_skipped_scheduled_for <= s.scheduled_for)`;
    },

    async list(query) {
      const position = decodeCursor(query.cursor, 2);
      const rows = await sql<CampaignRow[]>`
        ${campaignsWithLastRun(sql)}
        where true
          ${position ? sql`and (c.created_at, c.id) < (${position[0]!}::timestamptz, ${position[1]!}::uuid)` : sql``}
          ${query.status ? sql`and c.status = ${query.status}` : sql``}
        order by c.created_at desc, c.id desc
        limit ${query.limit + 1}`;
      return pageOf(rows.map(toCampaign), query.limit, (campaign) => [campaign.createdAt.toISOString(), campaign.id]);
    },

    /** ACTIVE and PAUSED campaigns in id order, each with the latest period it has a run for. */
    async listSchedulable(pageSize, afterId) {
      const rows = await sql<CampaignRow[]>`
        ${campaignsWithLastRun(sql)}
        where c.status in ('ACTIVE', 'PAUSED') ${afterId ? sql`and c.id > ${afterId}` : sql``}
        order by c.id
        limit ${pageSize + 1}`;
      const page = rows.slice(0, pageSize);
      return {
        campaigns: page.map((row) => ({
          campaign: toCampaign(row),
          lastPeriodKey: row.last_period_key ?? null,
          lastScheduledFor: row.last_scheduled_for ?? null,
        })),
        nextAfter: rows.length > pageSize ? page.at(-1)?.id : undefined,
      };
    },

    /** Recurring campaigns whose end (plus the scheduler's grace for a late last period) has passed. */
    async completeEnded(now, graceMs) {
      const rows = await sql<Array<{ id: string }>>`
        update campaign.campaigns set status = 'COMPLETED', updated_at = now()
        where status in ('ACTIVE', 'PAUSED') and recurrence <> 'ONCE' and end_at is not null
          and end_at + make_interval(secs => ${graceMs / 1000}) < ${now}
        returning id`;
      return rows.map((row) => row.id);
    },
  };
}
