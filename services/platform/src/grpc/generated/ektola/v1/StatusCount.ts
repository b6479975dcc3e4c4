// Original file: proto/ektola/v1/dispatch.proto


export interface StatusCount {
  'status'?: (string);
  'count'?: (number);
}

export interface StatusCount__Output {
  'status': (string);
  'count': (number);
}
