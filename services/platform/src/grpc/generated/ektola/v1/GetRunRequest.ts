// Original file: proto/ektola/v1/campaign.proto


export interface GetRunRequest {
  'id'?: (string);
}

export interface GetRunRequest__Output {
  'id': (string);
}
