// Original file: proto/ektola/v1/dispatch.proto

import type { MinuteCount as _ektola_v1_MinuteCount, MinuteCount__Output as _ektola_v1_MinuteCount__Output } from '../../ektola/v1/MinuteCount.ts';

export interface RunSendsPerMinute {
  'minutes'?: (_ektola_v1_MinuteCount)[];
}

export interface RunSendsPerMinute__Output {
  'minutes': (_ektola_v1_MinuteCount__Output)[];
}
