// Original file: proto/ektola/v1/dispatch.proto

import type { RunReplyReport as _ektola_v1_RunReplyReport, RunReplyReport__Output as _ektola_v1_RunReplyReport__Output } from '../../ektola/v1/RunReplyReport.ts';

export interface GetRunReplyReportsResponse {
  'reports'?: (_ektola_v1_RunReplyReport)[];
}

export interface GetRunReplyReportsResponse__Output {
  'reports': (_ektola_v1_RunReplyReport__Output)[];
}
