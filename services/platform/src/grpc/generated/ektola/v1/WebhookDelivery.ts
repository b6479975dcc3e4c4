// Original file: proto/ektola/v1/callback.proto

import type { WebhookAttempt as _ektola_v1_WebhookAttempt, WebhookAttempt__Output as _ektola_v1_WebhookAttempt__Output } from '../../ektola/v1/WebhookAttempt.ts';

export interface WebhookDelivery {
  'id'?: (string);
  'endpointId'?: (string);
  'eventId'?: (string);
  'eventType'?: (string);
  'status'?: (string);
  'createdAt'?: (string);
  'nextAttemptAt'?: (string);
  'completedAt'?: (string);
  'attempts'?: (_ektola_v1_WebhookAttempt)[];
}

export interface WebhookDelivery__Output {
  'id': (string);
  'endpointId': (string);
  'eventId': (string);
  'eventType': (string);
  'status': (string);
  'createdAt': (string);
  'nextAttemptAt': (string);
  'completedAt': (string);
  'attempts': (_ektola_v1_WebhookAttempt__Output)[];
}
