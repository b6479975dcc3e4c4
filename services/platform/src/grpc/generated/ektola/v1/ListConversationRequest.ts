// Original file: proto/ektola/v1/dispatch.proto


export interface ListConversationRequest {
  'contactId'?: (string);
  'phone'?: (string);
  'pageSize'?: (number);
  'pageToken'?: (string);
}

export interface ListConversationRequest__Output {
  'contactId': (string);
  'phone': (string);
  'pageSize': (number);
  'pageToken': (string);
}
