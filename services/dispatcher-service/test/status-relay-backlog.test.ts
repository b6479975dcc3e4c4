import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MessageStatusItem } from '@ektola/platform/events';
import type { EventPublisher } from '@ektola/platform/nats';
import type { Sql } from '@ektola/platform/postgres';
import { chunkSize } from '../src/adapters/nats-status-announcer.ts';
import { createStatusRelay } from '../src/adapters/postgres-status-outbox.ts';
import { useDispatchDatabase } from './dispatch-database.ts';
import { nestedPlansOf } from './nested-plans.ts';

const database = useDispatchDatabase('status_relay_backlog');
let sql: Sql;
beforeAll(() => {
  sql = database();
});

/** A publisher that keeps the first message id of each event it was given. */
function recordingPublisher(published: string[]): EventPublisher {
  const publish: EventPublisher['publish'] = async (_event, payload) => {
    published.push((payload as { statuses: MessageStatusItem[] }).statuses[0]!.messageId);
    return { duplicate: false, sequence: published.length };
  };
  return {
    publish,
    publishAll: (event, items) => Promise.all(items.map((item) => publish(event, item.payload, item))),
  };
}

describe('the status outbox relay under a backlog', () => {
  it('when 20,000 announcements are owed, then every pass reads only its own chunks, oldest first, until none is left', async () => {
    const chunks = 100;
    // One statement per chunk, as a cancelled run's skipping or a stream of failures leaves them.
    for (let chunk = 0; chunk < chunks; chunk += 1) {
      await sql`
        insert into dispatch.status_announcements (batch, chunk, message_id, run_id, campaign_id, contact_id, phone,
                                                   status, at, skip_reason)
        select ${randomUUID()}::uuid, 0, gen_random_uuid(), ${randomUUID()}::uuid, ${randomUUID()}::uuid,
               'contact-' || i, '+9198' || lpad(i::text, 8, '0'), 'SKIPPED', now(), 'run_cancelled'
          from generate_series(1, ${chunkSize}) i`;
    }
    // The relay publishes a chunk's items in message order, the chunks in the order they were written.
    const expected = await sql<Array<{ id: string }>>`
      select min(message_id::text) as id from dispatch.status_announcements group by batch order by min(id)`;
    expect(expected).toHaveLength(chunks);

    const published: string[] = [];
    const chunksPerPass = 5;
    const plans = await nestedPlansOf(
      sql,
      (explained) =>
        createStatusRelay({
          sql: explained as unknown as Sql,
          publisher: recordingPublisher(published),
          chunksPerPass,
        }).relay(new AbortController().signal),
      { analyze: true },
    );

    expect(published).toEqual(expected.map((row) => row.id));
    expect(await sql`select 1 from dispatch.status_announcements`).toEqual([]);
    const passes = plans.filter((plan) => plan.includes('as row_id'));
    expect(passes.length).toBe(chunks / chunksPerPass + 1);
    for (const pass of passes) {
      const scans = pass.split('\n').filter((text) => text.includes(' on status_announcements'));
      for (const line of scans.filter((text) => !text.includes('never executed'))) {
        const [, rows, loops] = line.match(/actual time=[\d.]+\.\.[\d.]+ rows=(\d+) loops=(\d+)/) ?? [];
        expect(Number(rows) * Number(loops), line).toBeLessThanOrEqual(chunksPerPass * chunkSize);
      }
    }
  });
});
