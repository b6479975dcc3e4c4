// Original file: proto/ektola/v1/callback.proto


export interface CreateWebhookEndpointRequest {
  'url'?: (string);
  'events'?: (string)[];
  'description'?: (string);
}

export interface CreateWebhookEndpointRequest__Output {
  'url': (string);
  'events': (string)[];
  'description': (string);
}
