// Original file: proto/ektola/v1/dispatch.proto


export interface GetRunStatsRequest {
  'runId'?: (string);
}

export interface GetRunStatsRequest__Output {
  'runId': (string);
}
