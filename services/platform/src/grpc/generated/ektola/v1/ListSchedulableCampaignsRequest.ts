// Original file: proto/ektola/v1/campaign.proto


export interface ListSchedulableCampaignsRequest {
  'pageSize'?: (number);
  'pageToken'?: (string);
}

export interface ListSchedulableCampaignsRequest__Output {
  'pageSize': (number);
  'pageToken': (string);
}
