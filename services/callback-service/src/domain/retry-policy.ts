/** What one attempt came to, as the sender saw it. */
export type AttemptResult =
  { kind: 'answered'; status: number; latencyMs: number } | { kind: 'no_answer'; error: string; latencyMs: number };

/**
 * succeeded: a 2xx. retry: a timeout, a connection error, a 429 or a 5xx. gone: a 410, which disables
 * the endpoint. rejected: any other answer, which fails the delivery without retrying.
 */
export type AttemptVerdict = 'succeeded' | 'retry' | 'gone' | 'rejected';

export function verdictOf(result: AttemptResult): AttemptVerdict {
  if (result.kind === 'no_answer') return 'retry';
  const { status } = result;
  if (status >= 200 && status < 300) return 'succeeded';
  if (status === 410) return 'gone';
  if (status === 429 || status >= 500) return 'retry';
  return 'rejected';
}

/** 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: about 27 hours (24.7 at the least, with jitter) before a delivery is given up. */
export const defaultRetrySchedule: readonly number[] = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000].map(
  (seconds) => seconds * 1000,
);

/**
 * When attempt `attempts + 1` is due after `attempts` failed ones, or null when the schedule is spent.
 * Jitter spreads the retries of many deliveries that failed together over ±10 % of the delay, which
 * keeps the default schedule above 24 hours even when every draw is the shortest.
 */
export function nextRetryDelayMs(attempts: number, schedule: readonly number[], random: () => number): number | null {
  const base = schedule[attempts - 1];
  if (base === undefined) return null;
  return Math.round(base * (0.9 + 0.2 * random()));
}

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `5s,5m,30m,2h` → milliseconds; null when any part is not a duration. */
export function parseSchedule(text: string): number[] | null {
  const parts = text.split(',').map((part) => part.trim());
  const delays = parts.map((part) => {
    const match = /^(\d+)(ms|s|m|h)$/.exec(part);
    return match ? Number(match[1]) * (durationUnits[match[2] ?? 'ms'] ?? 1) : Number.NaN;
  });
  return delays.length > 0 && delays.every((delay) => Number.isFinite(delay) && delay > 0) ? delays : null;
}
