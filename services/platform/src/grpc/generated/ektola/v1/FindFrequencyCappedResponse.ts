// Original file: proto/ektola/v1/dispatch.proto


export interface FindFrequencyCappedResponse {
  'contactIds'?: (string)[];
}

export interface FindFrequencyCappedResponse__Output {
  'contactIds': (string)[];
}
