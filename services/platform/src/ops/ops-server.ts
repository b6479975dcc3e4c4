import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger.ts';
import { lazyRequestLogger } from '../http/request-logger.ts';
import { checkReadiness, type ReadinessCheck } from './readiness.ts';

export { checkReadiness, withTimeout, type ReadinessCheck, type ReadinessReport } from './readiness.ts';

export interface OpsRoutesOptions {
  registry: Registry;
  checks: Record<string, ReadinessCheck>;
  /** Becomes true once shutdown begins, so the load balancer stops sending work first. */
  isShuttingDown?: () => boolean;
  /**
   * True until the service has finished starting (consumers running, start-up passes done): a service
   * that listens for probes before then is not ready yet, whatever its dependencies say.
   */
  isStarting?: () => boolean;
}

/** `/healthz`, `/readyz` and `/metrics`, mounted on a service's own HTTP server or on a dedicated one. */
export const opsRoutes: FastifyPluginAsync<OpsRoutesOptions> = async (app, options) => {
  app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));

  app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
    if (options.isShuttingDown?.()) {
      return reply.code(503).send({ status: 'unavailable', reason: 'shutting down', checks: {} });
    }
    if (options.isStarting?.()) {
      return reply.code(503).send({ status: 'unavailable', reason: 'starting', checks: {} });
    }
    const report = await checkReadiness(options.checks);
    return reply
      .code(report.ready ? 200 : 503)
      .send({ status: report.ready ? 'ready' : 'unavailable', checks: report.checks });
  });

  app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
    reply.header('content-type', options.registry.contentType);
    return options.registry.metrics();
  });
};
// Routes are meant to live at the root of whichever server mounts them.
(opsRoutes as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

export interface OpsServer {
  app: FastifyInstance;
  /** Resolves with the bound port (useful when asked for port 0). */
  start(): Promise<number>;
  stop(): Promise<void>;
}

/** A small HTTP server for services whose real work is not HTTP (dispatcher, scheduler). */
export function createOpsServer(options: OpsRoutesOptions & { logger: Logger; host: string; port: number }): OpsServer {
  const app = Fastify({ loggerInstance: options.logger as FastifyBaseLogger, childLoggerFactory: lazyRequestLogger });
  void app.register(opsRoutes, options);
  return {
    app,
    async start() {
      await app.listen({ host: options.host, port: options.port });
      const address = app.server.address();
      return typeof address === 'object' && address ? address.port : options.port;
    },
    async stop() {
      await app.close();
    },
  };
}
