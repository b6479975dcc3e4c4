import { z } from 'zod';
import { baseEnv, port } from '@ektola/platform/config';

export const configSchema = z.object({
  ...baseEnv,
  HOST: z.string().default('0.0.0.0'),
  PORT: port.default(8081),
});

export type Config = z.output<typeof configSchema>;
