import type { Sql } from '@ektola/platform/postgres';
import type { SendingActivity } from '../domain/ports.ts';

/**
 * Sending across every run, counted in the database: the last day's messages by status over the
 * created_at index (0010), the last hour's sends bucketed by minute over the sends' time index (0019).
 */
export function createPostgresSendingActivity(sql: Sql): SendingActivity {
  return {
    async messagesLastDay() {
      return sql<Array<{ status: string; count: number }>>`
        select status, count(*)::int as count from dispatch.messages
         where created_at > now() - interval '24 hours'
         group by status order by status`;
    },
    async sendsLastHour() {
      return sql<Array<{ minute: Date; count: number }>>`
        with minutes as (
          select generate_series(date_trunc('minute', now()) - interval '59 minutes', date_trunc('minute', now()),
                                 interval '1 minute') as minute)
        select m.minute, count(s.sent_at)::int as count
          from minutes m
          left join dispatch.sends s
            on s.sent_at >= m.minute and s.sent_at < m.minute + interval '1 minute'
           and s.sent_at >= date_trunc('minute', now()) - interval '59 minutes'
         group by m.minute order by m.minute`;
    },
    /** Bucketed in one pass over the run's messages (the (run_id, id) index), the empty minutes filled in after. */
    async runSendsPerMinute(runId, limit) {
      return sql<Array<{ minute: Date; count: number }>>`
        with sends as (
          select date_trunc('minute', sent_at) as minute, count(*)::int as count from dispatch.messages
           where run_id = ${runId} and sent_at is not null
           group by 1),
        minutes as (
          select generate_series(min(minute), max(minute), interval '1 minute') as minute from sends)
        select m.minute, coalesce(s.count, 0)::int as count
          from minutes m left join sends s using (minute)
         order by m.minute limit ${limit}`;
    },
  };
}
