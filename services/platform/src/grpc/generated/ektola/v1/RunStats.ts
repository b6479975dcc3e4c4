// Original file: proto/ektola/v1/dispatch.proto


export interface RunStats {
  'runId'?: (string);
  'total'?: (number);
  'pending'?: (number);
  'sending'?: (number);
  'sent'?: (number);
  'delivered'?: (number);
  'read'?: (number);
  'failed'?: (number);
  'completed'?: (boolean);
  'completedAt'?: (string);
  'waitingReason'?: (string);
  'skipped'?: (number);
}

export interface RunStats__Output {
  'runId': (string);
  'total': (number);
  'pending': (number);
  'sending': (number);
  'sent': (number);
  'delivered': (number);
  'read': (number);
  'failed': (number);
  'completed': (boolean);
  'completedAt': (string);
  'waitingReason': (string);
  'skipped': (number);
}
