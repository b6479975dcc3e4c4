// Original file: proto/ektola/v1/callback.proto

import type { WebhookDelivery as _ektola_v1_WebhookDelivery, WebhookDelivery__Output as _ektola_v1_WebhookDelivery__Output } from '../../ektola/v1/WebhookDelivery.ts';

export interface ListWebhookDeliveriesResponse {
  'deliveries'?: (_ektola_v1_WebhookDelivery)[];
  'nextCursor'?: (string);
}

export interface ListWebhookDeliveriesResponse__Output {
  'deliveries': (_ektola_v1_WebhookDelivery__Output)[];
  'nextCursor': (string);
}
