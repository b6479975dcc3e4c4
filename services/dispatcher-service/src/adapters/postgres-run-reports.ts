import type { SkipReason, StatusCounts } from '@ektola/platform/events';
import type { Sql } from '@ektola/platform/postgres';
import { callingCodeOf } from '../domain/calling-code.ts';
import type { RunReport, RunReports } from '../domain/ports.ts';
import { statusCountsOf } from './postgres-run-store.ts';

interface CountRow extends StatusCounts {
  run_id: string;
  total: number;
  reached: number;
  failed_after_send: number;
  billable: number;
}

/**
 * Run reports computed by PostgreSQL over the runs' messages (through the (run_id, id) index): only the
 * aggregates come back, so a run of any size costs the same memory here. Billable messages are grouped
 * by the first three digits of the phone, which decide the calling code, so the groups stay few.
 */
export function createPostgresRunReports(sql: Sql): RunReports {
  return {
    async reports(runIds) {
      if (runIds.length === 0) return [];
      const ids = runIds as string[];
      const [counts, skipped, errors, billable] = await Promise.all([
        sql<CountRow[]>`
          select run_id, count(*)::int as total,
                 (count(*) filter (where status = 'PENDING'))::int as pending,
                 (count(*) filter (where status = 'SENDING'))::int as sending,
                 (count(*) filter (where status = 'SENT'))::int as sent,
                 (count(*) filter (where status = 'DELIVERED'))::int as delivered,
                 (count(*) filter (where status = 'READ'))::int as read,
                 (count(*) filter (where status = 'FAILED'))::int as failed,
                 (count(*) filter (where status = 'SKIPPED'))::int as skipped,
                 (count(*) filter (where status in ('SENT', 'DELIVERED', 'READ')
                                      or (status = 'FAILED' and wamid is not null)))::int as reached,
                 (count(*) filter (where status = 'FAILED' and wamid is not null))::int as failed_after_send,
                 (count(*) filter (where billable))::int as billable
            from dispatch.messages where run_id = any(${ids}::uuid[])
           group by run_id`,
        sql<Array<{ run_id: string; reason: SkipReason; count: number }>>`
          select run_id, skip_reason as reason, count(*)::int as count
            from dispatch.messages where run_id = any(${ids}::uuid[]) and status = 'SKIPPED' and skip_reason is not null
           group by run_id, skip_reason`,
        sql<Array<{ run_id: string; code: number; title: string; count: number }>>`
          select run_id, error_code as code, coalesce(error_title, error_message, '') as title, count(*)::int as count
            from dispatch.messages where run_id = any(${ids}::uuid[]) and status = 'FAILED' and error_code is not null
           group by run_id, error_code, coalesce(error_title, error_message, '')
           order by count desc, code`,
        sql<Array<{ run_id: string; category: string; prefix: string; count: number }>>`
          select run_id, coalesce(category, '') as category, substr(phone, 2, 3) as prefix, count(*)::int as count
            from dispatch.messages where run_id = any(${ids}::uuid[]) and billable
           group by run_id, coalesce(category, ''), substr(phone, 2, 3)`,
      ]);
      return counts.map((row) => ({
        runId: row.run_id,
        total: row.total,
        counts: statusCountsOf(row),
        reached: row.reached,
        failedAfterSend: row.failed_after_send,
        skippedByReason: Object.fromEntries(
          skipped.filter((skip) => skip.run_id === row.run_id).map((skip) => [skip.reason, skip.count]),
        ),
        errors: errors
          .filter((error) => error.run_id === row.run_id)
          .map(({ code, title, count }) => ({ code, title, count })),
        billable: row.billable,
        billableMessages: byCallingCode(billable.filter((group) => group.run_id === row.run_id)),
      }));
    },
  };
}

function byCallingCode(groups: ReadonlyArray<{ category: string; prefix: string; count: number }>) {
  const merged = new Map<string, RunReport['billableMessages'][number]>();
  for (const group of groups) {
    const callingCode = callingCodeOf(group.prefix);
    const key = `${group.category}/${callingCode}`;
    const entry = merged.get(key) ?? { category: group.category, callingCode, count: 0 };
    entry.count += group.count;
    merged.set(key, entry);
  }
  return [...merged.values()];
}
