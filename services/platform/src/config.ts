import { z } from 'zod';
import type { StreamKey } from './events/define.ts';

/**
 * Every service reads its environment through one zod schema at start-up. All problems are
 * reported together, one line per variable, so an operator fixes a manifest in one pass.
 */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.map((line) => `invalid configuration: ${line}`).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function parseConfig<Schema extends z.ZodType>(
  schema: Schema,
  env: Record<string, string | undefined> = process.env,
): z.output<Schema> {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    return `${variable}: ${issue.message}`;
  });
  throw new ConfigError(problems);
}

const urlWithProtocols = (protocols: string[], example: string) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL such as ${example}` },
  );

export const natsUrl = z.string().refine(
  (value) =>
    value.split(',').every((server) => {
      try {
        return ['nats:', 'tls:', 'ws:', 'wss:'].includes(new URL(server.trim()).protocol);
      } catch {
        return false;
      }
    }),
  { message: 'must be a comma-separated list of nats:// or tls:// URLs, such as nats://127.0.0.1:4222' },
);

export const postgresUrl = urlWithProtocols(['postgres:', 'postgresql:'], 'postgres://postgres@127.0.0.1:5432/ektola');
export const httpUrl = urlWithProtocols(['http:', 'https:'], 'https://graph.facebook.com/v23.0');
export const port = z.coerce.number().int().min(0).max(65535);
export const positiveInt = z.coerce.number().int().positive();
export const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');
export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
/** Prefix of every subject and stream; tests give each run its own so they never share state. */
export const namespace = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,30}$/, 'must be lowercase letters, digits and _ (start with a letter)');

// A record, so a stream added to the catalog fails to compile until it is listed here.
const streamKeys: Record<StreamKey, true> = {
  RUNS: true,
  DISPATCH: true,
  WHATSAPP: true,
  CONTACTS: true,
  MESSAGES: true,
  SUPPRESSIONS: true,
  SENDERS: true,
};

/** `WHATSAPP=4096,DISPATCH=1024`: MiB per stream, for the streams whose declared size should not apply. */
export const streamSizes = z.string().transform((value, context) => {
  const sizes: Partial<Record<StreamKey, number>> = {};
  for (const item of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^([A-Z]+)=([1-9]\d*)$/.exec(item);
    if (!match || !(match[1]! in streamKeys)) {
      context.addIssue({
        code: 'custom',
        message: `"${item}" must be STREAM=MiB with STREAM one of ${Object.keys(streamKeys).join(', ')}, such as WHATSAPP=4096`,
      });
      continue;
    }
    sizes[match[1] as StreamKey] = Number(match[2]);
  }
  return sizes;
});

/** Settings every long-running service has. */
export const baseEnv = {
  DATABASE_URL: postgresUrl.default('postgres://postgres@127.0.0.1:5432/ektola'),
  NATS_URL: natsUrl.default('nats://127.0.0.1:4222'),
  /** The service's NATS user and password, where the server has per-service users (events/nats-permissions.ts). */
  NATS_USER: z.string().min(1).optional(),
  NATS_PASSWORD: z.string().min(1).optional(),
  LOG_LEVEL: logLevel.default('info'),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  EKTOLA_NAMESPACE: namespace.default('ektola'),
  JETSTREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  SHUTDOWN_GRACE_MS: positiveInt.default(10_000),
  /** Deliveries a consumer's handler gets before the event is terminated and counted (consumers may declare their own). */
  CONSUMER_MAX_DELIVERIES: positiveInt.max(10_000).default(20),
  JETSTREAM_STREAM_MAX_MB: streamSizes.default({}),
};

/** A gRPC token: a random secret one service presents and its peer checks (see grpc/access.ts). */
export const grpcToken = z
  .string()
  .min(16, 'must be at least 16 characters: a random secret shared with the peer service');
