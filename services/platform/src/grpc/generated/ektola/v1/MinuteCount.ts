// Original file: proto/ektola/v1/dispatch.proto


export interface MinuteCount {
  'minute'?: (string);
  'count'?: (number);
}

export interface MinuteCount__Output {
  'minute': (string);
  'count': (number);
}
