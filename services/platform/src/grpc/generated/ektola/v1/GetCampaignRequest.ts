// Original file: proto/ektola/v1/campaign.proto


export interface GetCampaignRequest {
  'id'?: (string);
}

export interface GetCampaignRequest__Output {
  'id': (string);
}
