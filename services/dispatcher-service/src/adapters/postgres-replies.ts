import type { MessageStatus } from '@ektola/platform/events';
import type { Sql } from '@ektola/platform/postgres';
import type { ConversationEntry, ReplyQueries, ReplyReport, ReplyStore, StoredReply } from '../domain/ports.ts';

interface ReplyRow {
  wamid: string;
  phone: string;
  phone_number_id: string;
  type: string;
  text: string | null;
  payload: string | null;
  context_wamid: string | null;
  message_id: string | null;
  run_id: string | null;
  campaign_id: string | null;
  contact_id: string | null;
  profile_name: string | null;
  received_at: Date;
  event_published: boolean;
}

const replyOf = (row: ReplyRow): StoredReply => ({
  wamid: row.wamid,
  phone: row.phone,
  phoneNumberId: row.phone_number_id,
  type: row.type,
  text: row.text ?? undefined,
  payload: row.payload ?? undefined,
  contextWamid: row.context_wamid ?? undefined,
  messageId: row.message_id ?? undefined,
  runId: row.run_id ?? undefined,
  campaignId: row.campaign_id ?? undefined,
  contactId: row.contact_id ?? undefined,
  profileName: row.profile_name ?? undefined,
  receivedAt: row.received_at,
  eventPublished: row.event_published,
});

const replyColumns = (sql: Sql) =>
  sql`wamid, phone, phone_number_id, type, text, payload, context_wamid, message_id, run_id, campaign_id,
      contact_id, profile_name, received_at, event_published`;

/**
 * Replies in one statement: the row is inserted once per wamid with the message its context names (found
 * through the sends, by wamid), that message is flagged replied with the first reply's time, and a redelivery
 * inserts nothing and answers the row already stored (with `linkedOnly`, a message answering nothing of
 * ours inserts nothing and answers nothing, unless an earlier delivery stored it).
 */
export function createPostgresReplyStore(sql: Sql): ReplyStore {
  return {
    async record(message, { linkedOnly }) {
      const [row] = await sql<ReplyRow[]>`
        with inserted as (
          insert into dispatch.replies (wamid, phone, phone_number_id, type, text, payload, context_wamid,
                                        message_id, run_id, campaign_id, contact_id, profile_name, received_at)
          select ${message.wamid}, ${message.phone}, ${message.phoneNumberId}, ${message.type}, ${message.text ?? null},
                 ${message.payload ?? null}, ${message.contextWamid ?? null}, m.id, m.run_id, m.campaign_id, m.contact_id,
                 ${message.profileName ?? null}, ${message.receivedAt}
            from (select 1) one
            left join (dispatch.sends s join dispatch.messages m on m.id = s.message_id)
                   on s.wamid = ${message.contextWamid ?? null}
           where ${!linkedOnly} or m.id is not null
          on conflict (wamid) do nothing
          returning ${replyColumns(sql)}
        ), flagged as (
          update dispatch.messages m set replied_at = i.received_at
            from inserted i
           where m.id = i.message_id and (m.replied_at is null or m.replied_at > i.received_at)
        )
        select ${replyColumns(sql)} from inserted
        union all
        select ${replyColumns(sql)} from dispatch.replies
         where wamid = ${message.wamid} and not exists (select 1 from inserted)`;
      return row && replyOf(row);
    },

    async markPublished(wamid) {
      await sql`update dispatch.replies set event_published = true where wamid = ${wamid}`;
    },
  };
}

interface EntryRow {
  direction: 'outbound' | 'inbound';
  id: string;
  at: Date;
  sort_at: Date;
  sort_id: string;
  run_id: string | null;
  campaign_id: string | null;
  template_name: string | null;
  status: MessageStatus | null;
  wamid: string | null;
  sent_at: Date | null;
  delivered_at: Date | null;
  read_at: Date | null;
  failed_at: Date | null;
  replied_at: Date | null;
  type: string | null;
  text: string | null;
  payload: string | null;
  in_reply_to: string | null;
}

