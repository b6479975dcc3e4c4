import type { Sql } from '@ektola/platform/postgres';
import { marketingLimitCode } from '../domain/meta-errors.ts';
import type { MarketingLimitStore } from '../domain/ports.ts';

export function createPostgresMarketingLimitStore(sql: Sql): MarketingLimitStore {
  return {
    async limited({ ids, wamids }) {
      if (ids.length === 0 && wamids.length === 0) return [];
      // By primary key and by wamid through the sends: a union, so each lookup uses its own index.
      return sql<Array<{ id: string; runId: string; retries: number }>>`
        select id, run_id as "runId", marketing_limit_retries as retries from dispatch.messages
         where id = any(${ids as string[]}::uuid[]) and status = 'FAILED' and error_code = ${marketingLimitCode}
        union
        select m.id, m.run_id, m.marketing_limit_retries from dispatch.sends s join dispatch.messages m on m.id = s.message_id
         where s.wamid = any(${wamids as string[]}::text[]) and m.status = 'FAILED' and m.error_code = ${marketingLimitCode}
        order by 1`;
    },

    async defer(deferrals) {
      if (deferrals.length === 0) return [];
      // Only a message still FAILED with 131049 after the retries the decision read moves, so a
      // duplicate failed status, or a later delivery report that outranked the failure, changes nothing.
      // Rows are locked in id order by every multi-row writer, so concurrent batches cannot deadlock.
      return sql<Array<{ id: string; runId: string }>>`
        with input as (
          select * from unnest(${deferrals.map((d) => d.id)}::uuid[],
                               ${deferrals.map((d) => d.retries)}::int[],
                               ${deferrals.map((d) => d.nextAttemptAt.toISOString())}::timestamptz[])
                   as d(id, retries, next_attempt_at)
        ),
        locked as (
          select d.* from input d join dispatch.messages l on l.id = d.id
           order by l.id for update of l
        )
        update dispatch.messages m
           set status = 'PENDING',
               next_attempt_at = d.next_attempt_at,
               marketing_limit_retries = m.marketing_limit_retries + 1,
               attempts = greatest(0, m.attempts - 1),
               lease_until = null,
               failed_at = null,
               updated_at = now()
          from locked d
         where m.id = d.id and m.status = 'FAILED' and m.error_code = ${marketingLimitCode}
           and m.marketing_limit_retries = d.retries
        returning m.id, m.run_id as "runId"`;
    },
  };
}
