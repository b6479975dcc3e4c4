import type { JetStreamClient } from '@nats-io/jetstream';
import { whatsappStatus, whatsappStatusBatch, type PayloadOf } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import type { Registry } from '@ektola/platform/metrics';
import { acknowledge, reject, retryLater, startConsumer } from '@ektola/platform/nats';
import type { RetryMarketingLimited } from '../domain/marketing-limit.ts';
import { statusOfWebhook } from '../domain/message-status.ts';
import { marketingLimitCode } from '../domain/meta-errors.ts';
import type { RunCompletion, StatusStore, StatusUpdate } from '../domain/ports.ts';
import type { DispatcherMetrics } from './dispatcher-metrics.ts';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type WebhookStatus = PayloadOf<typeof whatsappStatus>;

const updateOf = (payload: WebhookStatus): StatusUpdate => {
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
};

/** Consecutive runs of items whose statuses add up to at most `limit` (an item above it goes alone), in order. */
function statementsOf<T>(items: readonly T[], sizeOf: (item: T) => number, limit: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const item of items) {
    if (current.length > 0 && size + sizeOf(item) > limit) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += sizeOf(item);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * whatsapp.status → message statuses, up to `batchSize` statuses per statement. Version 2 carries the
 * statuses of one webhook delivery together; version 1, one status (from a webhook-service of before).
 * A message is acknowledged once every status it carries was applied; one whose statuses include one
 * whose message cannot be found yet (its SENT not written) goes back with backoff, whole (applying its
 * other statuses again changes nothing); after STATUS_MAX_DELIVERIES it is dropped and each status
 * still unmatched is counted: it belongs to a message this dispatcher never sent.
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
    events: [whatsappStatus, whatsappStatusBatch],
    logger: options.logger,
    registry: options.registry,
    // One batch at a time: batches lock rows in id order, and one writer keeps status order per message.
    concurrency: 1,
    retryBaseMs: 1_000,
    // A JetStream message of version 2 carries a webhook delivery's statuses (tens of them), so a pull of
    // batchSize messages would hold far more statuses than one statement should; a tenth of it, in
    // statements of at most batchSize statuses.
    batch: { maxSize: Math.max(1, Math.ceil(options.batchSize / 10)), maxWaitMs: options.batchWaitMs },
    async handleBatch(items) {
      const received = items.map((item) => ({
        delivery: item.delivery,
        statuses: 'statuses' in item.payload ? item.payload.statuses : [item.payload],
      }));
      const unmatched = received.map(() => [] as WebhookStatus[]);
      const runIds = new Set<string>();
      for (const statement of statementsOf(
        received.map((item, index) => ({ ...item, index })),
        (item) => item.statuses.length,
        options.batchSize,
      )) {
        const statuses = statement.flatMap((item) => item.statuses);
        const applied = await options.store.apply(statuses.map(updateOf));
        for (const [status, count] of Object.entries(applied.moved)) options.metrics.transitioned(status, count);
        for (const runId of applied.runIds) runIds.add(runId);
        let position = 0;
        for (const item of statement)
          for (const status of item.statuses) if (!applied.found[position++]) unmatched[item.index]!.push(status);
      }
      // Before settling, so a run whose last message waits on the marketing-limit schedule stays open.
      const limited = received.flatMap(({ statuses }) =>
        statuses.filter((status) => status.status === 'failed' && status.errors[0]?.code === marketingLimitCode),
      );
      if (limited.length > 0) await options.marketingLimit({ wamids: limited.map((status) => status.wamid) }, true);
      await options.runs.settle([...runIds]);
      return received.map(({ delivery }, index) => {
        const missing = unmatched[index]!;
        if (missing.length === 0) return acknowledge;
        if (delivery.deliveryCount >= options.maxDeliveries) {
          for (const status of missing) {
            options.metrics.unmatchedStatus();
            log.warn(
              { wamid: status.wamid, status: status.status, deliveries: delivery.deliveryCount },
              'no message carries this status; dropped',
            );
          }
          return reject('no message of ours carries this wamid');
        }
        return retryLater('the message for this status is not recorded yet');
      });
    },
  });
}
