import { classifyMetaError, meansMetaIsUnwell } from './meta-errors.ts';
import type { ClaimedMessage, MessageUpdate, SendResult } from './ports.ts';
import { backoffMs, retriesLeft, type RetryPolicy } from './retry-policy.ts';

export interface DecisionContext {
  policy: RetryPolicy;
  now: Date;
  /** How long a message of unknown outcome waits for a status webhook before it may be resent. */
  reconcileWindowMs: number;
  /** When a stopped number is looked at again. */
  accountPauseMs: number;
  /** 131056: the soonest the same recipient may be tried again (Meta allows about one message per 6 s). */
  recipientRetryMs: number;
  random?: () => number;
}

export interface Decision {
  update: MessageUpdate;
  /** An account-level error: stop the whole number. */
  blockNumber?: { code: number; message: string };
  /** 130429: hold the whole number back. */
  slowNumber?: boolean;
  /** 131049: FAILED for now; the marketing-limit schedule decides whether and when it is tried again. */
  marketingLimited?: boolean;
  /** Counted as an error by code in metrics; undefined for successes and refusals. */
  errorCode?: string;
}

const later = (now: Date, ms: number) => new Date(now.getTime() + ms);

/** What to write for one message after its send, and what that means for its number. */
export function decide(message: ClaimedMessage, result: SendResult, context: DecisionContext): Decision {
  const { id, attempt } = message;
  const { now, policy } = context;
  const retryOrFail = (
    code: number,
    text: string,
    unwell: boolean,
    extra: Omit<Decision, 'update'> = {},
    minimumDelayMs = 0,
  ): Decision => {
    // A failed half-open probe says nothing about this message: Meta was down.
    if (result.probe && unwell)
      return {
        ...extra,
        update: { id, attempt, to: 'PENDING', nextAttemptAt: now, refund: true, code, message: text },
      };
    if (!retriesLeft(policy, attempt)) {
      return { ...extra, update: { id, attempt, to: 'FAILED', code, message: text, deadLetter: true } };
    }
    const delay = Math.max(minimumDelayMs, backoffMs(policy, attempt, context.random));
    return {
      ...extra,
      update: { id, attempt, to: 'PENDING', nextAttemptAt: later(now, delay), refund: false, code, message: text },
    };
  };

  switch (result.kind) {
    case 'accepted':
      return { update: { id, attempt, to: 'SENT', wamid: result.wamid } };
    case 'refused':
      return { update: { id, attempt, to: 'PENDING', nextAttemptAt: now, refund: true } };
    case 'unreachable':
      return retryOrFail(0, result.reason, true, { errorCode: 'unreachable' });
    case 'unknown':
      return {
        errorCode: 'timeout',
        update: {
          id,
          attempt,
          to: 'SENDING',
          leaseUntil: later(now, context.reconcileWindowMs),
          code: 0,
          message: result.reason,
        },
      };
    case 'rejected': {
      const errorCode = String(result.code);
      const unwell = meansMetaIsUnwell(result.code, result.httpStatus);
      switch (classifyMetaError(result.code, result.httpStatus)) {
        case 'permanent':
          return {
            errorCode,
            update: { id, attempt, to: 'FAILED', code: result.code, message: result.message, deadLetter: false },
          };
        case 'marketing_limit':
          return {
            errorCode,
            marketingLimited: true,
            update: { id, attempt, to: 'FAILED', code: result.code, message: result.message, deadLetter: false },
          };
        case 'account':
          // The number's block (its gate, shared by every replica) holds it for ACCOUNT_PAUSE_MS; the message
          // itself is due at once, so one that moved to another number while this send was in flight (the
          // number was restricted meanwhile) goes out from there instead of waiting out the pause.
          return {
            errorCode,
            blockNumber: { code: result.code, message: result.message },
            update: {
              id,
              attempt,
              to: 'PENDING',
              nextAttemptAt: now,
              refund: true,
              code: result.code,
              message: result.message,
            },
          };
        case 'retry_number':
          return retryOrFail(result.code, result.message, unwell, { errorCode, slowNumber: true });
        case 'retry_recipient':
          return retryOrFail(result.code, result.message, unwell, { errorCode }, context.recipientRetryMs);
        case 'retry':
          return retryOrFail(result.code, result.message, unwell, { errorCode });
      }
    }
  }
}
