import { httpUrl, logLevel, port, positiveInt } from '@ektola/platform/config';
import { z } from 'zod';
import { phoneNumberInputSchema, toPhoneNumber, type PhoneNumber } from './domain/phone-numbers.ts';
import { parseWeightedCodes, type Settings } from './settings.ts';

const nonNegativeInt = z.coerce.number().int().min(0);
const share = z.coerce.number().min(0).max(1);
/** 0 or "unlimited" switch a limit off. */
const limit = z
  .union([z.literal('unlimited'), z.coerce.number().int().min(0)])
  .transform((value) => (value === 'unlimited' || value === 0 ? null : value));
const digits = z.string().regex(/^\d+$/, 'must be digits');

export const configSchema = z.object({
  PORT: port.default(8090),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: logLevel.default('info'),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  SHUTDOWN_GRACE_MS: positiveInt.default(10_000),

  WHATSAPP_ACCESS_TOKEN: z.string().min(1).default('dev-access-token'),
  WHATSAPP_APP_SECRET: z.string().min(1).default('dev-app-secret'),
  WHATSAPP_PHONE_NUMBER_ID: digits.default('106540352242922'),
  WHATSAPP_BUSINESS_ACCOUNT_ID: digits.default('102290129340398'),
  SIMULATOR_DISPLAY_PHONE_NUMBER: digits.default('15550001111'),
  SIMULATOR_EXTRA_PHONE_NUMBER_IDS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .pipe(z.array(digits)),
  /** More numbers, each with its own WABA, display number, quality, messaging limit and throughput (JSON array). */
  SIMULATOR_NUMBERS: z
    .string()
    .default('[]')
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.addIssue({ code: 'custom', message: 'must be a JSON array of phone numbers' });
        return z.NEVER;
      }
    })
    .pipe(z.array(phoneNumberInputSchema)),
  SIMULATOR_VERIFIED_NAME: z.string().min(1).default('EkTola Test Business'),
  SIMULATOR_TEMPLATES_FILE: z.string().min(1).optional(),
  /** How long Meta's review of a submitted template takes here before it is approved or rejected. */
  SIMULATOR_TEMPLATE_REVIEW_MS: nonNegativeInt.default(3_000),

  SIMULATOR_THROUGHPUT_MPS: limit.default(80),
  SIMULATOR_PAIR_INTERVAL_MS: nonNegativeInt.default(6_000),
  SIMULATOR_PAIR_BURST: positiveInt.default(1),
  SIMULATOR_TIER_LIMIT: limit.default(null),
  SIMULATOR_TIER_ERROR_CODE: positiveInt.default(131048),

  SIMULATOR_WEBHOOK_URL: httpUrl.optional(),
  SIMULATOR_WEBHOOK_SENT_DELAY_MS: nonNegativeInt.default(50),
  SIMULATOR_WEBHOOK_DELIVERED_DELAY_MS: nonNegativeInt.default(200),
  SIMULATOR_WEBHOOK_READ_DELAY_MS: nonNegativeInt.default(1_000),
  SIMULATOR_WEBHOOK_READ_SHARE: share.default(1),
  SIMULATOR_WEBHOOK_FAILURE_SHARE: share.default(0),
  SIMULATOR_WEBHOOK_FAILURE_CODES: z
    .string()
    .default('131026,131049,131050')
    .transform(parseWeightedCodes)
    .pipe(
      z
        .array(z.object({ code: z.number().int().positive(), weight: z.number().positive() }))
        .min(1, 'needs at least one code'),
    ),
  SIMULATOR_WEBHOOK_DUPLICATE_SHARE: share.default(0),
  SIMULATOR_WEBHOOK_OUT_OF_ORDER_SHARE: share.default(0),
  SIMULATOR_WEBHOOK_READ_WITHOUT_DELIVERED_SHARE: share.default(0),
  SIMULATOR_WEBHOOK_BATCH_SIZE: positiveInt.max(1000).default(1),
  SIMULATOR_WEBHOOK_BATCH_WINDOW_MS: nonNegativeInt.default(0),
  SIMULATOR_WEBHOOK_MAX_ATTEMPTS: positiveInt.max(100).default(5),
  SIMULATOR_WEBHOOK_RETRY_INITIAL_MS: nonNegativeInt.default(500),
  SIMULATOR_WEBHOOK_RETRY_MAX_MS: nonNegativeInt.default(30_000),
  SIMULATOR_WEBHOOK_TIMEOUT_MS: positiveInt.default(5_000),
  SIMULATOR_WEBHOOK_CONNECTIONS: positiveInt.max(1024).default(16),
});

