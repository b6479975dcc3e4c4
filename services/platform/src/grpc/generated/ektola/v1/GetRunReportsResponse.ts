// Original file: proto/ektola/v1/dispatch.proto

import type { RunReport as _ektola_v1_RunReport, RunReport__Output as _ektola_v1_RunReport__Output } from '../../ektola/v1/RunReport.ts';

export interface GetRunReportsResponse {
  'reports'?: (_ektola_v1_RunReport)[];
}

export interface GetRunReportsResponse__Output {
  'reports': (_ektola_v1_RunReport__Output)[];
}
