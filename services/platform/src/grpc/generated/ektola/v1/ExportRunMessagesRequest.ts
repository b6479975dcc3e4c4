// Original file: proto/ektola/v1/dispatch.proto


export interface ExportRunMessagesRequest {
  'runId'?: (string);
  'batchSize'?: (number);
}

export interface ExportRunMessagesRequest__Output {
  'runId': (string);
  'batchSize': (number);
}