const entryOf = (row: EntryRow): ConversationEntry =>
  row.direction === 'outbound'
    ? {
        direction: 'outbound',
        id: row.id,
        at: row.at,
        position: { at: row.sort_at, id: row.sort_id },
        runId: row.run_id!,
        campaignId: row.campaign_id!,
        templateName: row.template_name!,
        status: row.status!,
        wamid: row.wamid ?? undefined,
        sentAt: row.sent_at ?? undefined,
        deliveredAt: row.delivered_at ?? undefined,
        readAt: row.read_at ?? undefined,
        failedAt: row.failed_at ?? undefined,
        repliedAt: row.replied_at ?? undefined,
      }
    : {
        direction: 'inbound',
        id: row.id,
        at: row.at,
        position: { at: row.sort_at, id: row.sort_id },
        type: row.type!,
        text: row.text ?? undefined,
        payload: row.payload ?? undefined,
        inReplyTo: row.in_reply_to ?? undefined,
        runId: row.run_id ?? undefined,
        campaignId: row.campaign_id ?? undefined,
      };

/** Conversations and reply listings in keyset pages over (time, id), never repeating or skipping an entry. */
export function createPostgresReplyQueries(sql: Sql): ReplyQueries {
  return {
    async conversation({ contactId, phone, after, limit }) {
      // Meta's timestamps are whole seconds, so entries are ordered by the second, campaign messages
      // before what the contact sent within it (an answer never precedes its question), then by id.
      const outboundAfter = after
        ? sql`and (date_trunc('second', m.created_at), '0' || m.id::text) > (${after.at}, ${after.id})`
        : sql``;
      const inboundAfter = after ? sql`and (r.received_at, '1' || r.wamid) > (${after.at}, ${after.id})` : sql``;
      const rows = await sql<EntryRow[]>`
        select * from (
          (select 'outbound' as direction, m.id::text as id, m.created_at as at,
                  date_trunc('second', m.created_at) as sort_at, '0' || m.id::text as sort_id,
                  m.run_id, m.campaign_id, m.template_name, m.status, m.wamid, m.sent_at, m.delivered_at,
                  m.read_at, m.failed_at, m.replied_at, null as type, null as text, null as payload, null::uuid as in_reply_to
             from dispatch.messages m
            where m.contact_id = ${contactId} ${outboundAfter}
            order by sort_at, sort_id
            limit ${limit})
          union all
          (select 'inbound', r.wamid, r.received_at, date_trunc('second', r.received_at), '1' || r.wamid,
                  r.run_id, r.campaign_id, null, null, null, null, null, null, null, null,
                  r.type, r.text, r.payload, r.message_id
             from dispatch.replies r
            where r.phone = ${phone} ${inboundAfter}
            order by 4, 5
            limit ${limit})
        ) entries
        order by sort_at, sort_id
        limit ${limit}`;
      return rows.map(entryOf);
    },

    async replies({ campaignId, since, after, limit }) {
      const rows = await sql<ReplyRow[]>`
        select ${replyColumns(sql)} from dispatch.replies
         where true
           ${campaignId ? sql`and campaign_id = ${campaignId}` : sql``}
           ${since ? sql`and received_at >= ${since}` : sql``}
           ${after ? sql`and (received_at, wamid) > (${after.at}, ${after.id})` : sql``}
         order by received_at, wamid
         limit ${limit}`;
      return rows.map(replyOf);
    },

    async reports(runIds) {
      if (runIds.length === 0) return [];
      const rows = await sql<
        Array<{ run_id: string; payload: string | null; text: string | null; by_button: boolean; count: number }>
      >`
        select run_id, payload, max(text) as text, grouping(payload) = 0 as by_button,
               (case when grouping(payload) = 0 then count(*) else count(distinct message_id) end)::int as count
          from dispatch.replies
         where run_id = any(${runIds as string[]}::uuid[])
         group by grouping sets ((run_id), (run_id, payload))`;
      const reports = new Map<string, ReplyReport>();
      for (const row of rows) {
        const report = reports.get(row.run_id) ?? { runId: row.run_id, replied: 0, byButton: [] };
        reports.set(row.run_id, report);
        if (!row.by_button) report.replied = row.count;
        else if (row.payload !== null)
          report.byButton.push({ payload: row.payload, text: row.text ?? '', count: row.count });
      }
      return [...reports.values()].map((report) => ({
        ...report,
        byButton: report.byButton.sort((a, b) => b.count - a.count || a.payload.localeCompare(b.payload)),
      }));
    },
  };
}
