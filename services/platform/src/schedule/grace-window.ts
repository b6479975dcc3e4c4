import { Duration } from 'luxon';
import { z } from 'zod';
import { defaultGraceWindowMs } from './due-period.ts';

const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "30s", "1m", "6h", "1h30m", "500ms" or ISO 8601 ("PT6H"), in milliseconds; undefined when unreadable. */
export function parseDuration(text: string): number | undefined {
  const value = text.trim();
  if (/^P/i.test(value)) {
    const iso = Duration.fromISO(value.toUpperCase());
    return iso.isValid ? iso.toMillis() : undefined;
  }
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(value)) return undefined;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
    total += Number(amount) * unitMs[unit as keyof typeof unitMs];
  }
  return Math.round(total);
}

/** A positive duration setting, read as milliseconds. */
export const duration = z.string().transform((value, context) => {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) {
    context.addIssue({ code: 'custom', message: 'must be a positive duration such as 30s, 1m, 6h or 1h30m' });
    return z.NEVER;
  }
  return ms;
});

/** "6h,24h": a comma-separated list of positive durations, read as milliseconds in the order given. */
export const durationList = z.string().transform((value, context) => {
  const items = value.split(',').map((item) => item.trim());
  const ms = items.map(parseDuration);
  const bad = items.filter((_, index) => ms[index] === undefined || ms[index] <= 0);
  if (bad.length > 0) {
    context.addIssue({
      code: 'custom',
      message: `${bad.map((item) => `"${item}"`).join(', ')} must be positive durations, such as 6h,24h`,
    });
    return z.NEVER;
  }
  return ms as number[];
});

/**
 * How late a missed period may still run. The scheduler skips periods older than this, and the
 * campaign-service refuses to activate a campaign none of whose periods can still run, so both read
 * the same variable with the same default.
 */
export const graceWindowEnv = {
  SCHEDULER_GRACE_WINDOW: duration.default(defaultGraceWindowMs),
};
