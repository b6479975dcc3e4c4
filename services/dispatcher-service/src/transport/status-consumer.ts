import type { JetStreamClient } from '@nats-io/jetstream';
import { whatsappStatus } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import type { Registry } from '@ektola/platform/metrics';
import { acknowledge, reject, retryLater, startConsumer } from '@ektola/platform/nats';
import type { RetryMarketingLimited } from '../domain/marketing-limit.ts';
import { statusOfWebhook } from '../domain/message-status.ts';
import { marketingLimitCode } from '../domain/meta-errors.ts';
import type { RunCompletion, StatusStore } from '../domain/ports.ts';
import type { DispatcherMetrics } from './dispatcher-metrics.ts';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * whatsapp.status → message statuses, a batch per statement. A status whose message cannot be found
 * yet (its SENT not written) goes back with backoff; after STATUS_MAX_DELIVERIES it is dropped and
 * counted: it belongs to a message this dispatcher never sent.
 */
export function startStatusConsumer(options: {
  js: JetStreamClient;
  namespace: string;
  logger: Logger;
  registry: Registry;
  store: StatusStore;
  runs: RunCompletion;
  /** Moves messages a failed status refused with 131049 back to PENDING on the marketing-limit schedule. */
  marketingLimit: RetryMarketingLimited;
  metrics: DispatcherMetrics;
  batchSize: number;
  batchWaitMs: number;
  maxDeliveries: number;
}) {
  const log = options.logger.child({ consumer: 'dispatcher-status' });
  return startConsumer({
    js: options.js,
    namespace: options.namespace,
    durable: 'dispatcher-status',
    events: [whatsappStatus],
    logger: options.logger,
    registry: options.registry,
    // One batch at a time: batches lock rows in id order, and one writer keeps status order per message.
    concurrency: 1,
    retryBaseMs: 1_000,
    batch: { maxSize: options.batchSize, maxWaitMs: options.batchWaitMs },
    async handleBatch(items) {
      const { found, runIds, moved } = await options.store.apply(
        items.map(({ payload }) => {
          const error = payload.errors[0];
          return {
            wamid: payload.wamid,
            messageId:
              payload.bizOpaqueCallbackData && uuid.test(payload.bizOpaqueCallbackData)
                ? payload.bizOpaqueCallbackData
                : undefined,
            status: statusOfWebhook[payload.status],
            occurredAt: payload.occurredAt,
            errorCode: error?.code,
            errorMessage: error ? [error.title ?? error.message, error.details].filter(Boolean).join(': ') : undefined,
            errorTitle: error ? (error.title ?? error.message) : undefined,
            pricing: payload.pricing,
          };
        }),
      );
      for (const [status, count] of Object.entries(moved)) options.metrics.transitioned(status, count);
      // Before settling, so a run whose last message waits on the marketing-limit schedule stays open.
      const limited = items.filter(
        ({ payload }) => payload.status === 'failed' && payload.errors[0]?.code === marketingLimitCode,
      );
      if (limited.length > 0)
        await options.marketingLimit({ wamids: limited.map(({ payload }) => payload.wamid) }, true);
      await options.runs.settle(runIds);
      return items.map(({ payload, delivery }, index) => {
        if (found[index]) return acknowledge;
        if (delivery.deliveryCount >= options.maxDeliveries) {
          options.metrics.unmatchedStatus();
          log.warn(
            { wamid: payload.wamid, status: payload.status, deliveries: delivery.deliveryCount },
            'no message carries this status; dropped',
          );
          return reject('no message of ours carries this wamid');
        }
        return retryLater('the message for this status is not recorded yet');
      });
    },
  });
}
