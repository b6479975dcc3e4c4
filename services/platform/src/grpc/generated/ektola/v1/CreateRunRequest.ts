// Original file: proto/ektola/v1/campaign.proto


export interface CreateRunRequest {
  'campaignId'?: (string);
  'periodKey'?: (string);
  'scheduledFor'?: (string);
}

export interface CreateRunRequest__Output {
  'campaignId': (string);
  'periodKey': (string);
  'scheduledFor': (string);
}
