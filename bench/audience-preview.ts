import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { parseConfig } from '@ektola/platform/config';
import { createLogger } from '@ektola/platform/logger';
import {
  createTestDatabase,
  deleteNamespaceStreams,
  testGrpcTokenEnv,
  testNatsUrl,
  uniqueNamespace,
} from '@ektola/platform/testing';
import { buildApp } from '../services/campaign-service/src/app.ts';
import { configSchema } from '../services/campaign-service/src/config.ts';

// `node bench/audience-preview.ts [contacts]`: the campaign-service in-process on a fresh database
// holding N generated contacts (CSV-style text attributes), then POST /v1/audiences/preview of a
// numeric attribute condition, timed end to end; one JSON line with the result.
const contacts = Number(process.argv[2] ?? 1_000_000);
const adminKey = `bench-${randomUUID()}`;
const database = await createTestDatabase('campaign_bench');
const namespace = uniqueNamespace('bench');
const config = parseConfig(configSchema, {
  DATABASE_URL: database.url,
  NATS_URL: process.env.NATS_URL ?? testNatsUrl(),
  EKTOLA_NAMESPACE: namespace,
  HOST: '127.0.0.1',
  PORT: '0',
  GRPC_PORT: '0',
  EKTOLA_ADMIN_API_KEY: adminKey,
  LOG_LEVEL: 'warn',
  ...testGrpcTokenEnv['campaign-service'],
});
const app = await buildApp(config, createLogger({ service: 'campaign-service', level: 'warn' }));
await app.start();
const sql = postgres(database.url, { max: 1, onnotice: () => undefined });

try {
  // Generated in the database: the preview is measured, not the import (bench:contacts measures that).
  await sql`
    insert into campaign.contacts (id, phone, name, tags, attributes, opted_out)
    select gen_random_uuid(), '+91' || (7000000000 + g)::text, 'Customer ' || g,
      case when g % 3 = 0 then array['loan'] else array['gold'] end,
      jsonb_build_object('loan_amount', (g % 20000)::text, 'city', (array['Pune', 'Mumbai', 'Delhi'])[1 + g % 3]),
      g % 50 = 0
    from generate_series(1, ${contacts}::int) g`;
  await sql`analyze campaign.contacts`;
  const started = performance.now();
  const answer = await app.http.inject({
    method: 'POST',
    url: '/v1/audiences/preview',
    headers: { authorization: `Bearer ${adminKey}` },
    payload: { audience: { where: [{ field: 'attributes.loan_amount', op: 'gt', value: 15_000 }] } },
  });
  const seconds = (performance.now() - started) / 1000;
  if (answer.statusCode !== 200) throw new Error(`preview answered ${answer.statusCode}: ${answer.body}`);
  const { count, excluded } = answer.json() as { count: number; excluded: { optedOut: number } };
  console.log(JSON.stringify({ preview_s: Number(seconds.toFixed(3)), contacts, count, opted_out: excluded.optedOut }));
} finally {
  await sql.end();
  await app.stop();
  await database.drop();
  await deleteNamespaceStreams(namespace);
}
