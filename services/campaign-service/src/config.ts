import { isIP } from 'node:net';
import { z } from 'zod';
import { getCountries, type CountryCode } from 'libphonenumber-js';
import { baseEnv, grpcToken, httpUrl, port, positiveInt } from '@ektola/platform/config';
import { graceWindowEnv } from '@ektola/platform/schedule';

const countries = new Set<string>(getCountries());

/** An address or CIDR range: 10.0.0.0/8, 127.0.0.1, fd00::/8. */
function isAddressRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

const addressRanges = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .refine(
    (entries) => entries.every(isAddressRange),
    'must be a comma-separated list of addresses or CIDR ranges, such as 10.0.0.0/8,127.0.0.1',
  );

export const configSchema = z
  .object({
    ...baseEnv,
    HOST: z.string().default('0.0.0.0'),
    PORT: port.default(8080),
    GRPC_PORT: port.default(50051),
    DISPATCHER_GRPC_ADDRESS: z.string().min(1).default('127.0.0.1:50052'),
    DISPATCHER_DEADLINE_MS: positiveInt.default(3_000),
    /** The callback-service's CallbackAdmin, behind /v1/webhook-endpoints. */
    CALLBACK_GRPC_ADDRESS: z.string().min(1).default('127.0.0.1:50053'),
    CALLBACK_DEADLINE_MS: positiveInt.default(5_000),
    /** The token this service presents to the dispatcher, and those the scheduler and the dispatcher present to it. */
    GRPC_TOKEN: grpcToken,
    GRPC_SCHEDULER_TOKEN: grpcToken,
    GRPC_DISPATCHER_TOKEN: grpcToken,
    /** Bootstraps (idempotently, at start-up) the first admin key; later keys are minted through the API. */
    EKTOLA_ADMIN_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
    DEFAULT_COUNTRY: z
      .string()
      .transform((value) => value.toUpperCase())
      .refine((value) => countries.has(value), 'must be an ISO 3166 region code such as IN')
      .default('IN')
      .transform((value) => value as CountryCode),
    RATE_LIMIT_PER_MINUTE: positiveInt.default(600),
    /** Counted per client address before the API key is looked up, so unknown keys cannot drive lookups without bound. */
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: positiveInt.default(1_200),
    /** Proxies whose X-Forwarded-For is believed; none by default, so a client cannot choose its own address. */
    TRUSTED_PROXIES: addressRanges.default([]),
    /** A read (and every request's key lookup) is retried this long while PostgreSQL restarts, then 503. */
    UNAVAILABLE_RETRY_MS: positiveInt.default(10_000),
    JSON_BODY_LIMIT_BYTES: positiveInt.default(1024 * 1024),
    UPLOAD_LIMIT_BYTES: positiveInt.default(64 * 1024 * 1024),
    /** Contact uploads imported at once; more wait their turn, already written to the temporary directory. */
    IMPORTS_AT_ONCE: positiveInt.default(2),
    /**
     * Bytes of contact uploads the temporary directory holds at once, arriving or waiting for their import
     * (2 × UPLOAD_LIMIT_BYTES when unset, filled in below); an upload that would overflow it is a 503 with Retry-After.
     */
    UPLOAD_ROOM_BYTES: positiveInt.optional(),
    OUTBOX_POLL_MS: positiveInt.default(1_000),
    /** Failed publishes of one outbox event (while others still publish) before it is set aside. */
    OUTBOX_MAX_ATTEMPTS: positiveInt.default(5),
    /** The scheduler's grace window: activation is refused when no period of the campaign can still run. */
    ...graceWindowEnv,
    /**
     * A recurring campaign is COMPLETED this long after its endAt, so the scheduler can still create
     * the last period's run if it was late (its grace window defaults to 6 hours as well).
     */
    CAMPAIGN_END_GRACE_MS: z.coerce
      .number()
      .int()
      .nonnegative()
      .default(6 * 60 * 60 * 1000),
    IDEMPOTENCY_TTL_HOURS: positiveInt.default(24),
    /** The operator console's build to serve at `/`; services/console/dist by default. */
    CONSOLE_DIR: z.string().min(1).optional(),
    /** How long a console sign-in (POST /v1/sessions) lasts before the operator signs in again. */
    SESSION_TTL_MINUTES: positiveInt.default(8 * 60),
    WHATSAPP_ACCESS_TOKEN: z.string().min(1).optional(),
    WHATSAPP_API_BASE_URL: httpUrl.optional(),
    WHATSAPP_BUSINESS_ACCOUNT_ID: z
      .string()
      .regex(/^\d+$/, 'must be the numeric WhatsApp Business Account id')
      .optional(),
    /** The number installs sent from before senders existed: ensured at start-up as the default sender. */
    WHATSAPP_PHONE_NUMBER_ID: z.string().min(1).optional(),
    /** How often every sender is read again at Meta (quality, throughput, messaging limit). */
    SENDER_REFRESH_INTERVAL_MS: positiveInt.default(15 * 60_000),
    /** A FLAGGED number sends at this share of its rate (at least 1 message a second) until Meta unflags it. */
    SENDER_FLAGGED_MPS_FACTOR: z.coerce
      .number()
      .gt(0, 'must be above 0')
      .max(1, 'must be at most 1 (1 keeps a flagged number at full speed)')
      .default(0.5),
  })
  .superRefine((config, context) => {
    if (config.UPLOAD_ROOM_BYTES !== undefined && config.UPLOAD_ROOM_BYTES < config.UPLOAD_LIMIT_BYTES) {
      context.addIssue({
        code: 'custom',
        path: ['UPLOAD_ROOM_BYTES'],
        message: 'must be at least UPLOAD_LIMIT_BYTES, or an upload of the largest size could never be taken',
      });
    }
    if (config.WHATSAPP_ACCESS_TOKEN && !config.WHATSAPP_BUSINESS_ACCOUNT_ID) {
      context.addIssue({
        code: 'custom',
        path: ['WHATSAPP_BUSINESS_ACCOUNT_ID'],
        message: 'is required when WHATSAPP_ACCESS_TOKEN is set (template sync reads it)',
      });
    }
  })
  .transform((config) => ({ ...config, UPLOAD_ROOM_BYTES: config.UPLOAD_ROOM_BYTES ?? 2 * config.UPLOAD_LIMIT_BYTES }));

export type Config = z.output<typeof configSchema>;

const cloudApiBaseUrl = (config: Config) =>
  (config.WHATSAPP_API_BASE_URL ?? 'https://graph.facebook.com/v23.0').replace(/\/$/, '');

/** Development mode (no token, no Cloud API URL) has no Meta to read numbers from. */
export function numberSource(config: Config): { baseUrl: string; accessToken: string } | undefined {
  if (!config.WHATSAPP_ACCESS_TOKEN && !config.WHATSAPP_API_BASE_URL) return undefined;
  return { baseUrl: cloudApiBaseUrl(config), accessToken: config.WHATSAPP_ACCESS_TOKEN ?? '' };
}

/** Development mode (no token, no Cloud API URL) has nothing to sync templates from. */
export function templateSource(
  config: Config,
): { baseUrl: string; accessToken: string; businessAccountId: string } | undefined {
  if (!config.WHATSAPP_BUSINESS_ACCOUNT_ID || (!config.WHATSAPP_ACCESS_TOKEN && !config.WHATSAPP_API_BASE_URL))
    return undefined;
  return {
    baseUrl: cloudApiBaseUrl(config),
    accessToken: config.WHATSAPP_ACCESS_TOKEN ?? '',
    businessAccountId: config.WHATSAPP_BUSINESS_ACCOUNT_ID,
  };
}
