// Original file: proto/ektola/v1/campaign.proto


export interface GetTemplateRequest {
  'id'?: (string);
}

export interface GetTemplateRequest__Output {
  'id': (string);
}
