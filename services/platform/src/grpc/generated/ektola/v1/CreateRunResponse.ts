// Original file: proto/ektola/v1/campaign.proto

import type { Run as _ektola_v1_Run, Run__Output as _ektola_v1_Run__Output } from '../../ektola/v1/Run.ts';

export interface CreateRunResponse {
  'run'?: (_ektola_v1_Run | null);
  'created'?: (boolean);
}

export interface CreateRunResponse__Output {
  'run': (_ektola_v1_Run__Output | null);
  'created': (boolean);
}
