import type { JetStreamClient } from '@nats-io/jetstream';
import { dispatchBatch } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import type { Registry } from '@ektola/platform/metrics';
import { acknowledge, retryLater, startConsumer, type RunningConsumer } from '@ektola/platform/nats';
import type { BatchOutcome } from '../domain/batch-sender.ts';

/**
 * dispatch.batch → sends. Pausable: while the circuit breaker is open the consumer is stopped, so no
 * send work is pulled (and none times out in a buffer); half-open starts it again and the first call
 * through is the breaker's probe.
 */
export function createSendConsumer(options: {
  js: JetStreamClient;
  namespace: string;
  logger: Logger;
  registry: Registry;
  concurrency: number;
  sendBatch: (runId: string, messageIds: readonly string[]) => Promise<BatchOutcome>;
}) {
  const log = options.logger.child({ consumer: 'dispatcher-send' });
  let running: RunningConsumer | undefined;
  let stopped = false;
  const stopping = new Set<Promise<void>>();

  const start = () => {
    running = startConsumer({
      js: options.js,
      namespace: options.namespace,
      durable: 'dispatcher-send',
      events: [dispatchBatch],
      logger: options.logger,
      registry: options.registry,
      concurrency: options.concurrency,
      async handle({ payload }) {
        const outcome = await options.sendBatch(payload.runId, payload.messageIds);
        return outcome.kind === 'done' ? acknowledge : retryLater(outcome.reason, outcome.delayMs);
      },
    });
  };

  return {
    start() {
      if (!running && !stopped) start();
    },
    pause() {
      if (!running) return;
      const current = running;
      running = undefined;
      log.warn('pausing send work');
      const done = current.stop().finally(() => stopping.delete(done));
      stopping.add(done);
    },
    resume() {
      if (running || stopped) return;
      log.info('resuming send work');
      start();
    },
    async stop() {
      stopped = true;
      const current = running;
      running = undefined;
      await Promise.all([current?.stop(), ...stopping]);
    },
  };
}
