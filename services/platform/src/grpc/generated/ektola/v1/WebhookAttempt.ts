// Original file: proto/ektola/v1/callback.proto


export interface WebhookAttempt {
  'attemptedAt'?: (string);
  'httpStatus'?: (number);
  'latencyMs'?: (number);
  'error'?: (string);
}

export interface WebhookAttempt__Output {
  'attemptedAt': (string);
  'httpStatus': (number);
  'latencyMs': (number);
  'error': (string);
}
