import type { MessageStatus, SkipReason } from '@ektola/platform/events';
import type { Sql } from '@ektola/platform/postgres';
import { callingCodeOf } from '../domain/calling-code.ts';
import type { RunReport, RunReports } from '../domain/ports.ts';

interface GroupRow {
  run_id: string;
  status: MessageStatus | null;
  accepted: boolean | null;
  skip_reason: SkipReason | null;
  code: number | null;
  title: string | null;
  category: string | null;
  prefix: string | null;
  by_status: boolean;
  by_error: boolean;
  by_billable: boolean;
  count: number;
}

const reachedMeta = new Set<MessageStatus>(['SENT', 'DELIVERED', 'READ']);

const emptyReport = (runId: string): RunReport => ({
  runId,
  total: 0,
  counts: { pending: 0, sending: 0, sent: 0, delivered: 0, read: 0, failed: 0, skipped: 0 },
  reached: 0,
  failedAfterSend: 0,
  skippedByReason: {},
  errors: [],
  billable: 0,
  billableMessages: [],
});

/**
 * Run reports computed by PostgreSQL in one pass over the runs' messages (through the (run_id, id)
 * index): three groupings of the same rows, and only the groups come back, so a run of any size costs
 * the same memory here. Billable messages are grouped by the first three digits of the phone, which
 * decide the calling code (calling codes are prefix-free), so those groups stay few.
 */
export function createPostgresRunReports(sql: Sql): RunReports {
  return {
    async reports(runIds) {
      if (runIds.length === 0) return [];
      const rows = await sql<GroupRow[]>`
        select run_id, status, accepted, skip_reason, code, title, category, prefix,
               grouping(accepted) = 0 as by_status, grouping(code) = 0 as by_error, grouping(prefix) = 0 as by_billable,
               count(*)::int as count
          from (select run_id, status, wamid is not null as accepted, skip_reason,
                       case when status = 'FAILED' then error_code end as code,
                       case when status = 'FAILED' then coalesce(error_title, error_message, '') end as title,
                       case when billable then coalesce(category, '') end as category,
                       case when billable then substr(phone, 2, 3) end as prefix
                  from dispatch.messages where run_id = any(${runIds as string[]}::uuid[])) m
         group by grouping sets ((run_id, status, accepted, skip_reason), (run_id, code, title), (run_id, category, prefix))`;
      const reports = new Map<string, RunReport>();
      const billable = new Map<string, Map<string, RunReport['billableMessages'][number]>>();
      for (const row of rows) {
        const report = reports.get(row.run_id) ?? emptyReport(row.run_id);
        reports.set(row.run_id, report);
        if (row.by_status && row.status) {
          const key = row.status.toLowerCase() as keyof RunReport['counts'];
          report.total += row.count;
          report.counts[key] += row.count;
          // FAILED with a wamid failed after Meta accepted it; without one it never reached Meta.
          if (reachedMeta.has(row.status) || (row.status === 'FAILED' && row.accepted)) report.reached += row.count;
          if (row.status === 'FAILED' && row.accepted) report.failedAfterSend += row.count;
          if (row.status === 'SKIPPED' && row.skip_reason)
            report.skippedByReason[row.skip_reason] = (report.skippedByReason[row.skip_reason] ?? 0) + row.count;
        } else if (row.by_error && row.code !== null) {
          report.errors.push({ code: row.code, title: row.title ?? '', count: row.count });
        } else if (row.by_billable && row.prefix !== null) {
          report.billable += row.count;
          const category = row.category ?? '';
          const callingCode = callingCodeOf(row.prefix);
          const groups = billable.get(row.run_id) ?? new Map();
          billable.set(row.run_id, groups);
          const group = groups.get(`${category}/${callingCode}`) ?? { category, callingCode, count: 0 };
          group.count += row.count;
          groups.set(`${category}/${callingCode}`, group);
        }
      }
      return [...reports.values()]
        .filter((report) => report.total > 0)
        .map((report) => ({
          ...report,
          errors: report.errors.sort((a, b) => b.count - a.count || a.code - b.code),
          billableMessages: [...(billable.get(report.runId)?.values() ?? [])],
        }));
    },
  };
}
