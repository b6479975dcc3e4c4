import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '@ektola/platform/clock';
import { operatorOverview } from '../../domain/operator-overview.ts';
import type { DispatchQuery, RunLedger, TemplateCatalog } from '../../domain/ports.ts';
import { presentRun } from './presenters.ts';
import { errorSchema, runSchema } from './schemas.ts';

export interface OverviewRouteDependencies {
  runs: RunLedger;
  templates: TemplateCatalog;
  dispatch: DispatchQuery;
  clock: Clock;
}

const rate = z.number().nullable().describe('A share from 0 to 1; null when no message reached Meta');

const overviewSchema = z.object({
  runs: z
    .array(runSchema)
    .describe('Runs of every campaign scheduled within the last 7 days, newest first, at most 50'),
  messages: z.object({
    byStatus: z
      .record(z.string(), z.number().int())
      .describe('Messages created in the last 24 hours by their status now (pending, sent, delivered, read, …)'),
    total: z.number().int(),
    rates: z.object({ delivered: rate, read: rate }),
  }),
  sendsPerMinute: z
    .array(z.object({ minute: z.string(), count: z.number().int() }))
    .describe('Messages Meta accepted in each of the last 60 minutes, oldest first'),
  alerts: z
    .array(
      z.object({
        kind: z.enum(['breaker_open', 'tier_limit', 'account_error', 'sender_unavailable', 'template_paused']),
        message: z.string(),
        templateId: z.uuid().optional(),
        templateName: z.string().optional(),
      }),
    )
    .describe('What an operator must see now; empty when sending is free'),
});

export function overviewRoutes(app: FastifyInstance, deps: OverviewRouteDependencies) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/overview',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['overview'],
        summary:
          "The operator's overview: runs of the last 7 days, the last day's messages by status with delivered and read rates, sends per minute of the last hour, and alerts (breaker open, tier limit, account error, template paused by Meta)",
        response: { 200: overviewSchema, 401: errorSchema, 403: errorSchema, 503: errorSchema },
      },
    },
    async () => {
      const overview = await operatorOverview(deps);
      return { ...overview, runs: overview.runs.map(presentRun) };
    },
  );
}
