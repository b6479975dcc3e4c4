import type { Sql } from '@ektola/platform/postgres';
import type { HeldReason, SenderActivity, SenderActivityQuery, SendingAlert, SendingBlocker } from '../domain/ports.ts';

interface ActivityRow {
  phone_number_id: string;
  sent_last_minute: number;
  peak_per_second: number;
  pending: number;
  sending: number;
  mps: number;
  state: string | null;
  reason: string | null;
  blocked_until: Date | null;
  blocked_message: string | null;
  recipients_last_day: number;
  messaging_limit: number | null;
}

/**
 * Each number's sending: the last minute's sends over the sends' time index, what is still to send among
 * the messages of the open runs and those tried again for Meta's marketing limit, the portfolio's
 * recipients from the daily limit's hourly buckets (counted only while a limit applies).
 */
export function createPostgresSenderActivity(options: {
  sql: Sql;
  defaultNumber: string;
  /** The configured mps, or undefined when the dispatcher does not limit the rate. */
  defaultMps: number | undefined;
  defaultTierLimit: number | undefined;
}): SenderActivityQuery & SendingBlocker {
  const { sql } = options;
  const rateLimited = options.defaultMps !== undefined;

  async function heldCounts(): Promise<Partial<Record<HeldReason, number>>> {
    const rows = await sql<Array<{ reason: HeldReason; count: number }>>`
      select waiting_reason as reason, count(*)::int as count from dispatch.messages
       where waiting_reason in ('sender_unavailable', 'template_paused') and status = 'PENDING'
       group by waiting_reason`;
    return Object.fromEntries(rows.map((row) => [row.reason, row.count]));
  }

  async function alerts(): Promise<SendingAlert[]> {
    const [senders, templates] = await Promise.all([
      sql<Array<{ phone_number_id: string; state: string; reason: string | null; waiting: number }>>`
        select s.phone_number_id, s.state, s.reason,
               (select count(*)::int from dispatch.messages m
                 where m.phone_number_id = s.phone_number_id and m.status = 'PENDING'
                   and m.waiting_reason = 'sender_unavailable') as waiting
          from dispatch.senders s where s.state not in ('ACTIVE', 'FLAGGED', 'DELETED')
         order by s.phone_number_id`,

      sql<
        Array<{ template_name: string; template_language: string; event: string; reason: string | null; since: Date }>
      >`
        select template_name, template_language, event, reason, since from dispatch.template_holds
         order by template_name, template_language`,
    ]);
    return [
      // Meta's restriction always needs the operator; a number they disabled themselves only while messages wait on it.
      ...senders
        .filter((sender) => sender.state === 'RESTRICTED' || sender.waiting > 0)
        .map((sender): SendingAlert => ({
          kind: 'sender_unavailable',
          message: `sender number ${sender.phone_number_id} is ${sender.state}${sender.reason ? ` (${sender.reason})` : ''}; ${sender.waiting} message(s) have no other sender and wait`,
        })),
      ...templates.map((template): SendingAlert => ({
        kind: 'template_paused',
        message: `Meta ${template.event.toLowerCase()} template ${template.template_name} (${template.template_language}) at ${template.since.toISOString()}${template.reason ? `: ${template.reason}` : ''}; its messages wait until it is approved again`,
      })),
    ];
  }

  return {
    heldCounts,
    alerts,
    // A stopped number or a paused template holds some runs' messages, not every run: each message says
    // why it waits (ListMessages), so a run's overall waiting reason is not claimed here.
    async waitingReason() {
      return undefined;
    },
    async activity(phoneNumberIds) {
      const ids =
        phoneNumberIds.length > 0
          ? [...new Set(phoneNumberIds)]
          : [
              ...new Set([
                options.defaultNumber,
                ...(await sql<Array<{ phone_number_id: string }>>`select phone_number_id from dispatch.senders`).map(
                  (row) => row.phone_number_id,
                ),
              ]),
            ].sort();
      const rows = await sql<ActivityRow[]>`
        with numbers as (select unnest(${ids}::text[]) as phone_number_id),
        seconds as (
          select phone_number_id, date_trunc('second', sent_at) as second, count(*)::int as sends
            from dispatch.sends
           where sent_at > now() - interval '60 seconds' and phone_number_id = any(${ids}::text[])
           group by 1, 2),
        unsent as (
          select u.phone_number_id, count(*) filter (where u.status = 'PENDING')::int as pending,
                 count(*) filter (where u.status = 'SENDING')::int as sending
            from (select m.id, m.phone_number_id, m.status
                    from dispatch.runs r join dispatch.messages m on m.run_id = r.id
                   where r.completed_at is null and m.status in ('PENDING', 'SENDING')
                     and m.phone_number_id = any(${ids}::text[])
                  union
                  -- Meta's 131049 can come as a failed status after the run completed: the message is tried
                  -- again in its completed run, keeping the code until it is sent (messages_marketing_limited).
                  select m.id, m.phone_number_id, m.status from dispatch.messages m
                   where m.error_code = 131049 and m.status in ('PENDING', 'SENDING')
                     and m.phone_number_id = any(${ids}::text[])) u
           group by 1)
        select n.phone_number_id,
               coalesce((select sum(sends) from seconds c where c.phone_number_id = n.phone_number_id), 0)::int as sent_last_minute,
               coalesce((select max(sends) from seconds c where c.phone_number_id = n.phone_number_id), 0)::int as peak_per_second,
               coalesce(u.pending, 0) as pending, coalesce(u.sending, 0) as sending,
               coalesce(s.mps, ${options.defaultMps ?? 0})::int as mps, s.state, s.reason,
               b.blocked_until, b.blocked_message,
               coalesce((select sum(h.recipients) from dispatch.tier_hours h
                          where h.phone_number_id = coalesce(s.portfolio_key, n.phone_number_id)
                            and h.hour >= date_trunc('hour', now()) - interval '24 hours'), 0)::int as recipients_last_day,
               coalesce(s.messaging_limit, ${options.defaultTierLimit ?? null}::int) as messaging_limit
          from numbers n
          left join unsent u using (phone_number_id)
          left join dispatch.senders s using (phone_number_id)
          left join dispatch.numbers b using (phone_number_id)
         order by n.phone_number_id`;
      return rows.map((row): SenderActivity => ({
        phoneNumberId: row.phone_number_id,
        sentLastMinute: row.sent_last_minute,
        peakPerSecond: row.peak_per_second,
        pending: row.pending,
        sending: row.sending,
        mps: rateLimited ? row.mps : 0,
        heldReason:
          row.state && row.state !== 'ACTIVE' && row.state !== 'FLAGGED'
            ? `${row.state}${row.reason ? `: ${row.reason}` : ''}`
            : row.blocked_until && row.blocked_until.getTime() > Date.now()
              ? `stopped after an account error (${row.blocked_message ?? 'no message'}) until ${row.blocked_until.toISOString()}`
              : undefined,
        recipientsLastDay: row.recipients_last_day,
        messagingLimit: row.messaging_limit ?? 0,
      }));
    },
  };
}
