import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPruneMetrics } from '@ektola/platform/postgres';
import { Registry } from '@ektola/platform/metrics';
import { eventually } from '@ektola/platform/testing';
import { createPostgresRetention } from '../src/adapters/postgres-retention.ts';
import { startCallbackWorld, type CallbackWorld } from './support.ts';

let world: CallbackWorld;

beforeAll(async () => {
  world = await startCallbackWorld();
});

afterAll(async () => {
  await world?.stop();
});

describe('retention', () => {
  it('when finished deliveries are older than the retention, then they, their attempts and their events go, and what is owed stays', async () => {
    const { endpoint } = await world.subscribe('/kept', ['message.sent']);
    world.receiver.answer('/kept', { status: 503 });
    const old = await world.publishStatus({ status: 'SENT' });
    const owed = await world.publishStatus({ status: 'SENT' });
    const id = endpoint?.id ?? '';
    await eventually(async () => {
      const { deliveries } = await world.admin.deliveries(id);
      return deliveries.length === 2 && deliveries.every((delivery) => delivery.attempts.length > 0);
    }, 20_000);
    // One delivery finished 40 days ago; the other is still pending (owed), however old.
    await world.sql`
      update callbacks.deliveries d set status = 'succeeded', completed_at = now() - interval '40 days'
        from callbacks.events e
       where e.id = d.event_id and e.body like ${`%${old.messageId}%`}`;
    await world.sql`update callbacks.events set created_at = now() - interval '40 days'`;

    const retention = createPostgresRetention({
      sql: world.sql,
      retentionDays: 30,
      batchSize: 1,
      metrics: createPruneMetrics(new Registry()),
    });
    await retention.prune(new Date(), new AbortController().signal);

    const left = await world.sql<Array<{ body: string; status: string }>>`
      select e.body, d.status from callbacks.events e left join callbacks.deliveries d on d.event_id = e.id`;
    expect(left.map((row) => row.status)).toEqual(['pending']);
    expect(left[0]?.body).toContain(owed.messageId);
    const [attempts] = await world.sql<Array<{ count: number }>>`select count(*)::int as count from callbacks.attempts`;
    expect(attempts?.count).toBeGreaterThan(0);
  });
});
