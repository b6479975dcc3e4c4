// Original file: proto/ektola/v1/dispatch.proto

import type { StatusCount as _ektola_v1_StatusCount, StatusCount__Output as _ektola_v1_StatusCount__Output } from '../../ektola/v1/StatusCount.ts';
import type { MinuteCount as _ektola_v1_MinuteCount, MinuteCount__Output as _ektola_v1_MinuteCount__Output } from '../../ektola/v1/MinuteCount.ts';
import type { SendingAlert as _ektola_v1_SendingAlert, SendingAlert__Output as _ektola_v1_SendingAlert__Output } from '../../ektola/v1/SendingAlert.ts';

export interface SendingOverview {
  'messagesLastDay'?: (_ektola_v1_StatusCount)[];
  'sendsPerMinute'?: (_ektola_v1_MinuteCount)[];
  'alerts'?: (_ektola_v1_SendingAlert)[];
}

export interface SendingOverview__Output {
  'messagesLastDay': (_ektola_v1_StatusCount__Output)[];
  'sendsPerMinute': (_ektola_v1_MinuteCount__Output)[];
  'alerts': (_ektola_v1_SendingAlert__Output)[];
}
