// Original file: proto/ektola/v1/dispatch.proto

import type { StreamRunRecipientsRequest as _ektola_v1_StreamRunRecipientsRequest, StreamRunRecipientsRequest__Output as _ektola_v1_StreamRunRecipientsRequest__Output } from '../../ektola/v1/StreamRunRecipientsRequest.ts';

export interface StreamRepliedRecipientsRequest {
  'recipients'?: (_ektola_v1_StreamRunRecipientsRequest | null);
  'replied'?: (boolean);
}

export interface StreamRepliedRecipientsRequest__Output {
  'recipients': (_ektola_v1_StreamRunRecipientsRequest__Output | null);
  'replied': (boolean);
}
