// Original file: proto/ektola/v1/dispatch.proto


export interface RunRecipientBatch {
  'contactIds'?: (string)[];
}

export interface RunRecipientBatch__Output {
  'contactIds': (string)[];
}
