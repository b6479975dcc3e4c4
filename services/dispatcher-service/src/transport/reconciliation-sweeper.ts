import type { Clock } from '@ektola/platform/clock';
import { messageDeadLettered } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import type { Registry } from '@ektola/platform/metrics';
import type { EventPublisher } from '@ektola/platform/nats';
import { startPeriodic, type PeriodicTask } from '@ektola/platform/periodic';
import type { ReconciliationStore, RunCompletionRepair, SendQueue, StatusProgressSource } from '../domain/ports.ts';
import { queueMessages } from '../domain/queue-messages.ts';
import type { DispatcherMetrics } from './dispatcher-metrics.ts';

/**
 * The periodic pass that repairs what a crash can leave behind, safe to run on every replica at once:
 * - unknown outcomes: a SENDING message whose lease ran out is queued again (the claim decides who
 *   sends it), but only once every status notification published before the lease ran out has been
 *   applied, so a webhook still sitting in the stream is never overtaken by a resend;
 * - unknown outcomes out of attempts become FAILED and dead-lettered, under the same wait;
 * - dead letters and run completions written but not yet published are published;
 * - messages held by a send window that has opened are queued again (their batch may otherwise wait
 *   in JetStream for a redelivery delay computed hours earlier);
 * - old rate-limit slots are removed, and so are leases none of whose messages is SENDING under them.
 * Passes run through the platform's periodic helper: one at a time, the interval jittered, failures
 * logged and counted.
 */
/** How long after a send window opened its waiting messages are queued again if nothing claimed them. */
const windowReleaseGraceMs = 60_000;
/** No second re-queue after a reconnect within this long, across replicas. */
const reconnectPassGapMs = 30_000;

export function createReconciliationSweeper(options: {
  store: ReconciliationStore;
  runs: RunCompletionRepair;
  queue: SendQueue;
  publisher: EventPublisher;
  statusProgress: StatusProgressSource;
  clock: Clock;
  logger: Logger;
  registry?: Registry;
  metrics: DispatcherMetrics;
  intervalMs: number;
  maxAttempts: number;
  sendBatchSize: number;
  rateSlotMs: number;
}) {
  const { store, clock } = options;
  const log = options.logger.child({ component: 'reconciliation' });
  let previous: { at: Date; lastSeq: number } | undefined;
  let task: PeriodicTask | undefined;
  let stopped = false;

  const queueAgain = (
    messages: Array<{ id: string; runId: string }>,
    keyOf: (first: { id: string }, count: number) => string,
  ) => queueMessages(options.queue, messages, options.sendBatchSize, keyOf);

  async function resendUnknown() {
    const progress = await options.statusProgress.read();
    const now = clock.now();
    const before = previous;
    previous = { at: now, lastSeq: progress.lastSeq };
    if (!before || !(progress.idle || progress.ackFloor >= before.lastSeq)) return;
    const exhausted = await store.failExhaustedUnknown({ before: before.at, maxAttempts: options.maxAttempts });
    await options.runs.settle(exhausted);
    const expired = await store.expiredUnknown({ before: before.at, maxAttempts: options.maxAttempts, limit: 5_000 });
    if (expired.length === 0) return;
    const attemptsOf = new Map(expired.map((message) => [message.id, message.attempts]));
    await queueAgain(expired, (first, count) => `reconcile:${first.id}:${attemptsOf.get(first.id)}:${count}`);
    log.warn({ messages: expired.length }, 'no status arrived for messages of unknown outcome; queued them again');
  }

  async function publishDeadLetters() {
    const letters = await store.pendingDeadLetters(1_000);
    if (letters.length === 0) return;
    await options.publisher.publishAll(
      messageDeadLettered,
      letters.map((letter) => ({
        payload: {
          messageId: letter.messageId,
          runId: letter.runId,
          attempts: letter.attempts,
          error: { code: letter.code, message: letter.message },
          deadLetteredAt: letter.failedAt.toISOString(),
        },
        msgId: `dead-letter:${letter.messageId}`,
      })),
    );
    await store.clearDeadLetters(letters.map((letter) => letter.messageId));
    options.metrics.deadLettered(letters.length);
  }

  async function releaseOpenedWindows() {
    // The held batch's own redelivery, due at the opening, gets the first chance; this catches the rest.
    const opened = await store.openedWindows({
      now: new Date(clock.now().getTime() - windowReleaseGraceMs),
      limit: 5_000,
    });
    if (opened.length === 0) return;
    const dueAtOf = new Map(opened.map((message) => [message.id, message.dueAt.getTime()]));
    await queueAgain(opened, (first, count) => `window:${first.id}:${dueAtOf.get(first.id)}:${count}`);
    log.info({ messages: opened.length }, 'send windows opened; queued their waiting messages');
  }

  async function sweep() {
    await resendUnknown();
    await releaseOpenedWindows();
    await publishDeadLetters();
    await options.runs.publishLeftovers();
    await store.pruneRateSlots({ slotMs: options.rateSlotMs, olderThanMs: 60_000 });
    await store.pruneLeases();
  }

  /**
   * After a crash, send batches the dead process had pulled stay with JetStream until their ack wait
   * runs out. At start-up every PENDING message of an open run is queued once more (under msgIds of
   * this pass); the claim makes sure each is still sent once, whichever batch gets it.
   */
  async function recoverPending(instanceId: string, after = 'start-up', stopping: () => boolean = () => stopped) {
    let afterId: string | undefined;
    let total = 0;
    while (!stopping()) {
      const page = await store.pendingOfOpenRuns({ afterId, limit: 10_000 });
      if (page.length === 0) break;
      await queueAgain(page, (first, count) => `recover:${instanceId}:${first.id}:${count}`);
      total += page.length;
      afterId = page.at(-1)!.id;
    }
    if (total > 0) log.info({ messages: total }, `queued pending messages of open runs again after ${after}`);
  }

  /**
   * The same after a NATS reconnect, which can swallow the batches JetStream had just handed over and
   * the naks written before the client noticed. Every replica sees the reconnect; one of them, at most
   * once per gap, queues the messages again, so a NATS cluster restarted node by node does not copy
   * a large run's whole queue once per replica and node.
   */
  async function recoverAfterReconnect(instanceId: string, stopping: () => boolean) {
    if (!(await store.claimRecoveryPass('nats-reconnect', reconnectPassGapMs))) return;
    await recoverPending(instanceId, 'a NATS reconnect', () => stopped || stopping());
  }

  return {
    /** Passes every SWEEP_INTERVAL_MS, the first one an interval from now. */
    start() {
      if (stopped || task) return;
      task = startPeriodic({
        name: 'dispatcher-reconciliation',
        intervalMs: options.intervalMs,
        runAtStart: false,
        logger: log,
        registry: options.registry,
        pass: sweep,
      });
    },
    recoverPending,
    recoverAfterReconnect,
    /** One pass now (tests and start-up). */
    sweep,
    async stop() {
      stopped = true;
      await task?.stop();
    },
  };
}
