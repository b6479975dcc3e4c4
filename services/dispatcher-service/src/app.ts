import { createGrpcServer } from '@ektola/platform/grpc';
import type { Logger } from '@ektola/platform/logger';
import { createOpsServer } from '@ektola/platform/ops';
import { connectRuntime } from '@ektola/platform/runtime';
import type { Config } from './config.ts';

const migrations = new URL('../migrations/', import.meta.url).pathname;

export async function buildApp(config: Config, logger: Logger) {
  const runtime = await connectRuntime({
    service: 'dispatcher-service',
    config,
    logger,
    database: { schema: 'dispatch', migrations },
  });
  let shuttingDown = false;
  const ops = createOpsServer({
    logger,
    host: config.HOST,
    port: config.OPS_PORT,
    registry: runtime.registry,
    checks: runtime.readiness,
    isShuttingDown: () => shuttingDown,
  });
  const grpc = createGrpcServer({ host: config.HOST, port: config.GRPC_PORT, logger });

  return {
    ops,
    async start() {
      await ops.start();
      await grpc.start();
    },
    async stop() {
      shuttingDown = true;
      await grpc.stop();
      await runtime.close();
      await ops.stop();
    },
  };
}
