import type { RunGuardrails } from '@ektola/platform/events';
import type { Sql, TransactionSql } from '@ektola/platform/postgres';
import { reachedFrequencyCap } from './frequency-cap-sql.ts';
import { heldReasonOfMessage } from './held-messages-sql.ts';
import type { Claim, ClaimedMessage, MessageUpdate, NumberRemaining, SendStore } from '../domain/ports.ts';
import { transitionColumns, type AnnounceTransitions, type TransitionRow } from './nats-status-announcer.ts';
import { announceMoved, intoStatusOutbox, noStatusOutbox, type StatusOutbox } from './postgres-status-outbox.ts';

interface ClaimedRow extends TransitionRow {
  phone_number_id: string;
  template_name: string;
  template_language: string;
  components_json: string;
  attempts: number;
  timezone: string | null;
  send_window: NonNullable<RunGuardrails['sendWindow']> | null;
}

const iso = (date: Date | undefined) => (date ? date.toISOString() : null);
/** The first key of the advisory locks that serialise claims of frequency-capped contacts. */
const capLockSpace = 0x66636170; // 'fcap'

/**
 * Why a due PENDING MARKETING message must not leave (null when it may): its calling code receives no
 * MARKETING templates, or its contact already had the run's cap of MARKETING messages claimed within the
 * cap's window, across all campaigns.
 * Calling codes are prefix-free, so a number starts with a blocked code exactly when it is in that country.
 */
const guardrailStop = (sql: Sql | TransactionSql) => sql`
  case when exists (select 1 from unnest(r.blocked_calling_codes) b(code) where starts_with(m.phone, '+' || b.code))
         then 'region_blocked'
       when r.frequency_cap_max is not null
        and ${reachedFrequencyCap(sql, { contactId: sql`m.contact_id`, window: sql`r.frequency_cap_window`, max: sql`r.frequency_cap_max`, exceptId: sql`m.id` })}
         then 'frequency_capped'
  end`;

/**
 * The messages a claim skipped or abandoned and those a result made FAILED are left in `outbox` by the
 * statement that moved them; `announce` is told those a result made SENT (Meta's own `sent` status
 * announces them again if this one is lost), so the hot path writes nothing more.
 */
