import postgres from 'postgres';
import type { Sql } from '../postgres/mod.ts';

export interface ExplainingDatabase {
  /** One connection, with the services' settings (an undefined value is sent as null). */
  sql: Sql;
  /**
   * The plan PostgreSQL gives the statement `ask` sends (its last, when it sends several), explained
   * with the same text and parameters: what an adapter's own query is planned as, not a copy of it.
   */
  planOf(ask: () => Promise<unknown>): Promise<string>;
}

/** A connection to `url` that remembers the statements it sends, so a test can explain them. */
export function explainingDatabase(url: string): ExplainingDatabase {
  let last: { text: string; parameters: unknown[] } | undefined;
  const sql = postgres(url, {
    max: 1,
    onnotice: () => undefined,
    transform: { undefined: null },
    debug: (_connection, text, parameters) => {
      last = { text, parameters };
    },
  }) as unknown as Sql;
  return {
    sql,
    async planOf(ask) {
      last = undefined;
      await ask();
      const asked = last as { text: string; parameters: unknown[] } | undefined;
      if (!asked) throw new Error('nothing was sent to explain');
      const plan = await sql.unsafe(`explain ${asked.text}`, asked.parameters as never[]);
      return plan.map((line) => String(Object.values(line)[0])).join('\n');
    },
  };
}
