import closeWithGrace from 'close-with-grace';
import type { z } from 'zod';
import { ConfigError, parseConfig } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { startTelemetry } from './telemetry.ts';

export interface Running {
  /** Stops taking work, finishes or hands back what is in flight, and closes connections. */
  stop(): Promise<void>;
  /**
   * Only for a job that ends by itself (a CronJob pass): settles with the process's exit code when
   * the work is done. runService then stops it, flushes telemetry and exits with that code. `stop()`
   * must let it settle, so a job interrupted by SIGTERM still reports whether its work got done.
   */
  finished?: Promise<number>;
}

interface ServiceConfigBase {
  LOG_LEVEL: string;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  SHUTDOWN_GRACE_MS: number;
}

/**
 * The shared start-up sequence of every service's `main.ts`: validate the environment (a bad value
 * ends the process with exit code 1 and one line per problem), start telemetry before any work,
 * start the service, and turn SIGTERM or SIGINT into a graceful stop bounded by the grace period.
 */
export async function runService<Schema extends z.ZodType<ServiceConfigBase>>(options: {
  service: string;
  env: Record<string, string | undefined>;
  configSchema: Schema;
  start: (config: z.output<Schema>, logger: Logger) => Promise<Running>;
}): Promise<void> {
  let config: z.output<Schema>;
  try {
    config = parseConfig(options.configSchema, options.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${options.service}: ${error.message}\n`);
    process.exit(1);
  }

  const telemetry = await startTelemetry({
    serviceName: options.service,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  const logger = createLogger({ service: options.service, level: config.LOG_LEVEL });

  let running: Running;
  try {
    running = await options.start(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    await telemetry.shutdown().catch(() => undefined);
    process.exit(1);
  }

  let closing = false;
  const graceful = closeWithGrace(
    { delay: config.SHUTDOWN_GRACE_MS, logger: { error: (message: unknown) => logger.error(message) } },
    async ({ signal, err }) => {
      closing = true;
      if (err) logger.error({ err }, 'fatal error; shutting down');
      else if (signal) logger.info({ signal }, 'shutting down');
      await running.stop();
      await telemetry.shutdown().catch((error: unknown) => logger.warn({ err: error }, 'telemetry flush failed'));
      logger.info('stopped');
      // close-with-grace exits 0 after a signal; a job exits with what its work came to.
      if (running.finished && !err) process.exit(await running.finished.catch(() => 1));
    },
  );

  void running.finished?.then(
    () => {
      if (!closing) void graceful.close();
    },
    (error: unknown) => {
      logger.error({ err: error }, 'job failed');
      if (!closing) void graceful.close();
    },
  );
}
