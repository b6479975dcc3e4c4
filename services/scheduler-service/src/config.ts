import { z } from 'zod';
import { grpcToken, httpUrl, logLevel, port, positiveInt } from '@ektola/platform/config';
import { duration, graceWindowEnv } from '@ektola/platform/schedule';

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
  /** How late a missed period may still run; older ones are skipped. The campaign-service reads it too. */
  ...graceWindowEnv,
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
