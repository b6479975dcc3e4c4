// Original file: proto/ektola/v1/callback.proto

import type { WebhookEndpoint as _ektola_v1_WebhookEndpoint, WebhookEndpoint__Output as _ektola_v1_WebhookEndpoint__Output } from '../../ektola/v1/WebhookEndpoint.ts';

export interface WebhookEndpointWithSecret {
  'endpoint'?: (_ektola_v1_WebhookEndpoint | null);
  'secret'?: (string);
}

export interface WebhookEndpointWithSecret__Output {
  'endpoint': (_ektola_v1_WebhookEndpoint__Output | null);
  'secret': (string);
}
