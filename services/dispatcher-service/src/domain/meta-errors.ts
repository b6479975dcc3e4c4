/**
 * What a sender does with each Cloud API error code (shared/WHATSAPP.md). Meta asks senders to act on
 * the code, never on titles.
 */
export type ErrorClass =
  /** Retry this message later with backoff. */
  | 'retry'
  /** 130429: retry later and hold the whole number back for a moment. */
  | 'retry_number'
  /** 131056: only this recipient is being sent to too fast. */
  | 'retry_recipient'
  /**
   * 131049, Meta's per-user marketing limit: FAILED for this attempt, then tried again much later on the
   * marketing-limit schedule (domain/marketing-limit.ts), outside the ordinary retry budget.
   */
  | 'marketing_limit'
  /** The message can never succeed: FAILED now. */
  | 'permanent'
  /** The account or token is broken: stop the number instead of failing every message. */
  | 'account';

/** Meta's per-user marketing limit ("healthy ecosystem engagement"). */
export const marketingLimitCode = 131049;
const retry = new Set([4, 80007, 131000, 131016, 131057]);
const permanent = new Set([
  100, 131009, 131026, 131047, 131050, 131051, 132000, 132001, 132005, 132007, 132012, 132015, 132016,
]);
const account = new Set([190, 368, 131031, 131042, 131048]);
/** Errors that mean Meta itself is unwell; only these count against the circuit breaker. */
const unwell = new Set([131000, 131016]);

export function classifyMetaError(code: number, httpStatus: number): ErrorClass {
  if (code === 130429) return 'retry_number';
  if (code === 131056) return 'retry_recipient';
  if (code === marketingLimitCode) return 'marketing_limit';
  if (account.has(code)) return 'account';
  if (permanent.has(code)) return 'permanent';
  if (retry.has(code) || httpStatus >= 500) return 'retry';
  // An undocumented code on a 4xx answer is a problem with this request, not with Meta.
  return 'permanent';
}

export const isAccountLevel = (code: number) => account.has(code);

export const meansMetaIsUnwell = (code: number, httpStatus: number) => unwell.has(code) || httpStatus >= 500;
