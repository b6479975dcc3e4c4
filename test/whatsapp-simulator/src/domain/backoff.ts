/**
 * Delay before delivery attempt `attempt + 1` after `attempt` failures: doubling from `initialMs`,
 * capped at `maxMs`, with up to a fifth taken off at random so retries from a burst spread out.
 */
export function retryDelayMs(attempt: number, initialMs: number, maxMs: number, random: () => number): number {
  const exponential = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (1 - 0.2 * random()));
}
