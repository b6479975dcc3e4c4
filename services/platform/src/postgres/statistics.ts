import type { Sql } from './database.ts';

/** How long a refresh waits for the table's lock before it gives up (and its caller logs the failure). */
const lockTimeout = '2s';

/**
 * ANALYZE of `table` (of `columns` alone, when given) once `changed` rows pass autovacuum's own rule:
 * more than 50 and a tenth of the rows the table held when its statistics were last taken
 * (`pg_class.reltuples`). For a bulk write whose first reads come before autovacuum's next round:
 * planned on statistics from before it, keyset pages over the new rows can read every row after their
 * cursor for each page. The caller waits for it, so it waits at most 2 s for the table's lock (a
 * VACUUM against wraparound does not give way) and then fails. A column list leaves autovacuum's own
 * counters, and so its full ANALYZE, as they were. Answers whether it ran.
 */
export async function refreshStatistics(
  sql: Sql,
  options: { table: string; changed: number; columns?: readonly string[] },
): Promise<boolean> {
  const [known] = await sql<Array<{ reltuples: number }>>`
    select reltuples from pg_class where oid = ${options.table}::regclass`;
  if (options.changed <= 50 + 0.1 * Math.max(known?.reltuples ?? 0, 0)) return false;
  const columns = options.columns ? sql`(${sql(options.columns as string[])})` : sql``;
  await sql.begin(async (tx) => {
    await tx`select set_config('lock_timeout', ${lockTimeout}, true)`;
    await tx`analyze ${sql(options.table)} ${columns}`;
  });
  return true;
}
