import { randomUUID } from 'node:crypto';
import type { Sql } from '@ektola/platform/postgres';

/**
 * A fanned-out run written straight into the dispatch schema, with one message per entry of
 * `messages`: each row has what every message needs (its own id and contact, number-1, the
 * gold_loan_reminder template) and the entry's columns on top; `run` adds columns of the run.
 */
export async function storeRun(
  sql: Sql,
  messages: ReadonlyArray<Record<string, unknown>>,
  run: Record<string, unknown> = {},
) {
  const runId = randomUUID();
  await sql`insert into dispatch.runs ${sql({
    id: runId,
    campaign_id: randomUUID(),
    template_id: randomUUID(),
    phone_number_id: 'number-1',
    fanout_done_at: new Date(),
    ...run,
  })}`;
  const rows = messages.map((columns, index) => ({
    id: randomUUID(),
    run_id: runId,
    campaign_id: randomUUID(),
    contact_id: `contact-${index}`,
    phone: `+9198000${String(index).padStart(5, '0')}`,
    phone_number_id: 'number-1',
    template_name: 'gold_loan_reminder',
    template_language: 'en',
    components: sql.json([]),
    ...columns,
  }));
  if (rows.length > 0) await sql`insert into dispatch.messages ${sql(rows)}`;
  return { runId, ids: rows.map((row) => row.id) };
}
