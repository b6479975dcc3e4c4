// Original file: proto/ektola/v1/dispatch.proto

import type { ConversationEntry as _ektola_v1_ConversationEntry, ConversationEntry__Output as _ektola_v1_ConversationEntry__Output } from '../../ektola/v1/ConversationEntry.ts';

export interface ListConversationResponse {
  'entries'?: (_ektola_v1_ConversationEntry)[];
  'nextPageToken'?: (string);
}

export interface ListConversationResponse__Output {
  'entries': (_ektola_v1_ConversationEntry__Output)[];
  'nextPageToken': (string);
}
