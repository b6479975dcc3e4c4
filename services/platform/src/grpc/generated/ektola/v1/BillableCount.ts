// Original file: proto/ektola/v1/dispatch.proto


export interface BillableCount {
  'category'?: (string);
  'callingCode'?: (string);
  'count'?: (number);
}

export interface BillableCount__Output {
  'category': (string);
  'callingCode': (string);
  'count': (number);
}
