// Original file: proto/ektola/v1/dispatch.proto


export interface ListMessagesRequest {
  'runId'?: (string);
  'status'?: (string);
  'pageSize'?: (number);
  'pageToken'?: (string);
  'errorCode'?: (number);
}

export interface ListMessagesRequest__Output {
  'runId': (string);
  'status': (string);
  'pageSize': (number);
  'pageToken': (string);
  'errorCode': (number);
}
