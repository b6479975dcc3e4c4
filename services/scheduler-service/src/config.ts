import { Duration } from 'luxon';
import { z } from 'zod';
import { grpcToken, httpUrl, logLevel, port, positiveInt } from '@ektola/platform/config';

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

const duration = z.string().transform((value, context) => {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) {
    context.addIssue({ code: 'custom', message: 'must be a positive duration such as 30s, 1m, 6h or 1h30m' });
    return z.NEVER;
  }
  return ms;
});

/** An instant with an explicit offset, so a simulated "now" means the same everywhere. */
const instant = z
  .string()
  .refine((value) => /(Z|[+-]\d{2}:?\d{2})$/i.test(value) && !Number.isNaN(Date.parse(value)), {
    message: 'must be an ISO 8601 instant with Z or an offset, such as 2026-03-06T04:00:00Z (--now sets it too)',
  })
  .transform((value) => new Date(value));

export const configSchema = z.object({
  LOG_LEVEL: logLevel.default('info'),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  SHUTDOWN_GRACE_MS: positiveInt.default(10_000),
  HOST: z.string().default('0.0.0.0'),
  OPS_PORT: port.default(8083),
  CAMPAIGN_GRPC_ADDRESS: z.string().min(1).default('127.0.0.1:50051'),
  /** The token this service presents to the campaign-service (its GRPC_SCHEDULER_TOKEN). */
  GRPC_TOKEN: grpcToken,
  /** Deadline of every call to the campaign-service. */
  CAMPAIGN_GRPC_DEADLINE_MS: positiveInt.default(5_000),
  /** How late a missed period may still run; older ones are skipped. */
  SCHEDULER_GRACE_WINDOW: duration.default(6 * 3_600_000),
  /** Campaigns per ListSchedulableCampaigns page. */
  SCHEDULER_PAGE_SIZE: positiveInt.max(1_000).default(200),
  /** CreateRun calls in flight at once. */
  SCHEDULER_CONCURRENCY: positiveInt.max(64).default(8),
  /** Also `--now`: decide due periods as if it were this instant (tests, replaying a day). */
  SCHEDULER_NOW: instant.optional(),
  /** Also `--every`: repeat the pass at this interval instead of running once (local development). */
  SCHEDULER_EVERY: duration.optional(),
});

export type Config = z.output<typeof configSchema>;
