import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '@ektola/platform/logger';
import {
  eventually,
  freePort,
  startOtlpCollector,
  startServiceProcess,
  testGrpcTokenEnv,
  type ServiceProcess,
} from '@ektola/platform/testing';
import { summaryOf } from './pass-summary.ts';
import { startFakeCampaignQuery, type FakeCampaign } from './fake-campaign-query.ts';

const entry = new URL('../src/main.ts', import.meta.url).pathname;
const logger = createLogger({ service: 'fake-campaign-service', level: 'silent' });

const campaigns: FakeCampaign[] = [
  { id: 'daily', status: 'ACTIVE', recurrence: 'DAILY', timezone: 'UTC', startAt: '2026-03-01T09:00:00Z' },
  { id: 'weekly', status: 'ACTIVE', recurrence: 'WEEKLY', timezone: 'Asia/Kolkata', startAt: '2026-02-26T03:30:00Z' },
  {
    id: 'monthly',
    status: 'ACTIVE',
    recurrence: 'MONTHLY',
    timezone: 'Europe/London',
    startAt: '2026-01-05T08:00:00Z',
  },
  { id: 'once', status: 'ACTIVE', recurrence: 'ONCE', timezone: 'UTC', startAt: '2026-03-05T09:00:00Z' },
  { id: 'paused', status: 'PAUSED', recurrence: 'DAILY', timezone: 'UTC', startAt: '2026-03-01T09:00:00Z' },
  { id: 'future', status: 'ACTIVE', recurrence: 'DAILY', timezone: 'UTC', startAt: '2026-04-01T09:00:00Z' },
];

let fake: Awaited<ReturnType<typeof startFakeCampaignQuery>>;
const started: ServiceProcess[] = [];

const start = (args: string[], env: Record<string, string> = {}) => {
  const process = startServiceProcess(
    entry,
    {
      CAMPAIGN_GRPC_ADDRESS: fake.address,
      HOST: '127.0.0.1',
      OPS_PORT: '0',
      LOG_LEVEL: 'info',
      SCHEDULER_PAGE_SIZE: '2',
      ...testGrpcTokenEnv['scheduler-service'],
      ...env,
    },
    args,
  );
  started.push(process);
  return process;
};

// Each test gets a campaign-service of its own, so runs created by one never decide another.
beforeEach(async () => {
  fake = await startFakeCampaignQuery(logger, campaigns);
});

afterEach(async () => {
  await fake.stop();
});

afterAll(async () => {
  for (const process of started) process.kill('SIGKILL');
  await Promise.all(started.map((process) => process.exited));
});

describe('scheduler-service process', () => {
  it('when run once at a simulated instant, then it creates each due run over every page, records the pass, logs one summary line and exits 0', async () => {
    const pass = start(['--now', '2026-03-05T09:10:00Z']);
    expect(await pass.exited).toBe(0);
    expect(fake.runs.map((run) => `${run.campaignId}/${run.periodKey}@${run.scheduledFor}`).sort()).toEqual([
      'daily/2026-03-05@2026-03-05T09:00:00.000Z',
      'monthly/2026-03@2026-03-05T08:00:00.000Z',
      'once/once@2026-03-05T09:00:00.000Z',
      'weekly/2026-W10@2026-03-05T03:30:00.000Z',
    ]);
    expect(summaryOf(pass)).toMatchObject({
      campaignsSeen: 6,
      runsCreated: 4,
      runsExisting: 0,
      skipped: 0,
      notDue: 2,
      errors: 0,
      ok: true,
      evaluatedAt: '2026-03-05T09:10:00.000Z',
    });
    expect(fake.recorded.at(-1)).toMatchObject({
      campaignsSeen: 6,
      runsCreated: 4,
      runsExisting: 0,
      skipped: 0,
      errors: 0,
    });

    const minuteLater = start(['--now', '2026-03-05T09:11:00Z']);
    expect(await minuteLater.exited).toBe(0);
    expect(summaryOf(minuteLater)).toMatchObject({ campaignsSeen: 6, runsCreated: 0, runsExisting: 0, notDue: 6 });
    expect(fake.runs).toHaveLength(4);
  });

  it('when the campaign-service cannot be reached, then the pass fails and the process exits 1 so the Job is retried', async () => {
    const pass = start([], { CAMPAIGN_GRPC_ADDRESS: `127.0.0.1:${await freePort()}` });
    expect(await pass.exited).toBe(1);
    expect(summaryOf(pass)).toMatchObject({ ok: false, failure: expect.stringMatching(/^could not list campaigns/) });
  });

  it('when the simulated instant is not an instant, then it exits 1 naming the setting', async () => {
    const pass = start(['--now', 'tomorrow']);
    expect(await pass.exited).toBe(1);
    expect(pass.output()).toMatch(/SCHEDULER_NOW: must be an ISO 8601 instant/);
  });

  it('when looping with --every, then the ops endpoints answer, readiness follows the campaign-service and SIGTERM exits 0', async () => {
    const opsPort = await freePort();
    const loop = start(['--every', '1m', '--now', '2026-03-20T12:00:00Z'], { OPS_PORT: String(opsPort) });
    await loop.waitForOutput(/scheduler pass finished/);
    const base = `http://127.0.0.1:${opsPort}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { 'campaign-service': 'ok' } });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/ektola_scheduler_passes_total\{outcome="ok",service="scheduler-service"\} 1/);

    fake.grpc.health.setStatus('', 'NOT_SERVING');
    try {
      const down = await fetch(`${base}/readyz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ checks: { 'campaign-service': expect.stringMatching(/NOT_SERVING/) } });
    } finally {
      fake.grpc.health.setStatus('', 'SERVING');
    }

    loop.kill('SIGTERM');
    expect(await loop.exited).toBe(0);
  });

  it('when SIGTERM arrives during a single pass, then the call in flight finishes, no new one starts and it exits 1', async () => {
    const release = fake.holdCreateRuns();
    const pass = start(['--now', '2026-03-05T09:10:00Z'], { SCHEDULER_CONCURRENCY: '1' });
    await eventually(async () => fake.createRunCalls.length > 0);
    pass.kill('SIGTERM');
    await pass.waitForOutput(/shutting down/);
    release();
    expect(await pass.exited).toBe(1);
    expect(fake.createRunCalls).toHaveLength(1);
    expect(fake.runs).toHaveLength(1);
    expect(summaryOf(pass)).toMatchObject({ ok: false, failure: 'stopped before the pass finished', runsCreated: 1 });
  });

  it('when an OTLP endpoint is set, then the pass summary reaches it as metrics before the process exits', async () => {
    const collector = await startOtlpCollector();
    try {
      const pass = start(['--now', '2026-03-05T09:10:00Z'], { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url });
      expect(await pass.exited).toBe(0);
      const exported = collector.bodies('/v1/metrics');
      for (const name of [
        'ektola_scheduler_runs_created',
        'ektola_scheduler_campaigns_seen',
        'ektola_scheduler_passes',
      ]) {
        expect(exported).toContain(name);
      }
    } finally {
      await collector.close();
    }
  });
});
