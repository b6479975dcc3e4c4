import type { Sql } from '@ektola/platform/postgres';
import type { MessageDraft, RunTemplate } from '../domain/message-draft.ts';
import type { FanOutStore, NewRun } from '../domain/ports.ts';

export function createPostgresFanOutStore(sql: Sql): FanOutStore {
  return {
    async openRun(run) {
      await sql`
        insert into dispatch.runs (id, campaign_id, template_id, phone_number_id)
        values (${run.id}, ${run.campaignId}, ${run.templateId}, ${run.phoneNumberId})
        on conflict (id) do nothing`;
      const [row] = await sql<Array<{ fanout_cursor: string | null; fanout_done_at: Date | null }>>`
        select fanout_cursor, fanout_done_at from dispatch.runs where id = ${run.id}`;
      return { cursor: row?.fanout_cursor ?? undefined, done: Boolean(row?.fanout_done_at) };
    },

    async insertMessages(run: NewRun, template: RunTemplate, drafts: readonly MessageDraft[]) {
      // One statement per audience batch; rows a previous attempt stored are left as they are.
      const rows = await sql<Array<{ status: string; count: number }>>`
        with inserted as (
        insert into dispatch.messages (id, run_id, campaign_id, contact_id, phone, phone_number_id,
                                       template_name, template_language, components, status, error_message, failed_at)
        select u.id, ${run.id}, ${run.campaignId}, u.contact_id, u.phone, ${run.phoneNumberId},
               ${template.name}, ${template.language}, u.components::jsonb, u.status, u.error_message,
               case when u.status = 'FAILED' then now() end
          from unnest(${drafts.map((draft) => draft.id)}::uuid[],
                      ${drafts.map((draft) => draft.contactId)}::text[],
                      ${drafts.map((draft) => draft.phone)}::text[],
                      ${drafts.map((draft) => JSON.stringify(draft.components))}::text[],
                      ${drafts.map((draft) => draft.status)}::text[],
                      ${drafts.map((draft) => (draft.status === 'FAILED' ? draft.errorMessage : null))}::text[])
               as u(id, contact_id, phone, components, status, error_message)
        on conflict (run_id, contact_id) do nothing
        returning status)
        select status, count(*)::int as count from inserted group by status`;
      const countOf = (status: string) => rows.find((row) => row.status === status)?.count ?? 0;
      return { pending: countOf('PENDING'), failed: countOf('FAILED') };
    },

    async advanceCursor(runId, contactId) {
      await sql`update dispatch.runs set fanout_cursor = ${contactId} where id = ${runId}`;
    },

    async finishFanOut(runId) {
      await sql`update dispatch.runs set fanout_done_at = now() where id = ${runId} and fanout_done_at is null`;
    },
  };
}
