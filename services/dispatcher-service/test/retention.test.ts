import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '@ektola/platform/postgres';
import { createPostgresRetention } from '../src/adapters/postgres-retention.ts';
import { storeRun } from './stored-run.ts';
import { useDispatchDatabase } from './dispatch-database.ts';

const now = new Date('2026-11-30T12:00:00.000Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * 60 * 60 * 1000);
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 60 * 60 * 1000);

const database = useDispatchDatabase('retention');
let sql: Sql;
beforeAll(() => {
  sql = database();
});

/** The wamids given to each run's messages, by run. */
const wamidPrefixes = new Map<string, string>();

/** A run with `messages` messages (SENT, each with its wamid), completed at `completedAt` (open when null). */
async function run(options: { messages: number; completedAt: Date | null; published?: boolean; deadLetters?: number }) {
  const prefix = `wamid.${randomUUID()}.`;
  const { runId: id } = await storeRun(
    sql,
    Array.from({ length: options.messages }, (_, index) => ({
      phone: `+9198765${String(index).padStart(5, '0')}`,
      status: 'SENT',
      wamid: `${prefix}${index}`,
      sent_at: daysAgo(200),
      dead_letter_pending: index < (options.deadLetters ?? 0),
    })),
    { fanout_done_at: daysAgo(200), created_at: daysAgo(200) },
  );
  wamidPrefixes.set(id, prefix);
  await sql`update dispatch.runs set completed_at = ${options.completedAt}, completion_published = ${options.published ?? options.completedAt !== null}
             where id = ${id}`;
  return id;
}

/** One retention pass at `now` (90 days for messages, 3 rows a statement), its metrics unread. */
const pruneQuietly = () =>
  createPostgresRetention({ sql, messageRetentionDays: 90, batchSize: 3, metrics: { pruned: () => undefined } }).prune(
    now,
    new AbortController().signal,
  );

const messagesOf = async (runId: string) =>
  (await sql`select count(*)::int as n from dispatch.messages where run_id = ${runId}`)[0]!.n as number;
const sendsOf = async (runId: string) =>
  (await sql`select count(*)::int as n from dispatch.sends where starts_with(wamid, ${wamidPrefixes.get(runId)!})`)[0]!
    .n as number;
const runExists = async (runId: string) => (await sql`select 1 from dispatch.runs where id = ${runId}`).length === 1;

describe('dispatcher retention', () => {
  it('when runs completed past the retention, then their messages go in bounded statements and then the runs; recent, open, unannounced and dead-lettered ones stay', async () => {
    const expired = await run({ messages: 7, completedAt: daysAgo(91) });
    const withDeadLetter = await run({ messages: 4, completedAt: daysAgo(120), deadLetters: 1 });
    const recent = await run({ messages: 3, completedAt: daysAgo(89) });
    const open = await run({ messages: 3, completedAt: null });
    const unannounced = await run({ messages: 2, completedAt: daysAgo(100), published: false });
    const countsBefore = await sql`select total, sent from dispatch.run_progress where id = ${withDeadLetter}`;
    expect(countsBefore[0]!.total).toBe(4);

    const statements: Array<[string, number]> = [];
    const retention = createPostgresRetention({
      sql,
      messageRetentionDays: 90,
      batchSize: 3,
      metrics: { pruned: (table, rows) => statements.push([table, rows]) },
    });
    await retention.prune(now, new AbortController().signal);

    expect(await messagesOf(expired)).toBe(0);
    expect(await sendsOf(expired)).toBe(0);
    expect(await runExists(expired)).toBe(false);
    expect(await sql`select 1 from dispatch.run_counts where run_id = ${expired}`).toHaveLength(0);
    expect(await messagesOf(withDeadLetter)).toBe(1);
    expect(await sendsOf(withDeadLetter)).toBe(1);
    expect(await runExists(withDeadLetter)).toBe(true);
    // Deleting messages moves no counter: the run reads as it did until it goes itself.
    expect(await sql`select total, sent from dispatch.run_progress where id = ${withDeadLetter}`).toEqual(countsBefore);
    for (const kept of [recent, open, unannounced]) {
      expect(await runExists(kept)).toBe(true);
      expect(await messagesOf(kept)).toBeGreaterThan(0);
      expect(await sendsOf(kept)).toBe(await messagesOf(kept));
    }
    // Oldest run first: 3 messages (one kept for its dead letter), then 3 + 3 + 1 of the other.
    expect(statements).toEqual([
      ['dispatch.messages', 3],
      ['dispatch.messages', 3],
      ['dispatch.messages', 3],
      ['dispatch.messages', 1],
      ['dispatch.runs', 1],
    ]);
  });

  it('when tier rows are older than 25 hours, then they are deleted and the newer ones kept', async () => {
    await sql`insert into dispatch.tier_recipients (phone_number_id, phone, counted_at) values
              ('number-1', '+919800000001', ${hoursAgo(26)}), ('number-1', '+919800000002', ${hoursAgo(24)})`;
    await sql`insert into dispatch.tier_hours (phone_number_id, hour, recipients) values
              ('number-1', ${hoursAgo(26)}, 1), ('number-1', ${hoursAgo(24)}, 1)`;
    await pruneQuietly();

    expect((await sql`select phone from dispatch.tier_recipients`).map((row) => row.phone)).toEqual(['+919800000002']);
    expect((await sql`select hour from dispatch.tier_hours`).map((row) => (row.hour as Date).toISOString())).toEqual([
      hoursAgo(24).toISOString(),
    ]);
  });

  it('when replies arrived longer ago than the message retention, then they are deleted and the newer ones kept', async () => {
    const reply = (wamid: string, receivedAt: Date) => ({
      wamid,
      phone: '+919800000003',
      phone_number_id: 'number-1',
      type: 'text',
      text: 'hello',
      received_at: receivedAt,
    });
    await sql`insert into dispatch.replies ${sql([reply('wamid.old', daysAgo(91)), reply('wamid.new', daysAgo(89))])}`;
    await pruneQuietly();

    expect((await sql`select wamid from dispatch.replies`).map((row) => row.wamid)).toEqual(['wamid.new']);
  });

  it('when the schema is migrated, then no trigger on messages fires on delete (pruning must not move run counters)', async () => {
    const deleteTriggers = await sql`select tgname from pg_trigger
                                      where tgrelid = 'dispatch.messages'::regclass and not tgisinternal and (tgtype & 8) <> 0`;
    expect(deleteTriggers).toEqual([]);
  });
});
