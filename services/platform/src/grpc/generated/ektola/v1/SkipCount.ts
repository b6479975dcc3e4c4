// Original file: proto/ektola/v1/dispatch.proto


export interface SkipCount {
  'reason'?: (string);
  'count'?: (number);
}

export interface SkipCount__Output {
  'reason': (string);
  'count': (number);
}
