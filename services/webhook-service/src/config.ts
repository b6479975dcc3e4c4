import { z } from 'zod';
import { baseEnv, port, positiveInt } from '@ektola/platform/config';

/** A comma-separated list of words, kept as written; matching normalises case and spacing. */
const keywordList = z.string().transform((value) =>
  value
    .split(',')
    .map((word) => word.trim())
    .filter((word) => word.length > 0),
);

export const configSchema = z.object({
  ...baseEnv,
  HOST: z.string().default('0.0.0.0'),
  PORT: port.default(8081),
  WHATSAPP_APP_SECRET: z.string().min(1, 'is required: the Meta app secret that signs every webhook'),
  WHATSAPP_VERIFY_TOKEN: z.string().min(1, 'is required: the token Meta echoes in the subscription handshake'),
  /** Meta's notifications are small; anything far larger is not Meta. */
  WEBHOOK_BODY_LIMIT_BYTES: positiveInt.default(1024 * 1024),
  /** How long a request may wait for JetStream's acknowledgements before it answers 503 so Meta retries. */
  WEBHOOK_PUBLISH_DEADLINE_MS: positiveInt.default(5_000),
  /** 0 publishes what arrived in the same turn of the event loop together; above 0 waits that long to gather more. */
  WEBHOOK_BATCH_WINDOW_MS: z.coerce.number().int().min(0).max(50).default(0),
  WEBHOOK_BATCH_MAX: positiveInt.default(512),
  /** Lone statuses of concurrent requests stored together as one event, at most this many; 1 stores each alone. */
  WEBHOOK_STATUSES_PER_EVENT: positiveInt.max(1_000).default(100),
  /** Publishes allowed to wait for an acknowledgement at once; the rest queue in the process. */
  WEBHOOK_MAX_IN_FLIGHT: positiveInt.default(4_096),
  OPT_OUT_KEYWORDS: keywordList.default(['STOP', 'UNSUBSCRIBE', 'STOP ALL']),
  OPT_IN_KEYWORDS: keywordList.default(['START', 'SUBSCRIBE']),
});

export type Config = z.output<typeof configSchema>;