export function createPostgresSendStore(
  sql: Sql,
  announce: AnnounceTransitions = async () => {},
  outbox: StatusOutbox = noStatusOutbox,
): SendStore {
  // next_attempt_at is written from the domain's clock (retries, send windows), so it is compared with
  // that clock's now; leases are written and read in the database's time. A message whose number does
  // not send or whose template Meta holds is never due, whatever its status: it waits for the release.
  const dueNow = (
    sql: Sql | TransactionSql,
    now: Date,
  ) => sql`((m.status = 'PENDING' and (m.next_attempt_at is null or m.next_attempt_at <= ${now}))
                                    or (m.status = 'SENDING' and m.lease_until < now()))
           and ${heldReasonOfMessage(sql)} is null`;
  return {
    async due(ids, now) {
      const rows = await sql<Array<{ id: string; phone_number_id: string }>>`
        select id, phone_number_id from dispatch.messages m
         where id = any(${ids as string[]}::uuid[]) and ${dueNow(sql, now)} order by id`;
      return rows.map((row) => ({ id: row.id, phoneNumberId: row.phone_number_id }));
    },

    async claim(ids, limit, leaseMs, now) {
      // The contact's suppression and the run's cancellation are read by the statement that claims, so a
      // message claimed after either committed is never sent: a PENDING one becomes SKIPPED instead. A
      // SENDING one whose lease ran out may already be at Meta, so it is not SKIPPED; it is not sent
      // again either, but FAILED as an unknown outcome (a status webhook that proves it arrived still
      // moves it on), so its run can complete.
      // The marketing guardrails are decided by the same statement, for due PENDING messages only (one
      // waiting for its send window is judged when it leaves): region-blocked or capped ones end SKIPPED.
      // skip locked: two replicas holding the same batch (a redelivery) claim disjoint messages, and a
      // row the suppression or cancel consumer is skipping right now is left to it.
      // The cap counts claims other transactions committed, so claims of the same contacts are taken one
      // after another: the transaction first takes an advisory lock per capped contact (in key order, so
      // two claims never deadlock), and the claim's own snapshot, taken after the locks, sees every
      // claim committed before them.
      const rows = await sql.begin(async (tx) => {
        await tx`
          select pg_advisory_xact_lock(${capLockSpace}, c.key)
            from (select distinct hashtext(m.contact_id) as key
                    from dispatch.messages m join dispatch.runs r on r.id = m.run_id
                   where m.id = any(${ids as string[]}::uuid[]) and m.marketing and m.status = 'PENDING'
                     and r.frequency_cap_max is not null
                     -- Checked once, before any message is read: with no open run under a cap (most of the
                     -- time) the batch's messages are not looked up. A PENDING message's run is open.
                     and exists (select 1 from dispatch.runs o where o.completed_at is null and o.frequency_cap_max is not null)
                   order by key) c`;
        return tx<ClaimedRow[]>`
        with sendable as (
          select m.id, null::text as stop_reason
            from dispatch.messages m join dispatch.runs r on r.id = m.run_id
           where m.id = any(${ids as string[]}::uuid[]) and ${dueNow(tx, now)} and r.cancelled_at is null
             and not exists (select 1 from dispatch.suppressions s where s.contact_id = m.contact_id and s.suppressed)
             and (m.status <> 'PENDING' or not m.marketing or ${guardrailStop(tx)} is null)
           order by m.id
           limit ${limit}
             for update of m skip locked
        ),
        stopped as (
          select m.id,
                 case when r.cancelled_at is not null then 'run_cancelled'
                      when s.contact_id is not null then s.reason
                      else ${guardrailStop(tx)} end as stop_reason
            from dispatch.messages m join dispatch.runs r on r.id = m.run_id
            left join dispatch.suppressions s on s.contact_id = m.contact_id and s.suppressed
           where m.id = any(${ids as string[]}::uuid[])
             and (m.status = 'PENDING' or (m.status = 'SENDING' and m.lease_until < now()))
             and (r.cancelled_at is not null or s.contact_id is not null
                  or (m.status = 'PENDING' and m.marketing and ${dueNow(tx, now)} and ${guardrailStop(tx)} is not null))
           order by m.id
             for update of m skip locked
        ),
        chosen as (select * from sendable union all select * from stopped),
        moved as (
        update dispatch.messages m
           set status = case when c.stop_reason is null then 'SENDING' when m.status = 'PENDING' then 'SKIPPED' else 'FAILED' end,
               attempts = m.attempts + case when c.stop_reason is null then 1 else 0 end,
               next_attempt_at = null,
               waiting_reason = null,
               claimed_at = case when c.stop_reason is null then coalesce(m.claimed_at, now()) else m.claimed_at end,
               lease_until = case when c.stop_reason is null then now() + make_interval(secs => ${leaseMs / 1000}) end,
               skip_reason = case when m.status = 'PENDING' then c.stop_reason end,
               skipped_at = case when m.status = 'PENDING' and c.stop_reason is not null then now() end,
               failed_at = case when m.status = 'SENDING' and c.stop_reason is not null then now() else m.failed_at end,
               error_code = case when m.status = 'SENDING' and c.stop_reason is not null then coalesce(m.error_code, 0) else m.error_code end,
               error_message = case when m.status = 'SENDING' and c.stop_reason is not null
                                    then 'no answer from Meta to the last attempt; not sent again (' || c.stop_reason || ')'
                                    else m.error_message end,
               updated_at = now()
          from chosen c, dispatch.runs r
         where m.id = c.id and r.id = m.run_id
        returning ${transitionColumns(sql)}, m.phone_number_id, m.template_name, m.template_language,
                  m.components::text as components_json,
                  m.attempts, coalesce(m.skipped_at, m.failed_at, now()) as at, m.timezone, r.send_window
        ),
        later as (${intoStatusOutbox(tx, outbox)})
        select * from moved`;
      });
      const claimed: ClaimedMessage[] = [];
      const skipped: Claim['skipped'] = [];
      const abandoned: string[] = [];
      for (const row of rows) {
        if (row.status === 'SKIPPED') skipped.push({ id: row.id, reason: row.skip_reason! });
        else if (row.status === 'FAILED') abandoned.push(row.id);
        else {
          claimed.push({
            id: row.id,
            runId: row.run_id,
            phone: row.phone,
            phoneNumberId: row.phone_number_id,
            templateName: row.template_name,
            templateLanguage: row.template_language,
            componentsJson: row.components_json,
            attempt: row.attempts,
            ...(row.send_window ? { sendWindow: row.send_window } : {}),
            ...(row.timezone ? { timezone: row.timezone } : {}),
          });
        }
      }
      if (skipped.length + abandoned.length > 0) await announceMoved(rows, outbox, announce);
      return { claimed, skipped, abandoned };
    },

    async record(updates: readonly MessageUpdate[], sentFrom: string) {
      if (updates.length === 0) return;
      const column = <T>(pick: (update: MessageUpdate) => T) => updates.map(pick);
      // postgres.js cannot infer boolean arrays, so flags travel as text.
      // Only the claim that made the attempt writes its result, and only while the message is still
      // SENDING: a status webhook that overtook the API answer has already said more than we could.
      // Rows are locked in id order by every multi-row writer, so concurrent batches cannot deadlock.
      // The locked rows carry their result, so the update joins each row once, by primary key.
      // No index of messages names a column this changes for a SENT result (its wamid and time reach
      // dispatch.sends by trigger, migration 0019): a HOT update where its page has room.
      const moved = await sql<TransitionRow[]>`
        with locked as (
          select u.* from unnest(${column((u) => u.id)}::uuid[],
                                 ${column((u) => u.attempt)}::int[],
                                 ${column((u) => u.to)}::text[],
                                 ${column((u) => (u.to === 'SENT' ? u.wamid : null))}::text[],
                                 ${column((u) => (u.to === 'SENT' ? null : (u.code ?? null)))}::int[],
                                 ${column((u) => (u.to === 'SENT' ? null : (u.message ?? null)))}::text[],
                                 ${column((u) => (u.to === 'PENDING' ? iso(u.nextAttemptAt) : null))}::timestamptz[],
                                 ${column((u) => (u.to === 'SENDING' ? iso(u.leaseUntil) : null))}::timestamptz[],
                                 ${column((u) => String(u.to === 'PENDING' && u.refund))}::text[]::bool[],
                                 ${column((u) => String(u.to === 'FAILED' && u.deadLetter))}::text[]::bool[],
                                 ${column((u) => (u.to === 'PENDING' ? (u.waitingReason ?? null) : null))}::text[])
                        as u(id, attempt, status, wamid, code, message, next_attempt_at, lease_until, refund, dead_letter,
                             waiting_reason)
            join dispatch.messages l on l.id = u.id
           order by l.id
             for update of l
        ),
        moved as (
        update dispatch.messages m
           set status = u.status,
               wamid = coalesce(u.wamid, m.wamid),
               attempts = m.attempts - case when u.refund then 1 else 0 end,
               next_attempt_at = u.next_attempt_at,
               -- A retry of a number or template held meanwhile shows why it waits (its release queues it).
               phone_number_id = case when u.status = 'PENDING' then m.phone_number_id else ${sentFrom} end,
               waiting_reason = coalesce(u.waiting_reason,
                                         case when u.status = 'PENDING' then ${heldReasonOfMessage(sql)} end),
               lease_until = u.lease_until,
               error_code = case when u.status = 'SENT' then null else coalesce(u.code, m.error_code) end,
               error_message = case when u.status = 'SENT' then null else coalesce(u.message, m.error_message) end,
               sent_at = case when u.status = 'SENT' then now() else m.sent_at end,
               failed_at = case when u.status = 'FAILED' then now() else m.failed_at end,
               dead_letter_pending = m.dead_letter_pending or u.dead_letter,
               updated_at = now()
          from locked u
         where m.id = u.id and m.attempts = u.attempt and m.status = 'SENDING'
        returning ${transitionColumns(sql)}, case when m.status = 'SENT' then m.sent_at else m.failed_at end as at
        ),
        later as (${intoStatusOutbox(sql, outbox)})
        select * from moved`;
      await announceMoved(moved, outbox, announce);
    },

    async stillSendable(ids) {
      // What the claim's sendable branch asks of the contact and the run, and nothing more: the guardrails
      // were decided by the claim and the messages are SENDING under its lease.
      const rows = await sql<Array<{ id: string }>>`
        select m.id from dispatch.messages m join dispatch.runs r on r.id = m.run_id
         where m.id = any(${ids as string[]}::uuid[]) and r.cancelled_at is null
           and not exists (select 1 from dispatch.suppressions s where s.contact_id = m.contact_id and s.suppressed)`;
      return new Set(rows.map((row) => row.id));
    },

    async remaining(ids): Promise<NumberRemaining[]> {
      const rows = await sql<Array<{ phone_number_id: string; pending: number; next: Date | null }>>`
        select m.phone_number_id, count(*)::int as pending, min(m.next_attempt_at) as next
          from dispatch.messages m
         where m.id = any(${ids as string[]}::uuid[]) and m.status = 'PENDING' and ${heldReasonOfMessage(sql)} is null
         group by m.phone_number_id`;
      return rows.map((row) => ({
        phoneNumberId: row.phone_number_id,
        pending: row.pending,
        nextAttemptAt: row.next ?? undefined,
      }));
    },
  };
}
