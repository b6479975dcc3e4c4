// Original file: proto/ektola/v1/dispatch.proto


export interface SendingAlert {
  'kind'?: (string);
  'message'?: (string);
}

export interface SendingAlert__Output {
  'kind': (string);
  'message': (string);
}
