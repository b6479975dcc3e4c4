// Original file: proto/ektola/v1/dispatch.proto


export interface ButtonCount {
  'payload'?: (string);
  'text'?: (string);
  'count'?: (number);
}

export interface ButtonCount__Output {
  'payload': (string);
  'text': (string);
  'count': (number);
}
