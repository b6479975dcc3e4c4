// Original file: proto/ektola/v1/campaign.proto


export interface Run {
  'id'?: (string);
  'campaignId'?: (string);
  'templateId'?: (string);
  'periodKey'?: (string);
  'scheduledFor'?: (string);
  'status'?: (string);
  'createdAt'?: (string);
  'completedAt'?: (string);
}

export interface Run__Output {
  'id': (string);
  'campaignId': (string);
  'templateId': (string);
  'periodKey': (string);
  'scheduledFor': (string);
  'status': (string);
  'createdAt': (string);
  'completedAt': (string);
}
