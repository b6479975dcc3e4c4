// Original file: proto/ektola/v1/campaign.proto


export interface RecordSchedulerRunRequest {
  'startedAt'?: (string);
  'finishedAt'?: (string);
  'campaignsSeen'?: (number);
  'runsCreated'?: (number);
  'runsExisting'?: (number);
  'skipped'?: (number);
  'errors'?: (number);
}

export interface RecordSchedulerRunRequest__Output {
  'startedAt': (string);
  'finishedAt': (string);
  'campaignsSeen': (number);
  'runsCreated': (number);
  'runsExisting': (number);
  'skipped': (number);
  'errors': (number);
}
