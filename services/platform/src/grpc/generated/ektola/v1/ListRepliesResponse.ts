// Original file: proto/ektola/v1/dispatch.proto

import type { Reply as _ektola_v1_Reply, Reply__Output as _ektola_v1_Reply__Output } from '../../ektola/v1/Reply.ts';

export interface ListRepliesResponse {
  'replies'?: (_ektola_v1_Reply)[];
  'nextPageToken'?: (string);
}

export interface ListRepliesResponse__Output {
  'replies': (_ektola_v1_Reply__Output)[];
  'nextPageToken': (string);
}
