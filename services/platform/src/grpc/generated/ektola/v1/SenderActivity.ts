// Original file: proto/ektola/v1/dispatch.proto


export interface SenderActivity {
  'phoneNumberId'?: (string);
  'sentLastMinute'?: (number);
  'peakPerSecond'?: (number);
  'pending'?: (number);
  'sending'?: (number);
  'mps'?: (number);
  'heldReason'?: (string);
  'recipientsLastDay'?: (number);
  'messagingLimit'?: (number);
}

export interface SenderActivity__Output {
  'phoneNumberId': (string);
  'sentLastMinute': (number);
  'peakPerSecond': (number);
  'pending': (number);
  'sending': (number);
  'mps': (number);
  'heldReason': (string);
  'recipientsLastDay': (number);
  'messagingLimit': (number);
}
