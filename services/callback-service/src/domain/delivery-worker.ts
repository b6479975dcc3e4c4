import type { Clock } from '@ektola/platform/clock';
import { endpointDisabledEvent } from './callback-event.ts';
import type { CallbackEventLog, CallbackSender, ClaimedDelivery, DeliveryQueue } from './ports.ts';
import { nextRetryDelayMs, verdictOf, type AttemptResult, type AttemptVerdict } from './retry-policy.ts';
import { signatureHeaders } from './signature.ts';

export interface DeliveryWorkerMetrics {
  attempted(verdict: AttemptVerdict, seconds: number): void;
  disabled(reason: 'gone' | 'failing'): void;
}

export interface DeliveryWorkerOptions {
  queue: DeliveryQueue;
  events: CallbackEventLog;
  sender: CallbackSender;
  clock: Clock;
  metrics: DeliveryWorkerMetrics;
  schedule: readonly number[];
  random?: () => number;
  /** Attempts in flight at once, across all endpoints. */
  maxInFlight: number;
  /** Attempts in flight for one endpoint: a slow receiver holds at most this many, never the rest. */
  perEndpoint: number;
  /** How long a claimed delivery is ours; longer than the send timeout, so only a dead worker's lapse. */
  leaseMs: number;
  /** An endpoint failing every delivery for this long is disabled. */
  disableAfterMs: number;
  /** How long to sleep with nothing due, unless nudged. */
  idleMs: number;
  /** After a wake, how long to gather more settled attempts before claiming, so claims come in batches. */
  gatherMs?: number;
  onError(error: unknown, context: string): void;
}

/**
 * Delivers what the queue holds: claims due deliveries under a lease, signs and sends each, and
 * settles it (success, a retry at the schedule's next step with jitter, or a failure). Endpoints are
 * served side by side up to `perEndpoint` attempts each, so one slow receiver only ever waits on itself.
 * A worker that dies leaves its leases to lapse, and the deliveries are attempted again: at least once.
 */
export function createDeliveryWorker(options: DeliveryWorkerOptions) {
  const random = options.random ?? Math.random;
  const inFlight = new Map<string, number>();
  let total = 0;
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  // A nudge while the loop is claiming, so the sleep after it does not miss what the nudge announced.
  let nudged = false;
  const attempts = new Set<Promise<void>>();

  const nudge = () => {
    const resolve = wake;
    wake = undefined;
    if (resolve) resolve();
    else nudged = true;
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (nudged) {
        nudged = false;
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        wake = undefined;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function attempt(delivery: ClaimedDelivery) {
    const at = options.clock.now();
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'EkTola-Webhooks/1',
      ...signatureHeaders(delivery.secrets, delivery.eventId, at, delivery.body),
    };
    const result: AttemptResult = await options.sender.send({ url: delivery.url, headers, body: delivery.body });
    const verdict = verdictOf(result);
    options.metrics.attempted(verdict, result.latencyMs / 1000);
    const attempted = delivery.attemptCount + 1;
    const delay = verdict === 'retry' ? nextRetryDelayMs(attempted, options.schedule, random) : null;
    const status = verdict === 'succeeded' ? 'succeeded' : delay === null ? 'failed' : 'pending';
    const { failingSince } = await options.queue.settle({
      deliveryId: delivery.id,
      endpointId: delivery.endpointId,
      attempt: {
        at,
        httpStatus: result.kind === 'answered' ? result.status : null,
        latencyMs: Math.round(result.latencyMs),
        error: result.kind === 'no_answer' ? result.error : null,
      },
      status,
      nextAttemptAt: delay === null ? null : new Date(at.getTime() + delay),
    });
    if (verdict === 'gone') await disable(delivery.endpointId, 'gone');
    else if (failingSince && options.clock.now().getTime() - failingSince.getTime() >= options.disableAfterMs)
      await disable(delivery.endpointId, 'failing');
  }

  async function disable(endpointId: string, reason: 'gone' | 'failing') {
    const endpoint = await options.queue.disable(endpointId, reason);
    if (!endpoint) return;
    options.metrics.disabled(reason);
    await options.events.record([endpointDisabledEvent(endpoint, reason, options.clock.now())]);
  }

  function launch(delivery: ClaimedDelivery) {
    inFlight.set(delivery.endpointId, (inFlight.get(delivery.endpointId) ?? 0) + 1);
    total += 1;
    const task = attempt(delivery)
      .catch((error: unknown) => options.onError(error, 'delivery attempt'))
      .finally(() => {
        const left = (inFlight.get(delivery.endpointId) ?? 1) - 1;
        if (left > 0) inFlight.set(delivery.endpointId, left);
        else inFlight.delete(delivery.endpointId);
        total -= 1;
        attempts.delete(task);
        nudge();
      });
    attempts.add(task);
  }

  async function run() {
    while (running) {
      const free = options.maxInFlight - total;
      if (free <= 0) {
        await sleep(options.idleMs);
        continue;
      }
      let claimed: ClaimedDelivery[] = [];
      nudged = false;
      try {
        claimed = await options.queue.claim({
          limit: free,
          perEndpoint: options.perEndpoint,
          inFlight,
          leaseMs: options.leaseMs,
        });
      } catch (error) {
        options.onError(error, 'claim');
        await sleep(options.idleMs);
        continue;
      }
      for (const delivery of claimed) launch(delivery);
      if (claimed.length > 0) continue;
      await sleepUntilWork();
      // Attempts settle one by one; claiming for each would cost a statement per delivery.
      if (running) await new Promise((resolve) => setTimeout(resolve, options.gatherMs ?? 5));
    }
  }

  /**
   * Nothing claimable: sleeps until the next retry falls due, or until an attempt settles or new
   * deliveries are recorded (both nudge). What is due already waits on a busy endpoint's attempts.
   */
  async function sleepUntilWork() {
    const due = await options.queue.nextDueAt().catch(() => null);
    const untilDue = due ? due.getTime() - options.clock.now().getTime() : 0;
    await sleep(untilDue > 0 ? Math.min(options.idleMs, untilDue) : options.idleMs);
  }

  return {
    nudge,
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    /** Stops claiming and waits for the attempts in flight to settle. */
    async stop() {
      running = false;
      nudge();
      await loop;
      await Promise.allSettled(attempts);
    },
  };
}

export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;
