// Original file: proto/ektola/v1/campaign.proto

import type { SkippedPeriod as _ektola_v1_SkippedPeriod, SkippedPeriod__Output as _ektola_v1_SkippedPeriod__Output } from '../../ektola/v1/SkippedPeriod.ts';

export interface RecordSchedulerRunRequest {
  'startedAt'?: (string);
  'finishedAt'?: (string);
  'campaignsSeen'?: (number);
  'runsCreated'?: (number);
  'runsExisting'?: (number);
  'skipped'?: (number);
  'errors'?: (number);
  'skippedPeriods'?: (_ektola_v1_SkippedPeriod)[];
}

export interface RecordSchedulerRunRequest__Output {
  'startedAt': (string);
  'finishedAt': (string);
  'campaignsSeen': (number);
  'runsCreated': (number);
  'runsExisting': (number);
  'skipped': (number);
  'errors': (number);
  'skippedPeriods': (_ektola_v1_SkippedPeriod__Output)[];
}
