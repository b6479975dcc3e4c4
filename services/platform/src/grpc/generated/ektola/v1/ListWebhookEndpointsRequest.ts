// Original file: proto/ektola/v1/callback.proto


export interface ListWebhookEndpointsRequest {
  'limit'?: (number);
  'afterId'?: (string);
}

export interface ListWebhookEndpointsRequest__Output {
  'limit': (number);
  'afterId': (string);
}
