import type { RunSender } from '@ektola/platform/events';
import type { Sql, TransactionSql } from '@ektola/platform/postgres';
import type { AssignedMessage, SenderProjection, SenderStates, WaitingReason } from '../domain/ports.ts';
import { sendersOfRun } from '../domain/sender-assignment.ts';

/** Numbers whose state does not send; a number missing from dispatch.senders sends. */
const stoppedAmong = async (sql: Sql | TransactionSql, ids: readonly string[]) =>
  new Set(
    (
      await sql<Array<{ phone_number_id: string }>>`
        select phone_number_id from dispatch.senders
         where phone_number_id = any(${ids as string[]}::text[]) and state not in ('ACTIVE', 'FLAGGED')`
    ).map((row) => row.phone_number_id),
  );

export function createPostgresSenderStates(sql: Sql): SenderStates {
  return {
    async sending(ids) {
      const stopped = await stoppedAmong(sql, ids);
      return new Set(ids.filter((id) => !stopped.has(id)));
    },
  };
}

/**
 * A number no portfolio was known for (none kept yet, or its own id as the key) counted its day's unique
 * recipients alone, under its own id.
 * Once its portfolio is known, those recipients join the portfolio's count instead of being forgotten,
 * so the day's limit is not spent twice. A recipient already in both counts is counted twice in the
 * hourly totals: too many, never too few, so the portfolio stays inside Meta's limit. Both counts are
 * locked as dispatch.reserve_recipients locks them, in one order.
 */
async function joinPortfolioCount(tx: TransactionSql, phoneNumberId: string, portfolioKey: string) {
  await tx`select pg_advisory_xact_lock(hashtext('ektola.tier.' || key))
             from unnest(${[phoneNumberId, portfolioKey]}::text[]) as key order by key`;
  await tx`
    with moved as (delete from dispatch.tier_recipients where phone_number_id = ${phoneNumberId} returning phone, counted_at)
    insert into dispatch.tier_recipients (phone_number_id, phone, counted_at)
    select ${portfolioKey}, phone, counted_at from moved
    on conflict (phone_number_id, phone) do update
      set counted_at = greatest(dispatch.tier_recipients.counted_at, excluded.counted_at)`;
  await tx`
    with moved as (delete from dispatch.tier_hours where phone_number_id = ${phoneNumberId} returning hour, recipients)
    insert into dispatch.tier_hours (phone_number_id, hour, recipients)
    select ${portfolioKey}, hour, recipients from moved
    on conflict (phone_number_id, hour) do update set recipients = dispatch.tier_hours.recipients + excluded.recipients`;
}

interface AssignedRow {
  id: string;
  status: 'PENDING' | 'SENDING';
  run_id: string;
  contact_id: string;
  phone_number_id: string;
  waiting_reason: WaitingReason | null;
  run_number: string;
  senders: RunSender[] | null;
}

/**
 * The sender.changed projection. The newer version and what it does to the messages commit together:
 * a claim sees either the old number with its old state or the moved messages with the new one.
 * Messages are locked in id order, as every multi-row writer of messages does.
 */
