// Original file: proto/ektola/v1/campaign.proto


export interface SkippedPeriod {
  'campaignId'?: (string);
  'periodKey'?: (string);
  'scheduledFor'?: (string);
  'reason'?: (string);
}

export interface SkippedPeriod__Output {
  'campaignId': (string);
  'periodKey': (string);
  'scheduledFor': (string);
  'reason': (string);
}
