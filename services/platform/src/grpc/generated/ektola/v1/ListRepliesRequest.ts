// Original file: proto/ektola/v1/dispatch.proto


export interface ListRepliesRequest {
  'campaignId'?: (string);
  'since'?: (string);
  'pageSize'?: (number);
  'pageToken'?: (string);
}

export interface ListRepliesRequest__Output {
  'campaignId': (string);
  'since': (string);
  'pageSize': (number);
  'pageToken': (string);
}
