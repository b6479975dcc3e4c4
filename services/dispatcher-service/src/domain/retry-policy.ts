export interface RetryPolicy {
  /** Retries after the first attempt; attempt numbers start at 1. */
  retries: number;
  baseMs: number;
  maxMs: number;
}

/**
 * Exponential backoff with "full jitter" over the upper half: attempt n waits between half and all of
 * base × 2^(n-1), so replicas that failed together do not come back together.
 */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.baseMs * 2 ** Math.max(0, attempt - 1), policy.maxMs);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export const retriesLeft = (policy: RetryPolicy, attempt: number) => attempt <= policy.retries;
