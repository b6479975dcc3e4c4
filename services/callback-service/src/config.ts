import { z } from 'zod';
import { baseEnv, booleanFlag, grpcToken, port, positiveInt } from '@ektola/platform/config';
import { defaultRetrySchedule, parseSchedule } from './domain/retry-policy.ts';

const hour = 3_600_000;

const schedule = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, context) => {
      const parsed = parseSchedule(text);
      if (!parsed) {
        context.addIssue({ code: 'custom', message: 'must be durations such as 5s,5m,30m,2h separated by commas' });
        return z.NEVER;
      }
      return parsed;
    });

export const configSchema = z.object({
  ...baseEnv,
  HOST: z.string().default('0.0.0.0'),
  OPS_PORT: port.default(8084),
  GRPC_PORT: port.default(50053),
  /** The token the campaign-service presents when it manages endpoints. */
  GRPC_CAMPAIGN_TOKEN: grpcToken,
  DATABASE_POOL_SIZE: positiveInt.max(100).default(12),
  /** Plain http endpoints accepted (the local stack and tests); https only otherwise. */
  CALLBACKS_ALLOW_HTTP: booleanFlag.default(false),
  /** Loopback, private, link-local and metadata addresses accepted (the local stack and tests). */
  CALLBACKS_ALLOW_PRIVATE_NETWORKS: booleanFlag.default(false),
  /** The whole attempt: connecting, the answer's headers and its body. */
  CALLBACKS_TIMEOUT_MS: positiveInt.default(10_000),
  /** Delays before each retry; the delivery fails once they are spent (about 27 hours by default). */
  CALLBACKS_RETRY_SCHEDULE: schedule(defaultRetrySchedule.map((ms) => `${ms}ms`).join(',')),
  /** An endpoint failing every delivery for this long is disabled, with an account.alert. */
  CALLBACKS_DISABLE_AFTER_MS: positiveInt.default(72 * hour),
  /** How long the previous secret keeps signing after a rotation. */
  CALLBACKS_SECRET_OVERLAP_MS: positiveInt.default(24 * hour),
  CALLBACKS_MAX_IN_FLIGHT: positiveInt.max(4096).default(512),
  /** Attempts in flight for one endpoint; a slow receiver holds only these. */
  CALLBACKS_PER_ENDPOINT: positiveInt.max(1024).default(128),
  CALLBACKS_IDLE_MS: positiveInt.default(1_000),
  /** Finished deliveries (and events no longer delivered) are kept this long for the delivery log. */
  CALLBACKS_RETENTION_DAYS: positiveInt.default(30),
  CALLBACKS_RETENTION_INTERVAL_MS: positiveInt.default(3_600_000),
  CALLBACKS_CONSUMER_BATCH: positiveInt.max(1000).default(256),
  CALLBACKS_CONSUMER_WAIT_MS: positiveInt.max(1000).default(20),
});

export type Config = z.output<typeof configSchema>;
