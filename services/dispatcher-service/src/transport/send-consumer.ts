import type { JetStreamClient } from '@nats-io/jetstream';
import { dispatchBatch } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import type { Registry } from '@ektola/platform/metrics';
import { acknowledge, retryLater, startConsumer, type RunningConsumer } from '@ektola/platform/nats';
import type { BatchOutcome } from '../domain/batch-sender.ts';
import type { CloudApiCircuit } from '../domain/ports.ts';
import type { FanOutFirst } from './fan-out-first.ts';

/**
 * dispatch.batch → sends. While the circuit breaker is open every handler waits before claiming
 * anything, so all consumer slots fill and the loop pulls no more send work; half-open lets them
 * through and the first call is the breaker's probe. (Stopping the consumer instead would strand the
 * batches already routed to its outstanding pull request until their ack wait ran out.) Stopping ends
 * the wait, so the waiting handlers hand their batches back. While this replica fans out a run, fewer
 * handlers send at once (`fanOutFirst`); the others wait their turn with their batches kept alive, and
 * those whose turn comes after a stop began hand them back unclaimed.
 */
export function startSendConsumer(options: {
  js: JetStreamClient;
  namespace: string;
  logger: Logger;
  registry: Registry;
  concurrency: number;
  circuit: CloudApiCircuit;
  fanOutFirst: FanOutFirst;
  sendBatch: (runId: string, messageIds: readonly string[]) => Promise<BatchOutcome>;
}): RunningConsumer {
  const stopping = new AbortController();
  const consumer = startConsumer({
    js: options.js,
    namespace: options.namespace,
    durable: 'dispatcher-send',
    events: [dispatchBatch],
    logger: options.logger,
    registry: options.registry,
    concurrency: options.concurrency,
    async handle({ payload }) {
      const outcome = await sendInTurn(options, stopping.signal, payload.runId, payload.messageIds);
      return outcome.kind === 'done' ? acknowledge : retryLater(outcome.reason, outcome.delayMs);
    },
  });
  return {
    async stop() {
      stopping.abort();
      await consumer.stop();
    },
  };
}

const stoppedBeforeItsTurn: BatchOutcome = { kind: 'later', delayMs: 0, reason: 'the dispatcher is stopping' };

/**
 * One batch's send once it has room. A batch whose turn comes after the consumer began stopping (it
 * waited behind a fan-out) is handed back unclaimed for another replica, rather than started while the
 * process shuts down.
 */
export function sendInTurn(
  options: Pick<Parameters<typeof startSendConsumer>[0], 'fanOutFirst' | 'circuit' | 'sendBatch'>,
  stopping: AbortSignal,
  runId: string,
  messageIds: readonly string[],
): Promise<BatchOutcome> {
  return options.fanOutFirst.send(async () => {
    if (stopping.aborted) return stoppedBeforeItsTurn;
    await options.circuit.untilSendable(stopping);
    return options.sendBatch(runId, messageIds);
  });
}
