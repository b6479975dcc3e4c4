// Original file: proto/ektola/v1/callback.proto

import type { WebhookEndpoint as _ektola_v1_WebhookEndpoint, WebhookEndpoint__Output as _ektola_v1_WebhookEndpoint__Output } from '../../ektola/v1/WebhookEndpoint.ts';

export interface ListWebhookEndpointsResponse {
  'endpoints'?: (_ektola_v1_WebhookEndpoint)[];
  'nextCursor'?: (string);
}

export interface ListWebhookEndpointsResponse__Output {
  'endpoints': (_ektola_v1_WebhookEndpoint__Output)[];
  'nextCursor': (string);
}
