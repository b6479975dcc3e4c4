import type { Sql } from '@ektola/platform/postgres';
import type { TemplateHolds } from '../domain/ports.ts';

/**
 * Templates Meta holds. The hold and the marks on its messages commit together; the claim reads the hold
 * itself, so a message the marks missed (stored a moment later) is not sent either. Messages are found
 * through the open runs, whose messages carry the template's name and language.
 */
export function createPostgresTemplateHolds(sql: Sql): TemplateHolds {
  return {
    async hold(template) {
      return sql.begin(async (tx) => {
        await tx`
          insert into dispatch.template_holds (template_name, template_language, event, reason, since)
          values (${template.name}, ${template.language}, ${template.event}, ${template.reason ?? null}, ${template.since})
          on conflict (template_name, template_language) do update
            set event = excluded.event, reason = excluded.reason, since = excluded.since
            where dispatch.template_holds.since <= excluded.since`;
        const marked = await tx`
          update dispatch.messages m set waiting_reason = 'template_paused', updated_at = now()
            from dispatch.runs r
           where r.completed_at is null and m.run_id = r.id and m.status = 'PENDING'
             and m.template_name = ${template.name} and m.template_language = ${template.language}
             and (m.waiting_reason is null or m.waiting_reason = 'outside_send_window')
          returning m.id`;
        return marked.length;
      });
    },

    async release(template) {
      return sql.begin(async (tx) => {
        const released = await tx`
          delete from dispatch.template_holds
           where template_name = ${template.name} and template_language = ${template.language}
             and since <= ${template.at}
          returning template_name`;
        if (released.length === 0) return [];
        // A message still early for its send window shows that wait again; its window's opening queues it.
        const rows = await tx<Array<{ id: string; run_id: string }>>`
          with freed as (
            update dispatch.messages m
               set waiting_reason = case when m.next_attempt_at > now() then 'outside_send_window' end, updated_at = now()
              from dispatch.runs r
             where r.completed_at is null and m.run_id = r.id and m.status = 'PENDING'
               and m.template_name = ${template.name} and m.template_language = ${template.language}
               and m.waiting_reason = 'template_paused'
            returning m.id)
          select m.id, m.run_id from dispatch.messages m join dispatch.runs r on r.id = m.run_id
           where r.completed_at is null and m.status = 'PENDING'
             and m.template_name = ${template.name} and m.template_language = ${template.language}
           order by m.id`;
        return rows.map((row) => ({ id: row.id, runId: row.run_id }));
      });
    },
  };
}
