import { Counter, Histogram, type Registry } from '@ektola/platform/metrics';
import type { NotificationItemType, RejectedItem, RejectionReason } from '../domain/notification-events.ts';

export type RequestResult = 'ok' | 'bad_signature' | 'bad_payload' | 'unavailable' | 'too_large' | 'error';

export interface WebhookMetrics {
  request(result: RequestResult, seconds: number): void;
  items(counts: ReadonlyMap<NotificationItemType, number>): void;
  rejected(items: readonly RejectedItem[]): void;
}

const rejectionReasons: readonly RejectionReason[] = [
  'invalid_entry',
  'invalid_change',
  'invalid_status',
  'invalid_message',
  'invalid_contact',
  'invalid_account_error',
  'invalid_preference',
  'invalid_template_status',
  'invalid_number_update',
  'invalid_template_update',
];

export function createWebhookMetrics(registry: Registry): WebhookMetrics {
  const requests = new Counter({
    name: 'ektola_webhook_requests_total',
    help: 'Webhook deliveries from Meta by outcome',
    labelNames: ['result'],
    registers: [registry],
  });
  const events = new Counter({
    name: 'ektola_webhook_events_total',
    help: 'Items in acknowledged notifications by type, including the ones EkTola acknowledges without publishing',
    labelNames: ['type'],
    registers: [registry],
  });
  const rejectedItems = new Counter({
    name: 'ektola_webhook_items_rejected_total',
    help: 'Malformed items left out of acknowledged notifications (the rest applied), by reason',
    labelNames: ['reason'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'ektola_webhook_request_duration_seconds',
    help: 'Time from receiving a webhook delivery to answering it, acknowledgements included',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // Zero series from the start, so a rate() alert on bad signatures works before the first one arrives.
  for (const result of ['ok', 'bad_signature', 'bad_payload', 'unavailable', 'too_large'] as const)
    requests.inc({ result }, 0);
  for (const reason of rejectionReasons) rejectedItems.inc({ reason }, 0);
  return {
    request(result, seconds) {
      requests.inc({ result });
      duration.observe(seconds);
    },
    items(counts) {
      for (const [type, count] of counts) events.inc({ type }, count);
    },
    rejected(items) {
      for (const item of items) rejectedItems.inc({ reason: item.reason });
    },
  };
}

export function resultOfStatus(statusCode: number): RequestResult {
  switch (statusCode) {
    case 200:
      return 'ok';
    case 401:
      return 'bad_signature';
    case 400:
      return 'bad_payload';
    case 413:
      return 'too_large';
    case 503:
      return 'unavailable';
    default:
      return 'error';
  }
}
