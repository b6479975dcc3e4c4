// Original file: proto/ektola/v1/dispatch.proto

import type { ButtonCount as _ektola_v1_ButtonCount, ButtonCount__Output as _ektola_v1_ButtonCount__Output } from '../../ektola/v1/ButtonCount.ts';

export interface RunReplyReport {
  'runId'?: (string);
  'replied'?: (number);
  'byButton'?: (_ektola_v1_ButtonCount)[];
}

export interface RunReplyReport__Output {
  'runId': (string);
  'replied': (number);
  'byButton': (_ektola_v1_ButtonCount__Output)[];
}
