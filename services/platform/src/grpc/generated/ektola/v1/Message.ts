// Original file: proto/ektola/v1/dispatch.proto


export interface Message {
  'id'?: (string);
  'runId'?: (string);
  'campaignId'?: (string);
  'contactId'?: (string);
  'phone'?: (string);
  'status'?: (string);
  'wamid'?: (string);
  'errorCode'?: (number);
  'errorMessage'?: (string);
  'attempts'?: (number);
  'createdAt'?: (string);
  'updatedAt'?: (string);
  'sentAt'?: (string);
  'deliveredAt'?: (string);
  'readAt'?: (string);
  'failedAt'?: (string);
  'skipReason'?: (string);
  'skippedAt'?: (string);
  'errorTitle'?: (string);
  'category'?: (string);
  'billable'?: (boolean);
  'pricingModel'?: (string);
  'waitingReason'?: (string);
  'nextAttemptAt'?: (string);
}

export interface Message__Output {
  'id': (string);
  'runId': (string);
  'campaignId': (string);
  'contactId': (string);
  'phone': (string);
  'status': (string);
  'wamid': (string);
  'errorCode': (number);
  'errorMessage': (string);
  'attempts': (number);
  'createdAt': (string);
  'updatedAt': (string);
  'sentAt': (string);
  'deliveredAt': (string);
  'readAt': (string);
  'failedAt': (string);
  'skipReason': (string);
  'skippedAt': (string);
  'errorTitle': (string);
  'category': (string);
  'billable': (boolean);
  'pricingModel': (string);
  'waitingReason': (string);
  'nextAttemptAt': (string);
}
