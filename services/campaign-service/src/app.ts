import Fastify, { type FastifyBaseLogger } from 'fastify';
import { createGrpcServer } from '@ektola/platform/grpc';
import type { Logger } from '@ektola/platform/logger';
import { opsRoutes } from '@ektola/platform/ops';
import { connectRuntime } from '@ektola/platform/runtime';
import type { Config } from './config.ts';

const migrations = new URL('../migrations/', import.meta.url).pathname;

export async function buildApp(config: Config, logger: Logger) {
  const runtime = await connectRuntime({
    service: 'campaign-service',
    config,
    logger,
    database: { schema: 'campaign', migrations },
  });
  let shuttingDown = false;
  const http = Fastify({ loggerInstance: logger as FastifyBaseLogger });
  await http.register(opsRoutes, { registry: runtime.registry, checks: runtime.readiness, isShuttingDown: () => shuttingDown });
  const grpc = createGrpcServer({ host: config.HOST, port: config.GRPC_PORT, logger });

  return {
    http,
    async start() {
      await http.listen({ host: config.HOST, port: config.PORT });
      await grpc.start();
    },
    async stop() {
      shuttingDown = true;
      await http.close();
      await grpc.stop();
      await runtime.close();
    },
  };
}
