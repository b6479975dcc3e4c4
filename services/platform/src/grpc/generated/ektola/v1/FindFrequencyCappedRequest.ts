// Original file: proto/ektola/v1/dispatch.proto


export interface FindFrequencyCappedRequest {
  'contactIds'?: (string)[];
  'maxMessages'?: (number);
  'windowSeconds'?: (number);
}

export interface FindFrequencyCappedRequest__Output {
  'contactIds': (string)[];
  'maxMessages': (number);
  'windowSeconds': (number);
}
