import type { MessageStatus, SkipReason, StatusCounts } from '@ektola/platform/events';
import type { Sql } from '@ektola/platform/postgres';
import { waitingReasonOf } from '../domain/marketing-limit.ts';
import type { MessageRecord, RunRecord, RunStore, WaitingReason } from '../domain/ports.ts';
import { reachedFrequencyCap } from './frequency-cap-sql.ts';

interface RunRow {
  id: string;
  campaign_id: string;
  phone_number_id: string;
  total: number;
  pending: number;
  sending: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  skipped: number;
  fanout_done_at: Date | null;
  completed_at: Date | null;
}

/** The counts of a row that carries one column per status. */
const statusCountsOf = (row: StatusCounts): StatusCounts => ({
  pending: row.pending,
  sending: row.sending,
  sent: row.sent,
  delivered: row.delivered,
  read: row.read,
  failed: row.failed,
  skipped: row.skipped,
});

const runOf = (row: RunRow): RunRecord => ({
  id: row.id,
  campaignId: row.campaign_id,
  phoneNumberId: row.phone_number_id,
  total: row.total,
  counts: statusCountsOf(row),
  fannedOut: row.fanout_done_at !== null,
  completedAt: row.completed_at ?? undefined,
});

const runColumns = (sql: Sql) =>
  sql`id, campaign_id, phone_number_id, total, pending, sending, sent, delivered, read, failed, skipped, fanout_done_at, completed_at`;

/**
 * How long a message FAILED with 131049, and with marketing-limit retries left, holds its run open: the
 * move back to PENDING follows the FAILED write at once, so this only bounds what a crash between the
 * two leaves (the message then stays FAILED with Meta's verdict and the run completes).
 */
const marketingLimitDeferGraceMs = 60_000;

export function createPostgresRunStore(sql: Sql, options: { marketingLimitRetries: number }): RunStore {
  return {
    /**
     * Marks complete the given runs (or every open one) that are fanned out with nothing PENDING or
     * SENDING and no message about to be tried again for Meta's marketing limit: a 131049 is written
     * FAILED and then moved back to PENDING, and a run completed in between would announce its end
     * while a message still waits.
     */
    async completeFinished(runIds?: readonly string[]): Promise<RunRecord[]> {
      // A test send's completion is written published at once, so neither this nor the sweeper announces it.
      // The counts come from one snapshot of the run's stripes and messages: with nothing PENDING or
      // SENDING in it, every message is final, and only the marketing-limit move below takes one back.
      const rows = await sql<RunRow[]>`
        with completed as (
          update dispatch.runs r set completed_at = now(), completion_published = r.completion_published or r.test_send
            from dispatch.run_progress p
           where p.id = r.id and r.completed_at is null and r.fanout_done_at is not null and p.pending = 0 and p.sending = 0
             ${runIds ? sql`and r.id = any(${runIds as string[]}::uuid[])` : sql``}
             and not exists (
               select 1 from dispatch.messages m
                -- 131049 written out, not bound: only a literal lets the planner use the partial index messages_marketing_limited.
                where m.run_id = r.id and m.status = 'FAILED' and m.error_code = 131049
                  and m.marketing_limit_retries < ${options.marketingLimitRetries}
                  and m.updated_at > now() - ${marketingLimitDeferGraceMs} * interval '1 millisecond')
          returning r.id, r.campaign_id, r.phone_number_id, r.fanout_done_at, r.completed_at, r.test_send,
                    p.total, p.pending, p.sending, p.sent, p.delivered, p.read, p.failed, p.skipped
        )
        select ${runColumns(sql)} from completed where not test_send`;
      return rows.map(runOf);
    },

    async unpublishedCompletions(limit = 100): Promise<RunRecord[]> {
      const rows = await sql<RunRow[]>`
        select ${runColumns(sql)} from dispatch.run_progress
         where completed_at is not null and not completion_published limit ${limit}`;
      return rows.map(runOf);
    },

    async markCompletionPublished(runIds: readonly string[]): Promise<void> {
      if (runIds.length === 0) return;
      await sql`update dispatch.runs set completion_published = true where id = any(${runIds as string[]}::uuid[])`;
    },

    async find(runId: string): Promise<RunRecord | undefined> {
      const [row] = await sql<RunRow[]>`select ${runColumns(sql)} from dispatch.run_progress where id = ${runId}`;
      return row ? runOf(row) : undefined;
    },

    async listMessages(options: {
      runId: string;
      status: MessageStatus | undefined;
      errorCode?: number | undefined;
      afterId: string | undefined;
      limit: number;
    }): Promise<MessageRecord[]> {
      const rows = await sql<MessageRow[]>`
        select ${messageColumns(sql)} from dispatch.messages
         where run_id = ${options.runId}
           ${options.status ? sql`and status = ${options.status}` : sql``}
           ${options.errorCode === undefined ? sql`` : sql`and error_code = ${options.errorCode}`}
           ${options.afterId ? sql`and id > ${options.afterId}` : sql``}
         order by id
         limit ${options.limit}`;
      return rows.map(messageOf);
    },

    async getMessage(id: string): Promise<MessageRecord | undefined> {
      const [row] = await sql<MessageRow[]>`select ${messageColumns(sql)} from dispatch.messages where id = ${id}`;
      return row ? messageOf(row) : undefined;
    },

    /** Keyset over the (run_id, contact_id) unique index, so no page reads more than it returns. */
    async recipientsPage(options) {
      const rows = await sql<Array<{ contact_id: string }>>`
        select contact_id from dispatch.messages
         where run_id = ${options.runId}
           and status = any(${[...options.statuses]}::text[])
           ${options.errorCodes.length > 0 ? sql`and error_code = any(${[...options.errorCodes]}::int[])` : sql``}
           ${options.replied === undefined ? sql`` : options.replied ? sql`and replied_at is not null` : sql`and replied_at is null`}
           ${options.afterContactId ? sql`and contact_id > ${options.afterContactId}` : sql``}
         order by contact_id
         limit ${options.limit}`;
      return rows.map((row) => row.contact_id);
    },

    async frequencyCapped(options) {
      const rows = await sql<Array<{ contact_id: string }>>`
        select c.contact_id from unnest(${[...options.contactIds]}::text[]) as c(contact_id)
         where ${reachedFrequencyCap(sql, {
           contactId: sql`c.contact_id`,
           window: sql`make_interval(secs => ${options.windowSeconds})`,
           max: sql`${options.maxMessages}::int`,
         })}
         order by c.contact_id`;
      return rows.map((row) => row.contact_id);
    },

    /** Read from the run counters (migration 0017: the runs' columns and their stripes), never counted over the messages. */
    async openRunCounts(): Promise<StatusCounts> {
      const [row] = await sql<StatusCounts[]>`
        select coalesce(sum(pending), 0)::int as pending, coalesce(sum(sending), 0)::int as sending,
               coalesce(sum(sent), 0)::int as sent, coalesce(sum(delivered), 0)::int as delivered,
               coalesce(sum(read), 0)::int as read, coalesce(sum(failed), 0)::int as failed,
               coalesce(sum(skipped), 0)::int as skipped
          from dispatch.run_progress where completed_at is null`;
      return row!;
    },
  };
}

