import type { Clock } from '@ektola/platform/clock';
import { marketingLimitCode } from './meta-errors.ts';
import type { MarketingLimitStore, SendQueue, WaitingReason } from './ports.ts';

/** The wait a message shows while the marketing-limit schedule holds it (PENDING, error 131049). */
export const marketingLimitWaitingReason: WaitingReason = 'marketing_limit';

/** Why a message waits, as the run's message list shows it: only PENDING messages after a 131049 do. */
export const waitingReasonOf = (status: string, errorCode: number | undefined): WaitingReason | undefined =>
  status === 'PENDING' && errorCode === marketingLimitCode ? marketingLimitWaitingReason : undefined;

/**
 * When a message Meta refused for the per-user marketing limit (131049) `retriesSoFar` times already is
 * tried again: the schedule's next delay from now, or undefined once the schedule is spent and the
 * message stays FAILED with Meta's code and title.
 */
export function nextMarketingLimitAttempt(
  delaysMs: readonly number[],
  retriesSoFar: number,
  now: Date,
): Date | undefined {
  const delay = delaysMs[retriesSoFar];
  return delay === undefined ? undefined : new Date(now.getTime() + delay);
}

export interface MarketingLimitOutcome {
  /** Messages waiting again, PENDING until their next attempt. */
  deferred: Array<{ id: string; runId: string }>;
  /** Messages whose schedule was spent: FAILED for good. */
  exhausted: number;
}

/**
 * Meta's per-user marketing limit is not a verdict on the message: the user may take marketing again
 * later. A message FAILED with 131049 is moved back to PENDING on a growing schedule (default +6 h,
 * +24 h) and FAILED for good only after the last attempt. Sends answer 131049 on the call (the batch
 * that sent them comes back for them by itself) or later in a `failed` status (then the message is
 * queued again in a batch of its own).
 */
export function createMarketingLimitRetry(options: {
  store: MarketingLimitStore;
  queue: SendQueue;
  clock: Clock;
  delaysMs: readonly number[];
}) {
  const { store, queue, clock, delaysMs } = options;
  return async function retryMarketingLimited(
    keys: { ids?: readonly string[]; wamids?: readonly string[] },
    requeue: boolean,
  ): Promise<MarketingLimitOutcome> {
    const limited = await store.limited({ ids: keys.ids ?? [], wamids: keys.wamids ?? [] });
    const now = clock.now();
    const deferrals = limited.flatMap((message) => {
      const nextAttemptAt = nextMarketingLimitAttempt(delaysMs, message.retries, now);
      return nextAttemptAt ? [{ id: message.id, retries: message.retries, nextAttemptAt }] : [];
    });
    const deferred = deferrals.length > 0 ? await store.defer(deferrals) : [];
    if (requeue) {
      const retriesOf = new Map(deferrals.map((deferral) => [deferral.id, deferral.retries]));
      for (const { id, runId } of deferred)
        await queue.enqueue(runId, [{ key: `marketing-limit:${id}:${retriesOf.get(id)}`, messageIds: [id] }]);
    }
    return { deferred, exhausted: limited.length - deferrals.length };
  };
}

export type RetryMarketingLimited = ReturnType<typeof createMarketingLimitRetry>;
