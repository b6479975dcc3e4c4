import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { DateTime } from 'luxon';
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
import { summaryOf } from './pass-summary.ts';

const schedulerEntry = new URL('../src/main.ts', import.meta.url).pathname;
const campaignEntry = new URL('../../campaign-service/src/main.ts', import.meta.url).pathname;
const adminKey = `scheduler-it-admin-${randomUUID()}`;
const namespace = uniqueNamespace();
const minute = 60_000;
const testStartedAt = Date.now();

let database: TestDatabase;
let campaignService: ServiceProcess;
let apiUrl: string;
let grpcAddress: string;
const schedulers: ServiceProcess[] = [];

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${adminKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

function runScheduler(now: Date, address = grpcAddress): ServiceProcess {
  const process = startServiceProcess(
    schedulerEntry,
    {
      CAMPAIGN_GRPC_ADDRESS: address,
      HOST: '127.0.0.1',
      OPS_PORT: '0',
      LOG_LEVEL: 'info',
      ...testGrpcTokenEnv['scheduler-service'],
    },
    ['--now', now.toISOString()],
  );
  schedulers.push(process);
  return process;
}

/**
 * A TCP proxy that holds every connection until `parties` clients have connected, then lets them all
 * through at once. Two scheduler processes never start in the same millisecond; behind this barrier
 * their listings reach the campaign-service together, so both see every due campaign without a run
 * and both call CreateRun for it: the race the idempotent CreateRun must settle.
 */
async function startBarrierProxy(target: { host: string; port: number }, parties: number) {
  const waiting: Array<() => void> = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    for (const socket of [client, upstream]) socket.on('error', () => socket.destroy());
    client.pause();
    waiting.push(() => {
      client.pipe(upstream).pipe(client);
      client.resume();
    });
    if (waiting.length === parties) for (const release of waiting) release();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// Tomorrow, on the minute, so every campaign's start is ahead of the real clock and only --now makes it due.
const start = new Date(Math.ceil((Date.now() + 24 * 60 * minute) / minute) * minute);
const dueCampaigns = [
  { name: 'daily reminder', recurrence: 'DAILY', timezone: 'Asia/Kolkata' },
  { name: 'weekly digest', recurrence: 'WEEKLY', timezone: 'Europe/London' },
  { name: 'monthly statement', recurrence: 'MONTHLY', timezone: 'America/New_York' },
  { name: 'one-off notice', recurrence: 'ONCE', timezone: 'UTC' },
];
const campaignIds: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const [port, grpcPort] = [await freePort(), await freePort()];
  apiUrl = `http://127.0.0.1:${port}`;
  grpcAddress = `127.0.0.1:${grpcPort}`;
  campaignService = startServiceProcess(campaignEntry, {
    DATABASE_URL: database.url,
    NATS_URL: testNatsUrl(),
    EKTOLA_NAMESPACE: namespace,
    HOST: '127.0.0.1',
    PORT: String(port),
    GRPC_PORT: String(grpcPort),
    DISPATCHER_GRPC_ADDRESS: `127.0.0.1:${await freePort()}`,
    EKTOLA_ADMIN_API_KEY: adminKey,
    LOG_LEVEL: 'warn',
    ...testGrpcTokenEnv['campaign-service'],
  });
  await eventually(async () => (await fetch(`${apiUrl}/readyz`)).status === 200, 60_000, 250);

  await api('POST', '/v1/contacts', { phone: '+919876543210', name: 'Asha' });
  const template = await api<{ id: string }>('POST', '/v1/templates', {
    name: 'payment_reminder',
    language: 'en',
    category: 'UTILITY',
    status: 'APPROVED',
    components: [{ type: 'BODY', text: 'Hello {{1}}, your payment is due.' }],
    variables: { 'body.1': { field: 'name', default: 'customer' } },
  });
  for (const campaign of dueCampaigns) {
    const created = await api<{ id: string }>('POST', '/v1/campaigns', {
      ...campaign,
      templateId: template.id,
      startAt: start.toISOString(),
    });
    await api('POST', `/v1/campaigns/${created.id}/activate`);
    campaignIds.push(created.id);
  }
  // Not due: one that starts later, one paused.
  const later = await api<{ id: string }>('POST', '/v1/campaigns', {
    name: 'later',
    templateId: template.id,
    recurrence: 'DAILY',
    timezone: 'UTC',
    startAt: new Date(start.getTime() + 2 * 24 * 60 * minute).toISOString(),
  });
  await api('POST', `/v1/campaigns/${later.id}/activate`);
  const paused = await api<{ id: string }>('POST', '/v1/campaigns', {
    name: 'paused',
    templateId: template.id,
    recurrence: 'DAILY',
    timezone: 'UTC',
    startAt: start.toISOString(),
  });
  await api('POST', `/v1/campaigns/${paused.id}/activate`);
  await api('POST', `/v1/campaigns/${paused.id}/pause`);
  campaignIds.push(later.id, paused.id);
});

afterAll(async () => {
  for (const process of schedulers) process.kill('SIGKILL');
  campaignService?.kill('SIGTERM');
  await Promise.all([...schedulers.map((process) => process.exited), campaignService?.exited]);
  await database?.drop();
  await deleteNamespaceStreams(namespace);
});

