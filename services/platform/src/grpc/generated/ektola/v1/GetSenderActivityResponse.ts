// Original file: proto/ektola/v1/dispatch.proto

import type { SenderActivity as _ektola_v1_SenderActivity, SenderActivity__Output as _ektola_v1_SenderActivity__Output } from '../../ektola/v1/SenderActivity.ts';

export interface GetSenderActivityResponse {
  'senders'?: (_ektola_v1_SenderActivity)[];
}

export interface GetSenderActivityResponse__Output {
  'senders': (_ektola_v1_SenderActivity__Output)[];
}
