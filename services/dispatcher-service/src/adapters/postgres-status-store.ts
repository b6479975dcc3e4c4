import { messageStatus, type MessageStatus } from '@ektola/platform/events';
import type { Sql } from '@ektola/platform/postgres';
import { mayMove, statusRank } from '../domain/message-status.ts';
import type { StatusStore } from '../domain/ports.ts';
import type { AnnounceTransitions, TransitionRow } from './nats-status-announcer.ts';

const all: MessageStatus[] = messageStatus.options;
/** The transition rules of the domain, handed to SQL as data so there is one definition of them. */
const allowedMoves = all.flatMap((from) => all.filter((to) => mayMove(from, to)).map((to) => `${from}>${to}`));
const byRank = [...all].sort((a, b) => statusRank[a] - statusRank[b]);

/** A row of the status statement: the batch's summary, a count of messages moved into a status, or a status to announce. */
type OutputRow = {
  found: number[] | null;
  run_ids: string[] | null;
  moved: MessageStatus | null;
  moved_count: number | null;
} & {
  [column in keyof TransitionRow]: TransitionRow[column] | null;
};

/**
 * `announce` is told each message a batch moved, and each one already at the status a redelivered
 * notification carries, so a status whose announcement was cut short by a crash is announced again.
 */
export function createPostgresStatusStore(sql: Sql, announce: AnnounceTransitions = async () => {}): StatusStore {
  return {
    async apply(updates) {
      if (updates.length === 0) return { found: [], runIds: [], moved: {} };
      // Three kinds of row, in one statement so the batch commits once: a single row of the inputs whose
      // message was found (by position) and the runs they touched, one row per status moved into with its
      // count, and one row per status to announce, as columns. Aggregated where the caller needs only a
      // summary, so a batch returns about a row per message rather than two per status.
      const rows = await sql<Array<OutputRow>>`
        with input as (
          select * from unnest(${updates.map((u) => u.wamid)}::text[],
                               ${updates.map((u) => u.messageId ?? null)}::uuid[],
                               ${updates.map((u) => u.status)}::text[],
                               ${updates.map((u) => u.occurredAt)}::timestamptz[],
                               ${updates.map((u) => u.errorCode ?? null)}::int[],
                               ${updates.map((u) => u.errorMessage ?? null)}::text[],
                               ${updates.map((u) => u.errorTitle ?? null)}::text[],
                               -- As text: postgres.js cannot send a boolean array holding nulls.
                               ${updates.map((u) => (u.pricing?.billable === undefined ? null : String(u.pricing.billable)))}::text[],
                               ${updates.map((u) => u.pricing?.category ?? null)}::text[],
                               ${updates.map((u) => u.pricing?.pricingModel ?? null)}::text[])
                 with ordinality as i(wamid, biz, status, occurred_at, code, message, title, billable, category, pricing_model, ord)
        ),
        -- By our id when Meta echoed it, by wamid otherwise: the sends are read only when the id finds nothing.
        matched as (
          select i.*, m.id as message_id, m.run_id
            from input i
            left join lateral (
              select id, run_id from dispatch.messages where id = i.biz
              union all
              select m.id, m.run_id from dispatch.sends s join dispatch.messages m on m.id = s.message_id
               where s.wamid = i.wamid
              limit 1
            ) m on true
        ),
        chosen as (
          select distinct on (message_id) message_id, wamid, status, occurred_at, code, message, title
            from matched where message_id is not null
           order by message_id, array_position(${byRank}::text[], status) desc
        ),
        -- Pricing from whichever status of the batch carries it (read and failed carry none), the latest first.
        priced as (
          select distinct on (message_id) message_id, billable::boolean as billable, category, pricing_model
            from matched where message_id is not null and (billable is not null or category is not null)
           order by message_id, ord desc
        ),
        -- Rows are locked in id order by every multi-row writer, so concurrent batches cannot deadlock.
        -- The locked rows carry the chosen status, so the update below joins each row once (by primary
        -- key) instead of matching two lists against each other.
        locked as (
          select c.*, p.billable, p.category, p.pricing_model, p.message_id is not null as priced,
                 (l.status || '>' || c.status) = any(${allowedMoves}::text[]) as moves, l.status as current_status,
                 l.run_id, l.campaign_id, l.contact_id, l.phone, l.wamid as known_wamid, l.skip_reason
            from chosen c join dispatch.messages l on l.id = c.message_id
            left join priced p on p.message_id = c.message_id
           order by l.id for update of l
        ),
        -- A status that moves nothing still brings pricing the message lacks (a sent arriving after its read).
        repriced as (
          update dispatch.messages m
             set billable = c.billable, category = c.category, pricing_model = c.pricing_model
            from locked c
           where m.id = c.message_id and not c.moves and c.priced
             and (m.billable, m.category, m.pricing_model) is distinct from (c.billable, c.category, c.pricing_model)
          returning m.id
        ),
        -- Both updates run (PostgreSQL completes every data-modifying CTE) and touch disjoint rows.
        moved as (
          update dispatch.messages m
             set status = c.status,
                 wamid = coalesce(m.wamid, c.wamid),
                 lease_until = null,
                 next_attempt_at = null,
                 -- Meta's times are whole seconds and ours are not: each time is kept at or after the one
                 -- before it, so a delivery never reads as earlier than its send, nor a read than its delivery.
                 sent_at = case when c.status = 'FAILED' then m.sent_at else coalesce(m.sent_at, c.occurred_at) end,
                 delivered_at = case when c.status in ('DELIVERED', 'READ') then coalesce(m.delivered_at, greatest(c.occurred_at, m.sent_at))
                                     else m.delivered_at end,
                 read_at = case when c.status = 'READ' then greatest(c.occurred_at, m.delivered_at, m.sent_at) else m.read_at end,
                 failed_at = case when c.status = 'FAILED' then greatest(c.occurred_at, m.sent_at) else m.failed_at end,
                 error_code = case when c.status = 'FAILED' then c.code else m.error_code end,
                 error_message = case when c.status = 'FAILED' then c.message else m.error_message end,
                 error_title = case when c.status = 'FAILED' then c.title else m.error_title end,
                 billable = case when c.priced then c.billable else m.billable end,
                 category = case when c.priced then c.category else m.category end,
                 pricing_model = case when c.priced then c.pricing_model else m.pricing_model end,
                 updated_at = now()
            from locked c
           where m.id = c.message_id and c.moves
          returning m.status
        )
        select array_agg(ord::int) filter (where run_id is not null) as found,
               array_agg(distinct run_id) filter (where run_id is not null) as run_ids,
               null::text as moved, null::int as moved_count,
               null::uuid as id, null::uuid as run_id, null::uuid as campaign_id, null::text as contact_id,
               null::text as phone, null::text as status, null::timestamptz as at, null::text as wamid,
               null::int as error_code, null::text as error_title, null::text as skip_reason
          from matched
        union all
        select null, null, status, count(*)::int, null, null, null, null, null, null, null, null, null, null, null
          from moved group by status
        union all
        -- What to announce: every status of the batch the move passed through (a delivered and a read that
        -- came together are both announced, though the row jumps to READ), and a status the message is
        -- already at (a redelivery: its announcement may have been cut short).
        select null, null, null, null,
               c.message_id, c.run_id, c.campaign_id, c.contact_id, c.phone, i.status, i.occurred_at,
               coalesce(c.known_wamid, i.wamid), i.code, i.title, c.skip_reason
          from (select distinct on (message_id, status) * from matched where message_id is not null
                 order by message_id, status, ord) i
          join locked c on c.message_id = i.message_id
         where i.status = c.current_status
            or (c.moves
                and array_position(${byRank}::text[], i.status) > array_position(${byRank}::text[], c.current_status)
                and array_position(${byRank}::text[], i.status) <= array_position(${byRank}::text[], c.status)
                and (i.status <> 'FAILED' or c.status = 'FAILED'))`;
      const found = Array.from({ length: updates.length }, () => false);
      let runIds: string[] = [];
      const moved: Partial<Record<MessageStatus, number>> = {};
      const transitions: TransitionRow[] = [];
      for (const row of rows) {
        if (row.id !== null) transitions.push(row as TransitionRow);
        else if (row.moved !== null) moved[row.moved] = row.moved_count ?? 0;
        else {
          for (const ord of row.found ?? []) found[ord - 1] = true;
          runIds = row.run_ids ?? [];
        }
      }
      await announce(transitions);
      return { found, runIds, moved };
    },
  };
}
