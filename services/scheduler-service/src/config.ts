import { z } from 'zod';
import { httpUrl, logLevel, port, positiveInt } from '@ektola/platform/config';

export const configSchema = z.object({
  LOG_LEVEL: logLevel.default('info'),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  SHUTDOWN_GRACE_MS: positiveInt.default(10_000),
  HOST: z.string().default('0.0.0.0'),
  OPS_PORT: port.default(8083),
  CAMPAIGN_GRPC_ADDRESS: z.string().min(1).default('127.0.0.1:50051'),
});

export type Config = z.output<typeof configSchema>;
