import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { systemClock, type Clock } from '@ektola/platform/clock';
import { createLogger, type Logger } from '@ektola/platform/logger';
import { createMetricsRegistry, Gauge } from '@ektola/platform/metrics';
import { opsRoutes } from '@ektola/platform/ops';
import { lazyRequestLogger } from '@ektola/platform/request-logger';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { ZodError } from 'zod';
import { TemplateReviewer } from './adapters/template-reviewer.ts';
import { WebhookSender } from './adapters/webhook-sender.ts';
import { CloudApi } from './cloud-api.ts';
import { initialNumbers, initialSettings, type SimulatorConfig } from './config.ts';
import { metaError } from './domain/meta-errors.ts';
import { toTemplate, type Template } from './domain/template-catalog.ts';
import { AdminError, adminRoutes } from './transport/admin-routes.ts';
import { graphRoutes, unknownPath } from './transport/graph-routes.ts';
import { HeldRequests } from './transport/held-requests.ts';
import { numberAdminRoutes } from './transport/number-admin-routes.ts';
import { templateAdminRoutes } from './transport/template-admin-routes.ts';

export { configSchema, type SimulatorConfig } from './config.ts';
export type { CloudApi } from './cloud-api.ts';

export interface SimulatorDeps {
  logger?: Logger;
  clock?: Clock;
  /** Every probabilistic choice (failure shares, error rates, latency) draws from this. */
  random?: () => number;
}

export interface Simulator {
  app: FastifyInstance;
  api: CloudApi;
  /** Listens on the configured host and port (0 for any free port) and returns the base URL. */
  start(): Promise<{ url: string }>;
  stop(): Promise<void>;
}

const defaultTemplatesFile = new URL('../templates/default-templates.json', import.meta.url);

/** A seed file holds an array of templates, or a saved `message_templates` answer (`{"data": […]}`). */
export function loadTemplates(file: string | URL): Template[] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const list = Array.isArray(parsed) ? parsed : (parsed as { data?: unknown }).data;
  if (!Array.isArray(list)) throw new Error(`${String(file)}: expected an array of templates or {"data": [...]}`);
  return list.map((entry, index) => {
    try {
      return toTemplate(entry);
    } catch (error) {
      throw new Error(
        `${String(file)}: template ${index} is invalid: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  });
}

/**
 * The simulator as one Fastify app: Meta's Graph paths, the `/_sim` admin API and the ops endpoints.
 * main.ts starts it from the environment; other packages' tests start it in-process on port 0.
 */
export function createSimulator(config: SimulatorConfig, deps: SimulatorDeps = {}): Simulator {
  const clock = deps.clock ?? systemClock;
  const random = deps.random ?? Math.random;
  const logger = deps.logger ?? createLogger({ service: 'whatsapp-simulator', level: config.LOG_LEVEL });
  const seed = loadTemplates(config.SIMULATOR_TEMPLATES_FILE ?? defaultTemplatesFile);

  let api: CloudApi | undefined;
  const webhooks = new WebhookSender({
    settings: () => api!.settings.webhooks,
    appSecret: config.WHATSAPP_APP_SECRET,
    connections: config.SIMULATOR_WEBHOOK_CONNECTIONS,
    clock,
    random,
    logger,
  });
  api = new CloudApi({
    accessToken: config.WHATSAPP_ACCESS_TOKEN,
    wabaId: config.WHATSAPP_BUSINESS_ACCOUNT_ID,
    numbers: () => initialNumbers(config),
    templates: () => seed,
    settings: initialSettings(config),
    clock,
    random,
    webhooks,
    review: (template) => reviewer.review(template.name, template.language),
  });
  const cloudApi = api;
  const reviewer = new TemplateReviewer({
    catalog: () => cloudApi.catalog,
    wabaId: config.WHATSAPP_BUSINESS_ACCOUNT_ID,
    webhooks,
    reviewMs: () => cloudApi.settings.templates.reviewMs,
    clock,
    logger,
  });
  const hung = new HeldRequests();

  const registry = createMetricsRegistry('whatsapp-simulator');
  new Gauge({
    name: 'simulator_sends',
    help: 'Send requests answered since the last reset, by Meta error code (0 = accepted).',
    labelNames: ['code'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = cloudApi.stats.counts();
      this.set({ code: '0' }, counts.accepted);
      for (const [code, count] of counts.rejected) this.set({ code: String(code) }, count);
    },
  });
  new Gauge({
    name: 'simulator_webhooks',
    help: 'Webhook notifications: delivered, retried, failed, dropped, scheduled, in flight.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      for (const [state, value] of Object.entries(webhooks.stats())) this.set({ state }, value);
    },
  });

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Thousands of sends a second: one log line each would cost more than the sends.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: 1024 * 1024,
    keepAliveTimeout: 75_000,
  });

  app.setErrorHandler((error, request, reply) => {
    if (request.url.startsWith('/_sim')) {
      if (error instanceof ZodError)
        return reply.code(400).send({ error: { message: 'invalid request', issues: error.issues } });
      if (error instanceof AdminError) return reply.code(error.status).send({ error: { message: error.message } });
      const status = (error as { statusCode?: number }).statusCode ?? 500;
      if (status >= 500) request.log.error({ err: error }, 'admin call failed');
      return reply
        .code(status)
        .send({ error: { message: status >= 500 ? 'internal error' : (error as Error).message } });
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status < 500) {
      const problem = metaError(100, `The request body could not be read: ${(error as Error).message}`);
      return reply.code(problem.httpStatus).send(problem.body);
    }
    request.log.error({ err: error }, 'request failed');
    const problem = metaError(131000);
    return reply.code(problem.httpStatus).send(problem.body);
  });

  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/_sim'))
      return reply.code(404).send({ error: { message: `no route for ${request.method} ${request.url}` } });
    return reply.code(400).send(unknownPath(request.url.split('?')[0]!));
  });

  // How late this process ran its callbacks: a send is stamped when its handler runs, so a busy loop
  // stamps sends that arrived spread out as if they arrived together.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();

  void app.register(opsRoutes, { registry, checks: {} });
  graphRoutes(app, cloudApi, hung);
  const admin = {
    api: cloudApi,
    webhooks,
    reviewer,
    initialSettings: () => initialSettings(config),
    clock,
    hung,
    logger,
    loopDelay,
  };
  adminRoutes(app, admin);
  numberAdminRoutes(app, admin);
  templateAdminRoutes(app, admin);

  let pruning: NodeJS.Timeout | undefined;
  return {
    app,
    api: cloudApi,
    async start() {
      await app.listen({ host: config.HOST, port: config.PORT });
      pruning = setInterval(() => cloudApi.prune(), 30_000);
      pruning.unref();
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.PORT;
      const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
      const url = `http://${host}:${port}`;
      logger.info(
        { url, webhooks: cloudApi.settings.webhooks.url ?? 'off', templates: seed.length },
        'simulator listening',
      );
      return { url };
    },
    async stop() {
      clearInterval(pruning);
      loopDelay.disable();
      reviewer.reset();
      hung.releaseAll();
      const closing = app.close();
      // Answers held back by a latency fault are let out; then every connection left is closed,
      // because a client's abandoned keep-alive connection would otherwise hold the stop for seconds.
      await hung.delayedSettled();
      await new Promise((resolve) => setImmediate(resolve));
      app.server.closeAllConnections();
      await closing;
      await webhooks.close();
    },
  };
}
