import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  deleteNamespaceStreams,
  eventually,
  freePort,
  startServiceProcess,
  testGrpcTokenEnv,
  testNatsUrl,
  uniqueNamespace,
  type ServiceProcess,
  type TestDatabase,
} from '@ektola/platform/testing';
import { repoRoot } from './support/helm.ts';
import { alertQueries, dashboardQueries, metricNames } from './support/promql.ts';

/**
 * The dashboards and alerts are only as good as the names they query: this starts every
 * long-running service exactly as its image does, scrapes /metrics, and requires each name a panel
 * or rule reads to be declared by one of them (families are declared before their first sample).
 */
let database: TestDatabase;
const namespace = uniqueNamespace('metrics');
const started: ServiceProcess[] = [];
/** What each service's /metrics answered, keyed by service. */
const scrapes = new Map<string, string>();

/** Names a scrape declares: every family, with the _bucket/_sum/_count series of histograms and summaries. */
function seriesNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

async function scrape(service: string, httpPortVariable: string, extra: Record<string, string>): Promise<void> {
  const httpPort = await freePort();
  const process = startServiceProcess(join(repoRoot, `services/${service}/src/main.ts`), {
    DATABASE_URL: database.url,
    NATS_URL: testNatsUrl(),
    EKTOLA_NAMESPACE: namespace,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    [httpPortVariable]: String(httpPort),
    ...extra,
  });
  started.push(process);
  const base = `http://127.0.0.1:${httpPort}`;
  // Ready means its consumers, relays and gauges are set up, so every family it has is declared.
  await eventually(async () => (await fetch(`${base}/readyz`)).status === 200, 60_000).catch((error: unknown) => {
    throw new Error(`${service} did not become ready: ${String(error)}\n${process.output()}`);
  });
  scrapes.set(service, await (await fetch(`${base}/metrics`)).text());
}

beforeAll(async () => {
  database = await createTestDatabase();
  const campaignGrpc = await freePort();
  const dispatcherGrpc = await freePort();
  const grpc = {
    CAMPAIGN_GRPC_ADDRESS: `127.0.0.1:${campaignGrpc}`,
    DISPATCHER_GRPC_ADDRESS: `127.0.0.1:${dispatcherGrpc}`,
  };
  await Promise.all([
    scrape('campaign-service', 'PORT', {
      ...grpc,
      ...testGrpcTokenEnv['campaign-service'],
      GRPC_PORT: String(campaignGrpc),
      EKTOLA_ADMIN_API_KEY: 'metrics-admin-key-0123456789',
    }),
    scrape('dispatcher-service', 'OPS_PORT', {
      ...grpc,
      ...testGrpcTokenEnv['dispatcher-service'],
      GRPC_PORT: String(dispatcherGrpc),
      // No WhatsApp credentials here: the dispatcher must be told it may run without them.
      EKTOLA_DEVELOPMENT_MODE: 'true',
    }),
    scrape('webhook-service', 'PORT', {
      WHATSAPP_APP_SECRET: 'metrics-secret',
      WHATSAPP_VERIFY_TOKEN: 'metrics-verify',
    }),
    scrape('callback-service', 'OPS_PORT', {
      ...testGrpcTokenEnv['callback-service'],
      GRPC_PORT: String(await freePort()),
    }),
  ]);
}, 120_000);

afterAll(async () => {
  for (const process of started) process.kill('SIGTERM');
  await Promise.all(started.map((process) => process.exited));
  await database?.drop();
  await deleteNamespaceStreams(namespace);
});

describe('metrics the dashboards and alerts read', () => {
  it('when every service runs, then each metric a dashboard panel or alert rule names is exported by one of them', () => {
    const all = new Set([...scrapes.values()].flatMap((text) => [...seriesNames(text)]));
    const missing = [...dashboardQueries(), ...alertQueries()].flatMap((query) =>
      metricNames(query.expression)
        .filter((name) => !all.has(name))
        .map((name) => `${name} (${query.source})`),
    );
    expect([...new Set(missing)], 'metrics named but exported by no service').toEqual([]);
  });

  // The ServiceMonitor keeps the services' own `service` label (honorLabels), which the dashboards rely on.
  it('when the services are scraped, then each labels its series with its own name', () => {
    expect([...scrapes.keys()].sort()).toEqual([
      'callback-service',
      'campaign-service',
      'dispatcher-service',
      'webhook-service',
    ]);
    for (const [service, text] of scrapes)
      expect(text).toContain(`process_cpu_user_seconds_total{service="${service}"}`);
  });
});
