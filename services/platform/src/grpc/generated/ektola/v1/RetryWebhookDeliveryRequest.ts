// Original file: proto/ektola/v1/callback.proto


export interface RetryWebhookDeliveryRequest {
  'endpointId'?: (string);
  'deliveryId'?: (string);
}

export interface RetryWebhookDeliveryRequest__Output {
  'endpointId': (string);
  'deliveryId': (string);
}
