// Original file: proto/ektola/v1/dispatch.proto


export interface ConversationEntry {
  'direction'?: (string);
  'id'?: (string);
  'at'?: (string);
  'runId'?: (string);
  'campaignId'?: (string);
  'templateName'?: (string);
  'status'?: (string);
  'wamid'?: (string);
  'sentAt'?: (string);
  'deliveredAt'?: (string);
  'readAt'?: (string);
  'failedAt'?: (string);
  'repliedAt'?: (string);
  'type'?: (string);
  'text'?: (string);
  'payload'?: (string);
  'inReplyTo'?: (string);
}

export interface ConversationEntry__Output {
  'direction': (string);
  'id': (string);
  'at': (string);
  'runId': (string);
  'campaignId': (string);
  'templateName': (string);
  'status': (string);
  'wamid': (string);
  'sentAt': (string);
  'deliveredAt': (string);
  'readAt': (string);
  'failedAt': (string);
  'repliedAt': (string);
  'type': (string);
  'text': (string);
  'payload': (string);
  'inReplyTo': (string);
}
