// Original file: proto/ektola/v1/dispatch.proto


export interface ErrorCount {
  'code'?: (number);
  'title'?: (string);
  'count'?: (number);
}

export interface ErrorCount__Output {
  'code': (number);
  'title': (string);
  'count': (number);
}
