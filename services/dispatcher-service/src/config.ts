import { z } from 'zod';
import { baseEnv, port } from '@ektola/platform/config';

export const configSchema = z.object({
  ...baseEnv,
  HOST: z.string().default('0.0.0.0'),
  OPS_PORT: port.default(8082),
  GRPC_PORT: port.default(50052),
  CAMPAIGN_GRPC_ADDRESS: z.string().min(1).default('127.0.0.1:50051'),
});

export type Config = z.output<typeof configSchema>;
