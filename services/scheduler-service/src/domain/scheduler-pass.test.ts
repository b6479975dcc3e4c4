import { describe, expect, it } from 'vitest';
import { DomainError, failedPrecondition, unavailable } from '@ektola/platform/errors';
import { createLogger } from '@ektola/platform/logger';
import type { CampaignSchedule, Period } from '@ektola/platform/schedule';
import {
  runSchedulerPass,
  type CampaignDirectory,
  type ListedCampaign,
  type PassSummary,
  type SkippedPeriod,
} from './scheduler-pass.ts';

const logger = createLogger({ service: 'test', level: 'silent' });
const now = new Date('2026-03-05T09:10:00Z');
const fixed = (date: Date) => ({ now: () => date });

const daily = (id: string, overrides: Partial<CampaignSchedule> = {}): ListedCampaign => ({
  campaign: {
    id,
    status: 'ACTIVE',
    recurrence: 'DAILY',
    timezone: 'UTC',
    startAt: new Date('2026-03-01T09:00:00Z'),
    ...overrides,
  },
});

/** An in-memory directory: pages as given, CreateRun idempotent per (campaign, period), failures on request. */
function directoryOf(pages: ListedCampaign[][], failures: Record<string, Error> = {}) {
  const runs = new Map<string, string>();
  const recorded: PassSummary[] = [];
  const skips: SkippedPeriod[][] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const directory: CampaignDirectory = {
    async *pages() {
      for (const page of pages) yield page;
    },
    async createRun(campaignId: string, period: Period) {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      const failure = failures[campaignId];
      if (failure) throw failure;
      const key = `${campaignId}/${period.periodKey}`;
      const existing = runs.get(key);
      if (existing) return { created: false, runId: existing };
      runs.set(key, `run-${runs.size + 1}`);
      return { created: true, runId: runs.get(key)! };
    },
    async recordPass({ summary, skippedPeriods }) {
      recorded.push(summary);
      skips.push(skippedPeriods);
    },
  };
  return { directory, runs, recorded, skips, mostInFlight: () => mostInFlight };
}

const pass = (directory: CampaignDirectory, options: { signal?: AbortSignal; concurrency?: number } = {}) =>
  runSchedulerPass(
    {
      directory,
      clock: fixed(new Date()),
      evaluationClock: fixed(now),
      graceWindowMs: 6 * 3_600_000,
      concurrency: options.concurrency ?? 4,
      logger,
    },
    options.signal ?? new AbortController().signal,
  );

