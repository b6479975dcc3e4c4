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
    const id = endpoint?.id ?? '';
    await world.publishStatus({ status: 'SENT' });
    await eventually(async () => (await world.admin.deliveries(id, 'succeeded')).deliveries.length === 1, 20_000);
    world.receiver.answer('/kept', { status: 503 });
    const owed = await world.publishStatus({ status: 'SENT' });
    await eventually(async () => {
      const { deliveries } = await world.admin.deliveries(id, 'pending');
      return deliveries.length === 1 && (deliveries[0]?.attempts.length ?? 0) > 0;
    }, 20_000);
    // No more attempts, so nothing moves under the test's feet; then both look 40 days old.
    await world.admin.update({ id, setEnabled: true, enabled: false });
    await eventually(async () => {
      const [row] = await world.sql<Array<{ leased: number }>>`
        select count(*)::int as leased from callbacks.deliveries where lease_until is not null`;
      return row?.leased === 0;
    }, 20_000);
    await world.sql`update callbacks.deliveries set completed_at = now() - interval '40 days' where status = 'succeeded'`;
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
