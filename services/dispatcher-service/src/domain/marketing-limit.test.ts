import { describe, expect, it } from 'vitest';
import { createMarketingLimitRetry, nextMarketingLimitAttempt } from './marketing-limit.ts';
import type { MarketingLimitDeferral, MarketingLimitedMessage } from './ports.ts';

const now = new Date('2026-03-01T10:00:00Z');
const hour = 3_600_000;
const schedule = [6 * hour, 24 * hour];

/** FAILED 131049 messages by id (wamid `w-<id>`), with the store's rule: only a message still as decided moves. */
function fakeStore(messages: MarketingLimitedMessage[]) {
  const failed = new Map(messages.map((message) => [message.id, { ...message }]));
  const deferred: MarketingLimitDeferral[] = [];
  return {
    deferred,
    store: {
      async limited(keys: { ids: readonly string[]; wamids: readonly string[] }) {
        return [...failed.values()].filter(
          (message) => keys.ids.includes(message.id) || keys.wamids.includes(`w-${message.id}`),
        );
      },
      async defer(deferrals: readonly MarketingLimitDeferral[]) {
        return deferrals.flatMap((deferral) => {
          const message = failed.get(deferral.id);
          if (!message || message.retries !== deferral.retries) return [];
          failed.delete(deferral.id);
          deferred.push(deferral);
          return [{ id: message.id, runId: message.runId }];
        });
      },
    },
  };
}

describe('nextMarketingLimitAttempt', () => {
  it('when a message was refused for the marketing limit, then it is tried again +6 h, then +24 h, then never', () => {
    expect(nextMarketingLimitAttempt(schedule, 0, now)).toEqual(new Date(now.getTime() + 6 * hour));
    expect(nextMarketingLimitAttempt(schedule, 1, now)).toEqual(new Date(now.getTime() + 24 * hour));
    expect(nextMarketingLimitAttempt(schedule, 2, now)).toBeUndefined();
    expect(nextMarketingLimitAttempt([], 0, now)).toBeUndefined();
  });
});

describe('createMarketingLimitRetry', () => {
  const queued: Array<{ runId: string; key: string; messageIds: string[] }> = [];
  const queue = {
    async enqueue(runId: string, batches: ReadonlyArray<{ key: string; messageIds: string[] }>) {
      queued.push(...batches.map((batch) => ({ runId, ...batch })));
    },
  };

  it('when refused messages still have delays left, then each waits for its own next delay and the spent ones stay FAILED', async () => {
    queued.length = 0;
    const world = fakeStore([
      { id: 'a', runId: 'r1', retries: 0 },
      { id: 'b', runId: 'r1', retries: 1 },
      { id: 'c', runId: 'r2', retries: 2 },
    ]);
    const retry = createMarketingLimitRetry({ ...world, queue, clock: { now: () => now }, delaysMs: schedule });
    const outcome = await retry({ ids: ['a', 'b', 'c'] }, false);
    expect(outcome).toEqual({
      deferred: [
        { id: 'a', runId: 'r1' },
        { id: 'b', runId: 'r1' },
      ],
      exhausted: 1,
    });
    expect(world.deferred).toEqual([
      { id: 'a', retries: 0, nextAttemptAt: new Date(now.getTime() + 6 * hour) },
      { id: 'b', retries: 1, nextAttemptAt: new Date(now.getTime() + 24 * hour) },
    ]);
    expect(queued).toEqual([]);
  });

  it('when the refusal came in a failed status, then each deferred message is queued again in a batch of its own, keyed by its retry', async () => {
    queued.length = 0;
    const world = fakeStore([
      { id: 'a', runId: 'r1', retries: 0 },
      { id: 'b', runId: 'r2', retries: 1 },
    ]);
    const retry = createMarketingLimitRetry({ ...world, queue, clock: { now: () => now }, delaysMs: schedule });
    await retry({ wamids: ['w-a', 'w-b', 'w-unknown'] }, true);
    expect(queued).toEqual([
      { runId: 'r1', key: 'marketing-limit:a:0', messageIds: ['a'] },
      { runId: 'r2', key: 'marketing-limit:b:1', messageIds: ['b'] },
    ]);
  });

  it('when nothing among the keys was refused for the marketing limit, then nothing is written or queued', async () => {
    queued.length = 0;
    const world = fakeStore([]);
    const retry = createMarketingLimitRetry({ ...world, queue, clock: { now: () => now }, delaysMs: schedule });
    expect(await retry({ ids: ['x'] }, true)).toEqual({ deferred: [], exhausted: 0 });
    expect(queued).toEqual([]);
  });
});
