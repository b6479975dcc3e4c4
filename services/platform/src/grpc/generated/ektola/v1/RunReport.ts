// Original file: proto/ektola/v1/dispatch.proto

import type { SkipCount as _ektola_v1_SkipCount, SkipCount__Output as _ektola_v1_SkipCount__Output } from '../../ektola/v1/SkipCount.ts';
import type { ErrorCount as _ektola_v1_ErrorCount, ErrorCount__Output as _ektola_v1_ErrorCount__Output } from '../../ektola/v1/ErrorCount.ts';
import type { BillableCount as _ektola_v1_BillableCount, BillableCount__Output as _ektola_v1_BillableCount__Output } from '../../ektola/v1/BillableCount.ts';

export interface RunReport {
  'runId'?: (string);
  'total'?: (number);
  'pending'?: (number);
  'sending'?: (number);
  'sent'?: (number);
  'delivered'?: (number);
  'read'?: (number);
  'failed'?: (number);
  'skipped'?: (number);
  'reached'?: (number);
  'failedAfterSend'?: (number);
  'skippedByReason'?: (_ektola_v1_SkipCount)[];
  'errors'?: (_ektola_v1_ErrorCount)[];
  'billable'?: (number);
  'billableMessages'?: (_ektola_v1_BillableCount)[];
}

export interface RunReport__Output {
  'runId': (string);
  'total': (number);
  'pending': (number);
  'sending': (number);
  'sent': (number);
  'delivered': (number);
  'read': (number);
  'failed': (number);
  'skipped': (number);
  'reached': (number);
  'failedAfterSend': (number);
  'skippedByReason': (_ektola_v1_SkipCount__Output)[];
  'errors': (_ektola_v1_ErrorCount__Output)[];
  'billable': (number);
  'billableMessages': (_ektola_v1_BillableCount__Output)[];
}
