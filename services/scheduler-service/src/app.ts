import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock, type Clock } from '@ektola/platform/clock';
import { grpcHealthReadiness } from '@ektola/platform/grpc';
import type { Logger } from '@ektola/platform/logger';
import { createMetricsRegistry } from '@ektola/platform/metrics';
import { createOpsServer } from '@ektola/platform/ops';
import { createGrpcCampaignDirectory } from './adapters/grpc-campaign-directory.ts';
import type { Config } from './config.ts';
import { runSchedulerPass, type PassResult } from './domain/scheduler-pass.ts';
import { simulatedClock } from './simulated-clock.ts';
import { createSchedulerMetrics } from './transport/scheduler-metrics.ts';

export interface Started {
  /** Set for a single pass: settles with the exit code (0 when the pass did all its work). */
  finished?: Promise<number>;
  /** The ops server's port (useful when OPS_PORT is 0). */
  opsPort: number;
}

/**
 * The scheduler: one pass and done (the CronJob), or a pass every SCHEDULER_EVERY (local development).
 * The ops server answers /healthz, /readyz (the campaign-service's grpc.health.v1) and /metrics while it runs.
 */
export function buildApp(config: Config, logger: Logger, deps: { clock?: Clock } = {}) {
  const clock = deps.clock ?? systemClock;
  const evaluationClock = config.SCHEDULER_NOW ? simulatedClock(config.SCHEDULER_NOW, clock) : clock;
  const registry = createMetricsRegistry('scheduler-service');
  const passMetrics = createSchedulerMetrics(registry);
  const directory = createGrpcCampaignDirectory({
    address: config.CAMPAIGN_GRPC_ADDRESS,
    token: config.GRPC_TOKEN,
    deadlineMs: config.CAMPAIGN_GRPC_DEADLINE_MS,
    pageSize: config.SCHEDULER_PAGE_SIZE,
    logger,
  });
  const stopping = new AbortController();
  const ops = createOpsServer({
    registry,
    checks: { 'campaign-service': grpcHealthReadiness(config.CAMPAIGN_GRPC_ADDRESS) },
    isShuttingDown: () => stopping.signal.aborted,
    logger,
    host: config.HOST,
    port: config.OPS_PORT,
  });

  const pass = async (): Promise<PassResult> => {
    const result = await runSchedulerPass(
      {
        directory,
        clock,
        evaluationClock,
        graceWindowMs: config.SCHEDULER_GRACE_WINDOW,
        concurrency: config.SCHEDULER_CONCURRENCY,
        logger,
      },
      stopping.signal,
    );
    passMetrics.record(result);
    const line = {
      ...result.summary,
      evaluatedAt: result.evaluatedAt.toISOString(),
      durationMs: result.finishedAt.getTime() - result.startedAt.getTime(),
      ok: result.ok,
      ...(result.failure ? { failure: result.failure } : {}),
    };
    if (result.ok) logger.info(line, 'scheduler pass finished');
    else logger.error(line, 'scheduler pass failed');
    return result;
  };

  const loop = async (everyMs: number) => {
    while (!stopping.signal.aborted) {
      const began = clock.now().getTime();
      try {
        await pass();
      } catch (error) {
        logger.error({ err: error }, 'scheduler pass crashed');
      }
      const waitMs = Math.max(0, everyMs - (clock.now().getTime() - began));
      await sleep(waitMs, undefined, { signal: stopping.signal }).catch((error: unknown) => {
        if (!stopping.signal.aborted) throw error;
      });
    }
  };

  let work: Promise<unknown> = Promise.resolve();

  return {
    registry,
    async start(): Promise<Started> {
      const opsPort = await ops.start();
      if (config.SCHEDULER_EVERY) {
        logger.info({ everyMs: config.SCHEDULER_EVERY }, 'scheduler looping');
        work = loop(config.SCHEDULER_EVERY);
        return { opsPort };
      }
      const finished = pass().then((result) => (result.ok ? 0 : 1));
      work = finished;
      return { opsPort, finished };
    },
    async stop() {
      stopping.abort();
      // A pass stops starting CreateRun calls at once; the ones in flight end within their deadline.
      await work.catch(() => undefined);
      await ops.stop();
      directory.close();
    },
  };
}
