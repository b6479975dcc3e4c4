// Original file: proto/ektola/v1/dispatch.proto

import type { Message as _ektola_v1_Message, Message__Output as _ektola_v1_Message__Output } from '../../ektola/v1/Message.ts';

export interface MessageBatch {
  'messages'?: (_ektola_v1_Message)[];
}

export interface MessageBatch__Output {
  'messages': (_ektola_v1_Message__Output)[];
}
