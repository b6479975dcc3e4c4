// Original file: proto/ektola/v1/dispatch.proto


export interface GetMessageRequest {
  'id'?: (string);
}

export interface GetMessageRequest__Output {
  'id': (string);
}