export type SimulatorConfig = z.output<typeof configSchema>;

/** The runtime-adjustable part of the configuration, as the simulator starts (and returns to on reset). */
export function initialSettings(config: SimulatorConfig): Settings {
  return {
    limits: {
      throughputPerSecond: config.SIMULATOR_THROUGHPUT_MPS,
      pairIntervalMs: config.SIMULATOR_PAIR_INTERVAL_MS,
      pairBurst: config.SIMULATOR_PAIR_BURST,
      tierLimit: config.SIMULATOR_TIER_LIMIT,
      tierErrorCode: config.SIMULATOR_TIER_ERROR_CODE,
    },
    webhooks: {
      url: config.SIMULATOR_WEBHOOK_URL ?? null,
      sentDelayMs: config.SIMULATOR_WEBHOOK_SENT_DELAY_MS,
      deliveredDelayMs: config.SIMULATOR_WEBHOOK_DELIVERED_DELAY_MS,
      readDelayMs: config.SIMULATOR_WEBHOOK_READ_DELAY_MS,
      readShare: config.SIMULATOR_WEBHOOK_READ_SHARE,
      failureShare: config.SIMULATOR_WEBHOOK_FAILURE_SHARE,
      failureCodes: config.SIMULATOR_WEBHOOK_FAILURE_CODES,
      duplicateShare: config.SIMULATOR_WEBHOOK_DUPLICATE_SHARE,
      outOfOrderShare: config.SIMULATOR_WEBHOOK_OUT_OF_ORDER_SHARE,
      readWithoutDeliveredShare: config.SIMULATOR_WEBHOOK_READ_WITHOUT_DELIVERED_SHARE,
      batchSize: config.SIMULATOR_WEBHOOK_BATCH_SIZE,
      batchWindowMs: config.SIMULATOR_WEBHOOK_BATCH_WINDOW_MS,
      maxAttempts: config.SIMULATOR_WEBHOOK_MAX_ATTEMPTS,
      retryInitialMs: config.SIMULATOR_WEBHOOK_RETRY_INITIAL_MS,
      retryMaxMs: config.SIMULATOR_WEBHOOK_RETRY_MAX_MS,
      timeoutMs: config.SIMULATOR_WEBHOOK_TIMEOUT_MS,
    },
    templates: { reviewMs: config.SIMULATOR_TEMPLATE_REVIEW_MS },
  };
}

/**
 * The business numbers as the simulator starts (and returns to on reset): the environment's number
 * first, then `SIMULATOR_EXTRA_PHONE_NUMBER_IDS`, then `SIMULATOR_NUMBERS`, whose entry for an id
 * already listed replaces it (keeping its display number unless the entry gives one).
 */
export function initialNumbers(config: SimulatorConfig): PhoneNumber[] {
  const defaults = { wabaId: config.WHATSAPP_BUSINESS_ACCOUNT_ID, verifiedName: config.SIMULATOR_VERIFIED_NAME };
  const numbers = new Map<string, PhoneNumber>();
  const add = (input: z.input<typeof phoneNumberInputSchema>) =>
    numbers.set(input.phoneNumberId, toPhoneNumber(phoneNumberInputSchema.parse(input), defaults));
  add({ phoneNumberId: config.WHATSAPP_PHONE_NUMBER_ID, displayPhoneNumber: config.SIMULATOR_DISPLAY_PHONE_NUMBER });
  for (const phoneNumberId of config.SIMULATOR_EXTRA_PHONE_NUMBER_IDS) add({ phoneNumberId });
  for (const input of config.SIMULATOR_NUMBERS) {
    const listed = numbers.get(input.phoneNumberId);
    add({ ...(listed ? { displayPhoneNumber: listed.displayPhoneNumber } : {}), ...input });
  }
  return [...numbers.values()];
}
