import { z } from 'zod';
import { baseEnv, booleanFlag, grpcToken, httpUrl, port, positiveInt } from '@ektola/platform/config';
import { durationList } from '@ektola/platform/schedule';

const nonNegativeInt = z.coerce.number().int().nonnegative();

export const configSchema = z
  .object({
    ...baseEnv,
    HOST: z.string().default('0.0.0.0'),
    OPS_PORT: port.default(8082),
    GRPC_PORT: port.default(50052),
    CAMPAIGN_GRPC_ADDRESS: z.string().min(1).default('127.0.0.1:50051'),
    /** The token this service presents to the campaign-service, and the one the campaign-service presents to it. */
    GRPC_TOKEN: grpcToken,
    GRPC_CAMPAIGN_TOKEN: grpcToken,
    DATABASE_POOL_SIZE: positiveInt.max(100).default(12),

    /** Only when asked: messages become SENT with dev_ ids and no call leaves the process. */
    EKTOLA_DEVELOPMENT_MODE: booleanFlag.default(false),
    WHATSAPP_PHONE_NUMBER_ID: z.string().min(1).optional(),
    WHATSAPP_ACCESS_TOKEN: z.string().min(1).optional(),
    WHATSAPP_API_BASE_URL: httpUrl.optional(),
    /** Meta's throughput for the number: 80 by default, raised automatically up to 1,000. */
    WHATSAPP_MPS: positiveInt.max(1000).default(80),
    /** Off only against the simulator or in benchmarks: Meta enforces WHATSAPP_MPS whether we do or not. */
    WHATSAPP_RATE_LIMIT: booleanFlag.default(true),
    /** Unique recipients per moving 24 hours (250, 2000, 10000, 100000) or unlimited. */
    WHATSAPP_TIER_LIMIT: z.union([z.literal('unlimited'), positiveInt]).default('unlimited'),
    RATE_SLOT_MS: positiveInt.min(10).max(1000).default(50),
    /** Allowance for the time between taking a token and the request reaching Meta. */
    RATE_GUARD_MS: nonNegativeInt.max(1000).default(100),

    SEND_BATCH_SIZE: positiveInt.max(1000).default(100),
    SEND_CONCURRENCY: positiveInt.max(256).default(12),
    SEND_CLAIM_SIZE: positiveInt.max(1000).default(100),
    SEND_TIMEOUT_MS: positiveInt.default(10_000),
    SEND_RETRIES: nonNegativeInt.max(20).default(3),
    SEND_RETRY_BASE_MS: positiveInt.default(60_000),
    SEND_RETRY_MAX_MS: positiveInt.default(3_600_000),
    /** 131056: the same recipient is tried again no sooner than this. */
    RECIPIENT_RETRY_MS: positiveInt.default(6_000),
    /**
     * 131049 (Meta's per-user marketing limit): how long after each refusal the message is tried again,
     * in order; after the last one it stays FAILED. The waits never spend SEND_RETRIES.
     */
    MARKETING_LIMIT_RETRY_DELAYS: durationList.default([6 * 3_600_000, 24 * 3_600_000]),
    /**
     * Connections to the Cloud API, which bound the calls in flight: enough for every number's rate times
     * Meta's answer time (1,000/s at 250 ms is 250); a send finding all busy past its rate slot is refused unsent.
     */
    HTTP_CONNECTIONS: positiveInt.max(1024).default(256),

    BREAKER_ERROR_THRESHOLD_PERCENT: positiveInt.max(100).default(50),
    BREAKER_VOLUME_THRESHOLD: positiveInt.default(10),
    BREAKER_RESET_MS: positiveInt.default(10_000),
    BREAKER_ROLLING_WINDOW_MS: positiveInt.default(10_000),

    /** How long a message whose send outcome is unknown waits for a status webhook before a resend. */
    RECONCILE_WINDOW_MS: positiveInt.default(120_000),
    SWEEP_INTERVAL_MS: positiveInt.default(2_000),
    /** 130429: the number pauses this long before its next send. */
    THROTTLE_PAUSE_MS: positiveInt.default(1_000),
    /** An account-level error stops the number this long; the next send after it probes the account. */
    ACCOUNT_PAUSE_MS: positiveInt.default(600_000),

    /**
     * Audience members per StreamAudience batch and per insert. On a machine busy sending, each batch's
     * round trips (the read, the sender states, the insert, the queueing) wait their turn, so fewer and
     * larger batches store a run sooner.
     */
    FANOUT_BATCH_SIZE: positiveInt.max(5000).default(2000),
    FANOUT_STORES_IN_FLIGHT: positiveInt.max(4).default(2),
    /** Batches this replica sends at once while it fans out a run (at most SEND_CONCURRENCY), so the run is stored sooner. */
    FANOUT_SEND_CONCURRENCY: positiveInt.max(256).default(2),
    STATUS_BATCH_SIZE: positiveInt.max(5000).default(2000),
    /** message.status_changed for each status a message reaches (the callback-service's source); false publishes none. */
    MESSAGE_STATUS_EVENTS: booleanFlag.default(true),
    /** The longest a SKIPPED or FAILED waits in the status outbox when no write woke its relay (a crash left it). */
    STATUS_RELAY_INTERVAL_MS: positiveInt.min(100).default(5_000),
    /** Waiting a little lets sent, delivered and read of one message meet in one batch: one write instead of three. */
    STATUS_BATCH_WAIT_MS: positiveInt.max(5000).default(250),
    /** A status for a message we cannot find is retried this many times, then dropped with a warning. */
    STATUS_MAX_DELIVERIES: positiveInt.default(12),
    CAMPAIGN_STREAM_DEADLINE_MS: positiveInt.default(600_000),

    /** Messages (and then runs) of runs completed longer ago than this are deleted. */
    MESSAGE_RETENTION_DAYS: positiveInt.max(3650).default(90),
    RETENTION_INTERVAL_MS: positiveInt.min(1_000).default(3_600_000),
    /** Rows one pruning statement deletes at most, so none holds its locks for long. */
    RETENTION_BATCH_SIZE: positiveInt.max(50_000).default(5_000),
  })
  .superRefine((config, context) => {
    if (config.EKTOLA_DEVELOPMENT_MODE) return;
    // A dispatcher missing its credentials must not quietly pretend to send.
    for (const variable of ['WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID'] as const) {
      if (config[variable] === undefined) {
        context.addIssue({
          code: 'custom',
          path: [variable],
          message: 'is required (or set EKTOLA_DEVELOPMENT_MODE=true to send nothing)',
        });
      }
    }
  })
  .transform((config) => {
    const development = config.EKTOLA_DEVELOPMENT_MODE;
    return {
      ...config,
      development,
      phoneNumberId: config.WHATSAPP_PHONE_NUMBER_ID ?? 'development',
      apiBaseUrl: config.WHATSAPP_API_BASE_URL ?? 'https://graph.facebook.com/v23.0',
      tierLimit: config.WHATSAPP_TIER_LIMIT === 'unlimited' ? undefined : config.WHATSAPP_TIER_LIMIT,
    };
  });

export type Config = z.output<typeof configSchema>;
