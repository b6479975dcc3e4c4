// Original file: proto/ektola/v1/campaign.proto


export interface StreamAudienceRequest {
  'runId'?: (string);
  'batchSize'?: (number);
  'afterContactId'?: (string);
}

export interface StreamAudienceRequest__Output {
  'runId': (string);
  'batchSize': (number);
  'afterContactId': (string);
}
