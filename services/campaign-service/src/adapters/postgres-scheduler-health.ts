import type { Sql } from '@ektola/platform/postgres';
import type { SchedulerHealthLog } from '../domain/ports.ts';

/**
 * The scheduler's last pass, kept in PostgreSQL so whichever replica Prometheus scrapes reports the
 * same `ektola_scheduler_last_success_timestamp_seconds`. A pass with errors is recorded but is not a
 * success, so the staleness alert fires while campaigns keep failing.
 */
export function createPostgresSchedulerHealth(
  sql: Sql,
): SchedulerHealthLog & { lastSuccessAt(): Promise<Date | null> } {
  return {
    async record(pass) {
      const succeeded = pass.errors === 0;
      const report = { ...pass, startedAt: pass.startedAt.toISOString(), finishedAt: pass.finishedAt.toISOString() };
      // Passes can be reported out of order by overlapping schedulers; the newest finish wins.
      await sql`
        insert into campaign.scheduler_health as h (id, last_pass_at, last_success_at, last_report)
        values (1, ${pass.finishedAt}, ${succeeded ? pass.finishedAt : null}, ${sql.json(report)})
        on conflict (id) do update set
          last_pass_at = greatest(h.last_pass_at, excluded.last_pass_at),
          last_success_at = greatest(h.last_success_at, excluded.last_success_at),
          last_report = case when excluded.last_pass_at >= h.last_pass_at then excluded.last_report else h.last_report end`;
    },

    async lastSuccessAt() {
      const [row] = await sql<
        Array<{ last_success_at: Date | null }>
      >`select last_success_at from campaign.scheduler_health where id = 1`;
      return row?.last_success_at ?? null;
    },
  };
}
