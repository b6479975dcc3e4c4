// Original file: proto/ektola/v1/dispatch.proto


export interface Reply {
  'id'?: (string);
  'phone'?: (string);
  'type'?: (string);
  'text'?: (string);
  'payload'?: (string);
  'contextWamid'?: (string);
  'messageId'?: (string);
  'runId'?: (string);
  'campaignId'?: (string);
  'contactId'?: (string);
  'profileName'?: (string);
  'receivedAt'?: (string);
}

export interface Reply__Output {
  'id': (string);
  'phone': (string);
  'type': (string);
  'text': (string);
  'payload': (string);
  'contextWamid': (string);
  'messageId': (string);
  'runId': (string);
  'campaignId': (string);
  'contactId': (string);
  'profileName': (string);
  'receivedAt': (string);
}
