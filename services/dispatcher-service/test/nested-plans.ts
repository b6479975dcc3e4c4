import postgres from 'postgres';
import type { Sql } from '@ektola/platform/postgres';

/**
 * The plans of every statement `run` executes on a connection of its own, nested ones (the triggers')
 * included, as auto_explain reports them; with `analyze`, each node with its actual rows and loops.
 */
export async function nestedPlansOf(
  sql: Sql,
  run: (explained: postgres.Sql) => Promise<unknown>,
  { analyze = false } = {},
) {
  const plans: string[] = [];
  const { host, port, database, user } = sql.options;
  const explained = postgres({
    host: host[0],
    port: port[0],
    database,
    user,
    max: 1,
    onnotice: (notice) => void plans.push(String(notice.message)),
  });
  try {
    await explained`load 'auto_explain'`;
    await explained`set auto_explain.log_min_duration = 0`;
    await explained`set auto_explain.log_nested_statements = on`;
    if (analyze) await explained`set auto_explain.log_analyze = on`;
    await explained`set client_min_messages = log`;
    await run(explained);
  } finally {
    await explained.end();
  }
  return plans;
}
