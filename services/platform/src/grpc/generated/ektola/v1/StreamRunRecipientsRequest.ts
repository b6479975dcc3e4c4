// Original file: proto/ektola/v1/dispatch.proto


export interface StreamRunRecipientsRequest {
  'runId'?: (string);
  'statuses'?: (string)[];
  'errorCodes'?: (number)[];
  'afterContactId'?: (string);
  'batchSize'?: (number);
}

export interface StreamRunRecipientsRequest__Output {
  'runId': (string);
  'statuses': (string)[];
  'errorCodes': (number)[];
  'afterContactId': (string);
  'batchSize': (number);
}
