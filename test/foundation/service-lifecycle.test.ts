import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  deleteNamespaceStreams,
  eventually,
  freePort,
  startServiceProcess,
  startTcpProxy,
  testGrpcTokenEnv,
  testNatsUrl,
  uniqueNamespace,
  type ServiceProcess,
  type TestDatabase,
} from '@ektola/platform/testing';

/** Each long-running service, started exactly as the run command and the images start it. */
const services = [
  // Its outbox absorbs a NATS outage, so only PostgreSQL decides whether it is ready.
  {
    name: 'campaign-service',
    httpPortVariable: 'PORT',
    extraPorts: ['GRPC_PORT'],
    dependencies: ['postgres'],
    env: testGrpcTokenEnv['campaign-service'],
  },
  { name: 'webhook-service', httpPortVariable: 'PORT', extraPorts: [], dependencies: ['nats'], env: {} },
  // Without WhatsApp credentials the dispatcher runs only when told it is a development run.
  {
    name: 'dispatcher-service',
    httpPortVariable: 'OPS_PORT',
    extraPorts: ['GRPC_PORT'],
    dependencies: ['nats', 'postgres'],
    env: { ...testGrpcTokenEnv['dispatcher-service'], EKTOLA_DEVELOPMENT_MODE: 'true' },
  },
] as const;

const entry = (service: string) => new URL(`../../services/${service}/src/main.ts`, import.meta.url).pathname;
const natsTarget = () => {
  const url = new URL(testNatsUrl());
  return { host: url.hostname, port: Number(url.port || 4222) };
};

let database: TestDatabase;
const namespace = uniqueNamespace();
const started: ServiceProcess[] = [];

async function start(service: (typeof services)[number], overrides: Record<string, string> = {}) {
  const httpPort = await freePort();
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    NATS_URL: testNatsUrl(),
    EKTOLA_NAMESPACE: namespace,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    WHATSAPP_APP_SECRET: 'lifecycle-secret',
    WHATSAPP_VERIFY_TOKEN: 'lifecycle-verify',
    EKTOLA_ADMIN_API_KEY: 'lifecycle-admin-key-0123456789abcdef',
    // The dispatcher sends nothing here, so it runs in development mode rather than with Meta's credentials.
    EKTOLA_DEVELOPMENT_MODE: 'true',
    [service.httpPortVariable]: String(httpPort),
    ...service.env,
    ...overrides,
  };
  for (const variable of service.extraPorts) env[variable] = String(await freePort());
  const process = startServiceProcess(entry(service.name), env);
  started.push(process);
  return { process, baseUrl: `http://127.0.0.1:${httpPort}` };
}

const get = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
};

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  for (const process of started) process.kill('SIGKILL');
  await Promise.all(started.map((process) => process.exited));
  await database.drop();
  await deleteNamespaceStreams(namespace);
});

describe.each(services)('$name', (service) => {
  it('when started, then /healthz, /readyz and /metrics answer, and SIGTERM ends it with exit code 0', async () => {
    const { process, baseUrl } = await start(service);
    await eventually(async () => (await get(`${baseUrl}/healthz`)).status === 200);

    const ready = await eventually(async () => {
      const answer = await get(`${baseUrl}/readyz`);
      return answer.status === 200 && answer;
    });
    const report = JSON.parse(ready.body) as { status: string; checks: Record<string, string> };
    expect(report.status).toBe('ready');
    for (const dependency of service.dependencies) expect(report.checks[dependency]).toBe('ok');
    const metrics = await get(`${baseUrl}/metrics`);
    expect(metrics.body).toContain(`process_cpu_user_seconds_total{service="${service.name}"}`);

    process.kill('SIGTERM');
    // The service's own grace period ends it with exit code 1 if stopping takes longer than 10 s.
    expect(await process.exited).toBe(0);
    expect(process.output()).toContain('"msg":"stopped"');
  });

  it('when NATS_URL is not a URL, then it exits with code 1 and a line naming NATS_URL', async () => {
    const { process } = await start(service, { NATS_URL: 'not-a-url' });
    expect(await process.exited).toBe(1);
    expect(process.output()).toMatch(new RegExp(`^${service.name}: invalid configuration: NATS_URL: `, 'm'));
  });
});

describe('readiness follows the dependencies', () => {
  it('when NATS becomes unreachable, then /readyz turns 503 naming NATS, and 200 again once it is back', async () => {
    const proxy = await startTcpProxy(natsTarget());
    try {
      const { baseUrl } = await start(services[1], { NATS_URL: proxy.url('nats') });
      await eventually(async () => (await get(`${baseUrl}/readyz`)).status === 200);

      await proxy.cut();
      const down = await eventually(async () => {
        const answer = await get(`${baseUrl}/readyz`);
        return answer.status === 503 && answer;
      });
      expect(JSON.parse(down.body)).toMatchObject({
        status: 'unavailable',
        checks: { nats: expect.stringMatching(/^down: /) },
      });
      expect((await get(`${baseUrl}/healthz`)).status).toBe(200);

      await proxy.restore();
      await eventually(async () => (await get(`${baseUrl}/readyz`)).status === 200, 30_000);
    } finally {
      await proxy.close();
    }
  });

  it('when PostgreSQL becomes unreachable, then /readyz turns 503 naming postgres', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    try {
      const url = new URL(database.url);
      url.host = `127.0.0.1:${proxy.port}`;
      const { baseUrl } = await start(services[2], { DATABASE_URL: url.toString() });
      await eventually(async () => (await get(`${baseUrl}/readyz`)).status === 200);

      await proxy.cut();
      const down = await eventually(async () => {
        const answer = await get(`${baseUrl}/readyz`);
        return answer.status === 503 && answer;
      });
      expect(JSON.parse(down.body).checks).toMatchObject({ postgres: expect.stringMatching(/^down: /), nats: 'ok' });

      await proxy.restore();
      await eventually(async () => (await get(`${baseUrl}/readyz`)).status === 200, 30_000);
    } finally {
      await proxy.close();
    }
  });
});

describe('the migration entry point the Helm hook runs', () => {
  it.each([
    ['campaign-service', 'campaign'],
    ['dispatcher-service', 'dispatch'],
  ])(
    'when %s/src/migrate.ts runs against a new database, then it creates the schema and exits 0',
    async (service, schema) => {
      const fresh = await createTestDatabase();
      try {
        const migrate = startServiceProcess(
          new URL(`../../services/${service}/src/migrate.ts`, import.meta.url).pathname,
          {
            DATABASE_URL: fresh.url,
          },
        );
        expect(await migrate.exited).toBe(0);
        expect(migrate.output()).toContain(`"schema":"${schema}"`);
        const again = startServiceProcess(
          new URL(`../../services/${service}/src/migrate.ts`, import.meta.url).pathname,
          {
            DATABASE_URL: fresh.url,
          },
        );
        expect(await again.exited).toBe(0);
        expect(again.output()).toContain('"applied":[]');
      } finally {
        await fresh.drop();
      }
    },
  );
});
