import type { SkipReason } from '@ektola/platform/events';
import { refreshStatistics, type Sql } from '@ektola/platform/postgres';
import type { RunTemplate } from '../domain/message-draft.ts';
import type { AssignedDraft, FanOutStore, NewRun, SkipCounts } from '../domain/ports.ts';
import { heldReason } from './held-messages-sql.ts';
import { transitionColumns } from './nats-status-announcer.ts';
import { skipPendingOfRun } from './postgres-run-cancellation-store.ts';
import { intoStatusOutbox, noStatusOutbox, type StatusOutbox } from './postgres-status-outbox.ts';

/** The messages stored SKIPPED (a contact already suppressed, a run cancelled) are left in `outbox` for message.skipped. */
export function createPostgresFanOutStore(sql: Sql, outbox: StatusOutbox = noStatusOutbox): FanOutStore {
  const skippedOutbox = { ...outbox, statuses: outbox.statuses.filter((status) => status === 'SKIPPED') };
  return {
    async openRun(run) {
      const guardrails = run.guardrails;
      const cap = guardrails?.frequencyCap;
      await sql`
        insert into dispatch.runs (id, campaign_id, template_id, phone_number_id, senders, test_send,
                                   frequency_cap_max, frequency_cap_window, blocked_calling_codes, send_window)
        values (${run.id}, ${run.campaignId}, ${run.templateId}, ${run.phoneNumberId},
                ${run.senders ? sql.json(run.senders) : null}, ${run.testSend ?? false},
                ${cap?.maxMessages ?? null}, ${cap ? `${cap.windowSeconds} seconds` : null}::interval,
                ${guardrails?.blockedCallingCodes ?? []}::text[],
                ${guardrails?.sendWindow ? sql.json(guardrails.sendWindow) : null})
        on conflict (id) do nothing`;
      const [row] = await sql<
        Array<{ fanout_cursor: string | null; fanout_done_at: Date | null; cancelled_at: Date | null }>
      >`
        select fanout_cursor, fanout_done_at, cancelled_at from dispatch.runs where id = ${run.id}`;
      return {
        cursor: row?.fanout_cursor ?? undefined,
        done: Boolean(row?.fanout_done_at),
        cancelled: Boolean(row?.cancelled_at),
      };
    },

    async insertMessages(run: NewRun, template: RunTemplate, drafts: readonly AssignedDraft[], queuedThrough) {
      // One statement per audience batch; rows a previous attempt stored are left as they are. A draft
      // that could be sent is stored SKIPPED when its contact is suppressed or the run is cancelled, and
      // announced through the outbox. One of a template Meta holds, or of a number that does not send
      // (a run whose senders are all stopped), is stored waiting with the reason, for the API to show.
      // The cursor's update reads the run's latest row, so a cancel committed meanwhile is seen.
      const rows = await sql<Array<{ status: string; skip_reason: SkipReason | null; count: number }>>`
        with run as (${
          queuedThrough === undefined
            ? sql`select cancelled_at is not null as cancelled from dispatch.runs where id = ${run.id}`
            : sql`update dispatch.runs set fanout_cursor = ${queuedThrough} where id = ${run.id}
                  returning cancelled_at is not null as cancelled`
        }),
        moved as (
        insert into dispatch.messages as m (id, run_id, campaign_id, contact_id, phone, phone_number_id,
                                       template_name, template_language, components, status, error_message, failed_at,
                                       skip_reason, skipped_at, marketing, timezone, next_attempt_at, waiting_reason)
        select u.id, ${run.id}, ${run.campaignId}, u.contact_id, u.phone, u.phone_number_id,
               ${template.name}, ${template.language}, u.components,
               case when u.skip_reason is null then u.status else 'SKIPPED' end, u.error_message,
               case when u.status = 'FAILED' then now() end,
               u.skip_reason, case when u.skip_reason is not null then now() end,
               ${template.category === 'MARKETING'}, u.timezone,
               case when u.skip_reason is null then u.not_before end,
               case when u.skip_reason is not null or u.status <> 'PENDING' then null
                    else coalesce(${heldReason(sql, {
                      phoneNumberId: sql`u.phone_number_id`,
                      templateName: sql`${template.name}`,
                      templateLanguage: sql`${template.language}`,
                    })},
                    case when u.not_before is not null then 'outside_send_window' end) end
          from (select d.*,
                       case when d.status <> 'PENDING' then null
                            when (select cancelled from run) then 'run_cancelled'
                            else s.reason end as skip_reason
                  from unnest(${drafts.map((draft) => draft.id)}::uuid[],
                              ${drafts.map((draft) => draft.contactId)}::text[],
                              ${drafts.map((draft) => draft.phone)}::text[],
                              -- One JSON text for the batch's components: an array of 1,000 JSON texts was
                              -- escaped element by element here and parsed back, quote by quote, by array_in.
                              array(select c from jsonb_array_elements(${sql.json(drafts.map((draft) => draft.components) as never)})
                                                  with ordinality as t(c, n) order by n),
                              ${drafts.map((draft) => draft.status)}::text[],
                              ${drafts.map((draft) => (draft.status === 'FAILED' ? draft.errorMessage : null))}::text[],
                              ${drafts.map((draft) => draft.timezone ?? null)}::text[],
                              ${drafts.map((draft) => (draft.status === 'PENDING' ? (draft.notBefore?.toISOString() ?? null) : null))}::timestamptz[],
                              ${drafts.map((draft) => draft.phoneNumberId)}::text[])
                       as d(id, contact_id, phone, components, status, error_message, timezone, not_before, phone_number_id)
                  left join dispatch.suppressions s on s.contact_id = d.contact_id and s.suppressed) u
         -- What a foreign key would check per row, checked once (migration 0021): the run's row is there.
         where exists (select from run)
        on conflict (run_id, contact_id) do nothing
        returning ${transitionColumns(sql)}, m.skipped_at as at),
        later as (${intoStatusOutbox(sql, skippedOutbox)})
        select status, skip_reason, count(*)::int as count from moved group by status, skip_reason
        union all
        select 'RUN', case when cancelled then 'run_cancelled' end, 0 from run`;
      // The run's row is read by the statement itself: without it nothing was stored.
      if (!rows.some((row) => row.status === 'RUN'))
        throw new Error(`run ${run.id} is not stored; its messages were not`);
      if (rows.some((row) => row.status === 'SKIPPED')) skippedOutbox.written();
      const countOf = (status: string) =>
        rows.filter((row) => row.status === status).reduce((sum, row) => sum + row.count, 0);
      const skipped: SkipCounts = {};
      for (const row of rows) if (row.status === 'SKIPPED' && row.skip_reason) skipped[row.skip_reason] = row.count;
      return {
        pending: countOf('PENDING'),
        failed: countOf('FAILED'),
        skipped,
        runCancelled: rows.some((row) => row.status === 'RUN' && row.skip_reason === 'run_cancelled'),
      };
    },

    async skipPendingOfCancelledRun(runId) {
      if ((await skipPendingOfRun(sql, runId, skippedOutbox)) > 0) skippedOutbox.written();
    },

    async finishFanOut(runId) {
      await sql`update dispatch.runs set fanout_done_at = now() where id = ${runId} and fanout_done_at is null`;
    },

    /**
     * Planned on statistics from before a large run, a page of its messages (`listMessages`, the CSV
     * export's read) took the run for a few hundred rows, read every message after the cursor through a
     * bitmap of `messages_run` and sorted them: 70 ms a page at the middle of a 100,000-message run, so
     * an export cost the square of the run. Once the planner knows the run's size, a page is a walk of
     * `messages_run` in id order (5 ms). `run_id` alone: about 0.1 s at 100,000 messages, where the whole
     * table takes 0.6 s.
     */
    async runStored(runId) {
      const [run] = await sql<Array<{ total: number }>>`select total from dispatch.run_progress where id = ${runId}`;
      await refreshStatistics(sql, { table: 'dispatch.messages', changed: run?.total ?? 0, columns: ['run_id'] });
    },
  };
}
