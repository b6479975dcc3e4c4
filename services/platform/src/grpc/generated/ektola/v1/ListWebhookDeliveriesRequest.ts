// Original file: proto/ektola/v1/callback.proto


export interface ListWebhookDeliveriesRequest {
  'endpointId'?: (string);
  'status'?: (string);
  'limit'?: (number);
  'afterId'?: (string);
}

export interface ListWebhookDeliveriesRequest__Output {
  'endpointId': (string);
  'status': (string);
  'limit': (number);
  'afterId': (string);
}
