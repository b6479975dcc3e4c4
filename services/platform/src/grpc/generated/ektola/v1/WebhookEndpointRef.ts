// Original file: proto/ektola/v1/callback.proto


export interface WebhookEndpointRef {
  'id'?: (string);
}

export interface WebhookEndpointRef__Output {
  'id': (string);
}
