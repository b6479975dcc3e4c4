import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@ektola/platform/logger';
import { createDatabase, type Sql } from '@ektola/platform/postgres';
import { buildApp } from '../src/app.ts';
import { startHarness, type Harness } from './harness.ts';

const logger = createLogger({ service: 'campaign-service', level: 'silent' });
const hour = 60 * 60 * 1000;
let harness: Harness;
let sql: Sql;

beforeAll(async () => {
  // No relay: the unpublished outbox row below is not a real event.
  harness = await startHarness({ IDEMPOTENCY_TTL_HOURS: '24' }, { startOutboxRelay: false });
  sql = createDatabase({ url: harness.database.url, logger, applicationName: 'housekeeping-test' });
});

afterAll(async () => {
  await sql?.end({ timeout: 5 });
  await harness?.close();
});

/**
 * A replica started on a fixed clock runs each chore once as it starts, and stop() waits for those
 * passes, so the rows read afterwards are their result.
 */
async function housekeepingPassAt(now: Date) {
  const replica = await buildApp(harness.config, logger, { clock: { now: () => now }, startOutboxRelay: false });
  await replica.start();
  await replica.stop();
}

describe('housekeeping', () => {
  it('when idempotency keys pass IDEMPOTENCY_TTL_HOURS and outbox rows were published over 7 days ago, then they are deleted and the rest kept', async () => {
    // Far ahead of the real clock, so the harness's own passes never reach these rows.
    const now = new Date('2031-01-10T12:00:00.000Z');
    const at = (hoursBefore: number) => new Date(now.getTime() - hoursBefore * hour);
    const apiKeyId = randomUUID();
    await sql`insert into campaign.idempotency_keys (api_key_id, key, created_at) values
              (${apiKeyId}, 'expired-1', ${at(25)}), (${apiKeyId}, 'expired-2', ${at(48)}), (${apiKeyId}, 'fresh', ${at(23)})`;
    const [publishedLongAgo, publishedRecently, unpublished] = [randomUUID(), randomUUID(), randomUUID()];
    await sql`insert into campaign.outbox (id, event, payload, created_at, published_at) values
              (${publishedLongAgo}, 'run.requested', '{}', ${at(200)}, ${at(8 * 24)}),
              (${publishedRecently}, 'run.requested', '{}', ${at(30)}, ${at(24)}),
              (${unpublished}, 'run.requested', '{}', ${at(200)}, null)`;

    await housekeepingPassAt(now);

    const keys = await sql`select key from campaign.idempotency_keys where api_key_id = ${apiKeyId}`;
    expect(keys.map((row) => row.key)).toEqual(['fresh']);
    const outbox =
      await sql`select id from campaign.outbox where id in ${sql([publishedLongAgo, publishedRecently, unpublished])} order by created_at`;
    expect(outbox.map((row) => row.id).sort()).toEqual([publishedRecently, unpublished].sort());
  });
});
