import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTcpProxy, testNatsUrl, type TcpProxy } from '@ektola/platform/testing';
import { startHarness, type Harness } from './harness.ts';

let harness: Harness;
let nats: TcpProxy;
let postgres: TcpProxy;

const target = (url: string) => ({ host: new URL(url).hostname, port: Number(new URL(url).port) });

beforeAll(async () => {
  nats = await startTcpProxy(target(testNatsUrl()));
  postgres = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
  harness = await startHarness((database) => {
    const url = new URL(database.url);
    url.port = String(postgres.port);
    return { NATS_URL: nats.url('nats'), DATABASE_URL: url.toString() };
  });
});

afterAll(async () => {
  await nats?.restore();
  await postgres?.restore();
  await harness?.close();
  await nats?.close();
  await postgres?.close();
});

const readyz = () => harness.request({ url: '/readyz', key: null });

describe('/readyz', () => {
  it('when NATS cannot be reached, then the service stays ready while PostgreSQL answers, and the API keeps serving', async () => {
    await nats.cut();
    const response = await readyz();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: { postgres: 'ok' } });
    expect((await harness.request({ url: '/v1/contacts' })).statusCode).toBe(200);
    await nats.restore();
  });

  it('when PostgreSQL cannot be reached, then it is a 503 naming postgres, and ready again once it is back', async () => {
    await postgres.cut();
    const down = await readyz();
    expect(down.statusCode).toBe(503);
    expect(down.json().checks.postgres).toMatch(/^down/);
    await postgres.restore();
    await eventually(async () => (await readyz()).statusCode === 200);
  });
});
