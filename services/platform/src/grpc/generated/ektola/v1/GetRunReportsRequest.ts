// Original file: proto/ektola/v1/dispatch.proto


export interface GetRunReportsRequest {
  'runIds'?: (string)[];
}

export interface GetRunReportsRequest__Output {
  'runIds': (string)[];
}