export function createPostgresSenderProjection(sql: Sql): SenderProjection {
  return {
    async record(sender, plan) {
      return sql.begin(async (tx) => {
        const sends = (state: string | null | undefined) => state == null || state === 'ACTIVE' || state === 'FLAGGED';
        // The state before this change, read by the same statement that replaces it.
        const [row] = await tx<Array<{ before: string | null; counted_alone: boolean; kept: boolean }>>`
          with before as (select state, portfolio_key from dispatch.senders where phone_number_id = ${sender.phoneNumberId}),
          kept as (
            insert into dispatch.senders (phone_number_id, portfolio_key, mps, messaging_limit, state, reason, version, updated_at)
            values (${sender.phoneNumberId}, ${sender.portfolioKey}, ${sender.mps}, ${sender.messagingLimit},
                    ${sender.state}, ${sender.reason ?? null}, ${sender.version}, now())
            on conflict (phone_number_id) do update
              set portfolio_key = excluded.portfolio_key, mps = excluded.mps, messaging_limit = excluded.messaging_limit,
                  state = excluded.state, reason = excluded.reason, version = excluded.version, updated_at = now()
              where dispatch.senders.version < excluded.version
            returning phone_number_id)
          select (select state from before) as before,
                 coalesce((select portfolio_key = ${sender.phoneNumberId} from before), true) as counted_alone,
                 exists (select 1 from kept) as kept`;
        if (!row?.kept) return { applied: false, queue: [], waiting: 0 };
        if (row.counted_alone && sender.portfolioKey !== sender.phoneNumberId)
          await joinPortfolioCount(tx, sender.phoneNumberId, sender.portfolioKey);
        const reopened = new Set(!sends(row.before) && sends(sender.state) ? [sender.phoneNumberId] : []);

        // The PENDING and SENDING messages of open runs on the number, and those waiting for a sender in
        // runs that name it. A SENDING one is locked until its result is written, so none slips between.
        const number = sender.phoneNumberId;
        const rows = await tx<AssignedRow[]>`
          with candidates as (
            select m.id from dispatch.runs r join dispatch.messages m on m.run_id = r.id
             where r.completed_at is null and m.phone_number_id = ${number} and m.status in ('PENDING', 'SENDING')
            union
            select id from dispatch.messages where waiting_reason = 'sender_unavailable' and status = 'PENDING'
          )
          select m.id, m.status, m.run_id, m.contact_id, m.phone_number_id, m.waiting_reason,
                 r.phone_number_id as run_number, r.senders
            from dispatch.messages m join dispatch.runs r on r.id = m.run_id
           where m.id in (select id from candidates) and m.status in ('PENDING', 'SENDING') and r.completed_at is null
             and (m.phone_number_id = ${number} or r.phone_number_id = ${number}
                  or r.senders @> ${tx.json([{ phoneNumberId: number }])})
           order by m.id
             for update of m`;
        if (rows.length === 0) return { applied: true, queue: [], waiting: 0 };
        const messages: AssignedMessage[] = rows.map((row) => ({
          id: row.id,
          status: row.status,
          runId: row.run_id,
          contactId: row.contact_id,
          phoneNumberId: row.phone_number_id,
          waitingReason: row.waiting_reason ?? undefined,
          runSenders: sendersOfRun(row.run_number, row.senders ?? undefined),
        }));
        const involved = [...new Set(messages.flatMap((message) => message.runSenders.map((s) => s.phoneNumberId)))];
        const stopped = await stoppedAmong(tx, [...involved, ...messages.map((message) => message.phoneNumberId)]);
        const sending = new Set(involved.filter((id) => !stopped.has(id)));
        const changes = plan(messages, { sending, reopened });
        if (changes.length === 0) return { applied: true, queue: [], waiting: 0 };
        // A released or moved message still early for its send window shows that wait again.
        const moved = await tx<Array<{ id: string; run_id: string; status: string; waiting_reason: string | null }>>`
          update dispatch.messages m
             set phone_number_id = coalesce(c.phone_number_id, m.phone_number_id),
                 waiting_reason = case when c.kind = 'wait' then 'sender_unavailable'
                                       when m.next_attempt_at > now() then 'outside_send_window' end,
                 updated_at = now()
            from unnest(${changes.map((change) => change.id)}::uuid[],
                        ${changes.map((change) => change.kind)}::text[],
                        ${changes.map((change) => (change.kind === 'move' ? change.phoneNumberId : null))}::text[])
                 as c(id, kind, phone_number_id)
           where m.id = c.id
          returning m.id, m.run_id, m.status, m.waiting_reason`;
        // In-flight ones stay with the batch that claimed them: it comes back for them if they return PENDING.
        const pending = moved.filter((row) => row.status === 'PENDING');
        return {
          applied: true,
          queue: pending
            .filter((row) => row.waiting_reason !== 'sender_unavailable')
            .map((row) => ({ id: row.id, runId: row.run_id })),
          waiting: pending.filter((row) => row.waiting_reason === 'sender_unavailable').length,
        };
      });
    },
  };
}
