// Original file: proto/ektola/v1/dispatch.proto


export interface GetSenderActivityRequest {
  'phoneNumberIds'?: (string)[];
}

export interface GetSenderActivityRequest__Output {
  'phoneNumberIds': (string)[];
}
