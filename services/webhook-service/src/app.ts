import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { Logger } from '@ektola/platform/logger';
import { opsRoutes } from '@ektola/platform/ops';
import { connectRuntime } from '@ektola/platform/runtime';
import type { Config } from './config.ts';

export async function buildApp(config: Config, logger: Logger) {
  const runtime = await connectRuntime({ service: 'webhook-service', config, logger });
  let shuttingDown = false;
  const http = Fastify({ loggerInstance: logger as FastifyBaseLogger });
  await http.register(opsRoutes, { registry: runtime.registry, checks: runtime.readiness, isShuttingDown: () => shuttingDown });

  return {
    http,
    async start() {
      await http.listen({ host: config.HOST, port: config.PORT });
    },
    async stop() {
      shuttingDown = true;
      await http.close();
      await runtime.close();
    },
  };
}