interface MessageRow {
  id: string;
  run_id: string;
  campaign_id: string;
  contact_id: string;
  phone: string;
  status: MessageStatus;
  wamid: string | null;
  error_code: number | null;
  error_message: string | null;
  attempts: number;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
  delivered_at: Date | null;
  read_at: Date | null;
  failed_at: Date | null;
  skip_reason: SkipReason | null;
  skipped_at: Date | null;
  error_title: string | null;
  category: string | null;
  billable: boolean | null;
  pricing_model: string | null;
  waiting_reason: WaitingReason | null;
  next_attempt_at: Date | null;
}

const messageColumns = (sql: Sql) =>
  sql`id, run_id, campaign_id, contact_id, phone, status, wamid, error_code, error_message, attempts,
      created_at, updated_at, sent_at, delivered_at, read_at, failed_at, skip_reason, skipped_at,
      error_title, category, billable, pricing_model, waiting_reason, next_attempt_at`;

const messageOf = (row: MessageRow): MessageRecord => ({
  id: row.id,
  runId: row.run_id,
  campaignId: row.campaign_id,
  contactId: row.contact_id,
  phone: row.phone,
  status: row.status,
  wamid: row.wamid ?? undefined,
  errorCode: row.error_code ?? undefined,
  errorMessage: row.error_message ?? undefined,
  attempts: row.attempts,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  sentAt: row.sent_at ?? undefined,
  deliveredAt: row.delivered_at ?? undefined,
  readAt: row.read_at ?? undefined,
  failedAt: row.failed_at ?? undefined,
  skipReason: row.skip_reason ?? undefined,
  skippedAt: row.skipped_at ?? undefined,
  errorTitle: row.error_title ?? undefined,
  category: row.category ?? undefined,
  billable: row.billable ?? undefined,
  pricingModel: row.pricing_model ?? undefined,
  waitingReason: row.waiting_reason ?? waitingReasonOf(row.status, row.error_code ?? undefined),
  nextAttemptAt: row.status === 'PENDING' ? (row.next_attempt_at ?? undefined) : undefined,
});