const runsOf = async (campaignId: string) =>
  (await api<{ items: Array<{ periodKey: string; scheduledFor: string }> }>('GET', `/v1/campaigns/${campaignId}/runs`))
    .items;

describe('scheduler-service against the campaign-service', () => {
  it('when two passes start at the same moment, then each due campaign gets exactly one run, and a pass a minute later creates none', async () => {
    const now = new Date(start.getTime() + 5 * minute);
    const [host, port] = grpcAddress.split(':') as [string, string];
    const barrier = await startBarrierProxy({ host, port: Number(port) }, 2);
    const [first, second] = [runScheduler(now, barrier.address), runScheduler(now, barrier.address)];
    const exitCodes = await Promise.all([first.exited, second.exited]);
    await barrier.close();
    expect(exitCodes).toEqual([0, 0]);

    for (const [index, campaignId] of campaignIds.entries()) {
      const runs = await runsOf(campaignId);
      const expected = index < dueCampaigns.length ? 1 : 0;
      expect(runs, `runs of ${dueCampaigns[index]?.name ?? campaignId}`).toHaveLength(expected);
      if (expected) expect(new Date(runs[0]!.scheduledFor).getTime()).toBe(start.getTime());
    }
    // Both asked for every due run; for each, one was told it created it and the other that it existed.
    const summaries = [summaryOf(first), summaryOf(second)];
    const total = (field: 'runsCreated' | 'runsExisting') =>
      summaries.reduce((sum, summary) => sum + summary[field], 0);
    expect(total('runsCreated')).toBe(dueCampaigns.length);
    expect(total('runsExisting')).toBe(dueCampaigns.length);
    for (const summary of summaries)
      expect(summary).toMatchObject({ ok: true, campaignsSeen: campaignIds.length, errors: 0, skipped: 0 });

    const minuteLater = runScheduler(new Date(now.getTime() + minute));
    expect(await minuteLater.exited).toBe(0);
    expect(summaryOf(minuteLater)).toMatchObject({ ok: true, runsCreated: 0, runsExisting: 0, errors: 0 });
    for (const [index, campaignId] of campaignIds.entries()) {
      expect(await runsOf(campaignId)).toHaveLength(index < dueCampaigns.length ? 1 : 0);
    }

    // Each pass was reported, so the campaign-service's staleness alert sees the scheduler succeeding.
    const metrics = await (await fetch(`${apiUrl}/metrics`)).text();
    const lastSuccess = Number(
      /^ektola_scheduler_last_success_timestamp_seconds(?:\{[^}]*\})? (\S+)$/m.exec(metrics)?.[1],
    );
    expect(lastSuccess * 1000).toBeGreaterThan(testStartedAt);
  });

  it('when passes run on the next two days, then the daily campaign gets one run a day and the later campaign starts on its day', async () => {
    const day = 24 * 60 * minute;
    const localDate = (instant: Date, zone: string) => DateTime.fromJSDate(instant, { zone }).toISODate();
    const [daily, , , , later] = campaignIds as [string, string, string, string, string];

    const secondDay = runScheduler(new Date(start.getTime() + day + 5 * minute));
    expect(await secondDay.exited).toBe(0);
    expect(summaryOf(secondDay)).toMatchObject({ ok: true, runsCreated: 1 });

    const thirdDay = runScheduler(new Date(start.getTime() + 2 * day + 5 * minute));
    expect(await thirdDay.exited).toBe(0);
    expect(summaryOf(thirdDay)).toMatchObject({ ok: true, runsCreated: 2 });

    const dailyKeys = (await runsOf(daily)).map((run) => run.periodKey).sort();
    expect(dailyKeys).toEqual(
      [0, 1, 2].map((days) => localDate(new Date(start.getTime() + days * day), 'Asia/Kolkata')),
    );
    expect((await runsOf(later)).map((run) => run.periodKey)).toEqual([
      localDate(new Date(start.getTime() + 2 * day), 'UTC'),
    ]);
  });

  it('when a pass comes after the grace window of a period, then the period is skipped and its campaign shows it with the reason', async () => {
    const day = 24 * 60 * minute;
    const [daily] = campaignIds as [string];
    const fourthDay = new Date(start.getTime() + 3 * day);
    const lateBy7Hours = runScheduler(new Date(fourthDay.getTime() + 7 * 60 * minute));
    expect(await lateBy7Hours.exited).toBe(0);
    // The daily campaign and the later one both had a period at that moment, 7 hours ago.
    expect(summaryOf(lateBy7Hours)).toMatchObject({ ok: true, runsCreated: 0, skipped: 2, errors: 0 });

    const campaign = await api<{
      lastSkippedPeriod: { periodKey: string; scheduledFor: string; reason: string } | null;
    }>('GET', `/v1/campaigns/${daily}`);
    expect(campaign.lastSkippedPeriod).toMatchObject({
      periodKey: DateTime.fromJSDate(fourthDay, { zone: 'Asia/Kolkata' }).toISODate(),
      scheduledFor: fourthDay.toISOString(),
      reason: 'outside_grace_window',
    });
    expect(await runsOf(daily)).toHaveLength(3);
  });
});
