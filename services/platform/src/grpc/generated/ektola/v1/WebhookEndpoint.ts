// Original file: proto/ektola/v1/callback.proto


export interface WebhookEndpoint {
  'id'?: (string);
  'url'?: (string);
  'description'?: (string);
  'events'?: (string)[];
  'enabled'?: (boolean);
  'disabledReason'?: (string);
  'createdAt'?: (string);
  'updatedAt'?: (string);
  'previousSecretExpiresAt'?: (string);
}

export interface WebhookEndpoint__Output {
  'id': (string);
  'url': (string);
  'description': (string);
  'events': (string)[];
  'enabled': (boolean);
  'disabledReason': (string);
  'createdAt': (string);
  'updatedAt': (string);
  'previousSecretExpiresAt': (string);
}