describe('scheduler pass', () => {
  it('when campaigns are due, not due and too late, then it creates the due runs, counts the rest and records the pass', async () => {
    const pages = [
      [daily('due-1'), daily('due-2'), daily('paused', { status: 'PAUSED' })],
      [daily('ran', { lastPeriodKey: '2026-03-05', lastScheduledFor: new Date('2026-03-05T09:00:00Z') })],
      [daily('too-late', { startAt: new Date('2026-03-01T01:00:00Z') })],
    ];
    const { directory, runs, recorded } = directoryOf(pages);
    const result = await pass(directory);
    const expected = { campaignsSeen: 5, runsCreated: 2, runsExisting: 0, skipped: 1, notDue: 2, errors: 0 };
    expect(result).toMatchObject({ ok: true, summary: expected, evaluatedAt: now });
    expect([...runs.keys()]).toEqual(['due-1/2026-03-05', 'due-2/2026-03-05']);
    expect(recorded).toEqual([expected]);
  });

  it('when another pass already created the run, then it is counted as existing, not created', async () => {
    const { directory } = directoryOf([[daily('due-1')]]);
    await pass(directory);
    const second = await pass(directory);
    expect(second.summary).toMatchObject({ runsCreated: 0, runsExisting: 1 });
    expect(second.ok).toBe(true);
  });

  it('when the campaign-service refuses a run because the campaign changed, then that period is skipped and the pass succeeds', async () => {
    const { directory } = directoryOf([[daily('paused-meanwhile'), daily('due')]], {
      'paused-meanwhile': failedPrecondition('campaign is PAUSED'),
    });
    const result = await pass(directory);
    expect(result).toMatchObject({ ok: true, summary: { runsCreated: 1, skipped: 1, errors: 0 } });
  });

  it('when periods are skipped, then the pass reports each with its campaign and reason', async () => {
    const { directory, skips } = directoryOf(
      [[daily('too-late', { startAt: new Date('2026-03-01T01:00:00Z') }), daily('paused-meanwhile')]],
      {
        'paused-meanwhile': failedPrecondition('campaign is PAUSED'),
      },
    );
    await pass(directory);
    expect(skips).toEqual([
      expect.arrayContaining([
        {
          campaignId: 'too-late',
          period: { periodKey: '2026-03-05', scheduledFor: new Date('2026-03-05T01:00:00Z') },
          reason: 'outside_grace_window',
        },
        {
          campaignId: 'paused-meanwhile',
          period: { periodKey: '2026-03-05', scheduledFor: new Date('2026-03-05T09:00:00Z') },
          reason: 'campaign_not_schedulable',
        },
      ]),
    ]);
  });

  it('when one campaign fails unexpectedly or cannot be read, then the others still run and the pass fails', async () => {
    const unreadable: ListedCampaign = { unreadable: { id: 'bad', problem: 'timezone: must be an IANA time zone' } };
    const { directory, recorded } = directoryOf([[daily('broken'), unreadable, daily('due')]], {
      broken: new DomainError('internal', 'boom'),
    });
    const result = await pass(directory);
    expect(result).toMatchObject({ ok: false, summary: { campaignsSeen: 3, runsCreated: 1, errors: 2 } });
    expect(recorded).toHaveLength(1);
  });

  it('when a campaign cannot be decided, then it counts as an error and the others still run', async () => {
    const { directory, runs } = directoryOf([[daily('mars', { timezone: 'Mars/Olympus_Mons' }), daily('due')]]);
    const result = await pass(directory);
    expect(result).toMatchObject({ ok: false, summary: { campaignsSeen: 2, runsCreated: 1, errors: 1 } });
    expect(result.failure).toBeUndefined();
    expect([...runs.keys()]).toEqual(['due/2026-03-05']);
  });

  it('when the campaign-service becomes unavailable, then the pass stops early, records nothing and fails', async () => {
    const pages = [[daily('down')], [daily('never-reached')]];
    const { directory, runs, recorded } = directoryOf(pages, { down: unavailable('connection refused') });
    const result = await pass(directory, { concurrency: 1 });
    expect(result.ok).toBe(false);
    expect(result.failure).toMatch(/unavailable/);
    expect(runs.size).toBe(0);
    expect(recorded).toEqual([]);
  });

  it('when listing fails, then the pass fails naming it', async () => {
    const directory: CampaignDirectory = {
      pages: () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(unavailable('no connection')) }) }),
      createRun: () => Promise.reject(new Error('not reached')),
      recordPass: () => Promise.reject(new Error('not reached')),
    };
    expect(await pass(directory)).toMatchObject({ ok: false, failure: 'could not list campaigns: no connection' });
  });

  it('when stopped, then it starts no more CreateRun calls and reports that it stopped short', async () => {
    const stop = new AbortController();
    stop.abort();
    const { directory, runs } = directoryOf([[daily('a'), daily('b')]]);
    const result = await pass(directory, { signal: stop.signal });
    expect(result).toMatchObject({ ok: false, failure: 'stopped before the pass finished' });
    expect(runs.size).toBe(0);
  });

  it('when a page holds many due campaigns, then no more than the configured number of CreateRun calls run at once', async () => {
    const page = Array.from({ length: 20 }, (_, index) => daily(`c${index}`));
    const { directory, runs, mostInFlight } = directoryOf([page]);
    await pass(directory, { concurrency: 3 });
    expect(runs.size).toBe(20);
    expect(mostInFlight()).toBe(3);
  });
});
