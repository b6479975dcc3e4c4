import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '@ektola/platform/clock';
import { isDomainError } from '@ektola/platform/errors';
import { cancelRun } from '../../domain/cancel-run.ts';
import type { Run } from '../../domain/model.ts';
import type { DispatchQuery, RateCardStore, RunLedger, Transactions } from '../../domain/ports.ts';
import { runResults } from '../../domain/run-results.ts';
import { presentMessage, presentRun } from './presenters.ts';
import { runResultsDetailSchema } from './results-schemas.ts';
import { errorSchema, idParams, messageQuery, messageSchema, pageOf, runSchema } from './schemas.ts';

export interface RunRouteDependencies {
  runs: RunLedger;
  dispatch: DispatchQuery;
  transactions: Transactions;
  clock: Clock;
  rateCards: RateCardStore;
}

const tags = ['runs'];
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

/** What run.completed reported, for when the dispatcher cannot be asked right now. */
function storedCounts(run: Run) {
  if (!run.counts) return null;
  const total = Object.values(run.counts).reduce((sum, count) => sum + count, 0);
  // Runs completed before SKIPPED existed stored no skipped count.
  return {
    total,
    ...run.counts,
    skipped: run.counts.skipped ?? 0,
    waitingReason: null,
    source: 'run.completed' as const,
  };
}

export function runRoutes(app: FastifyInstance, deps: RunRouteDependencies) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/v1/runs/:id',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary:
          "A run with its message counts by status, rates, Meta's errors, pricing and skips, asked of the dispatcher",
        params: idParams,
        response: { 200: runResultsDetailSchema, ...errors },
      },
    },
    async (request) => {
      const run = await deps.runs.get(request.params.id);
      try {
        const [stats, results] = await Promise.all([deps.dispatch.runStats(run.id), runResults(deps, run.id)]);
        return { ...presentRun(run), messages: { ...stats, source: 'dispatcher' as const }, ...results };
      } catch (error) {
        // The run itself is ours and still worth showing when the dispatcher is away.
        if (!isDomainError(error) || error.kind !== 'unavailable') throw error;
        request.log.warn({ err: error, runId: run.id }, 'dispatcher did not answer for run stats');
        return {
          ...presentRun(run),
          messages: storedCounts(run),
          rates: null,
          errors: null,
          pricing: null,
          skipped: null,
          replies: null,
        };
      }
    },
  );

  api.post(
    '/v1/runs/:id/cancel',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary: 'Cancel a REQUESTED run',
        description:
          'Every PENDING message of the run ends SKIPPED (run_cancelled); messages already being sent finish. 409 run_completed when the run already completed, 409 run_already_cancelled when it was cancelled before.',
        params: idParams,
        response: { 200: runSchema, ...errors, 409: errorSchema },
      },
    },
    async (request) => presentRun(await cancelRun(deps, request.params.id)),
  );

  api.get(
    '/v1/runs/:id/sends-per-minute',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: "A run's messages Meta accepted per minute, from its first send to its last, asked of the dispatcher",
        description:
          'Bucketed by sent_at in the dispatcher, empty minutes included, oldest first; at most the first 1,440 minutes. No minutes until the first send.',
        params: idParams,
        response: {
          200: z.object({ minutes: z.array(z.object({ minute: z.string(), count: z.number().int() })) }),
          ...errors,
          503: errorSchema,
        },
      },
    },
    async (request) => {
      const run = await deps.runs.get(request.params.id);
      return { minutes: await deps.dispatch.runSendsPerMinute(run.id) };
    },
  );

  api.get(
    '/v1/runs/:id/messages',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: "A run's messages from the dispatcher, optionally by status and Meta error code",
        params: idParams,
        querystring: messageQuery,
        response: { 200: pageOf(messageSchema), ...errors, 503: errorSchema },
      },
    },
    async (request) => {
      const run = await deps.runs.get(request.params.id);
      const page = await deps.dispatch.listMessages({
        runId: run.id,
        status: request.query.status ?? '',
        errorCode: request.query.code ?? 0,
        pageSize: request.query.limit,
        pageToken: request.query.cursor ?? '',
      });
      return { items: page.messages.map(presentMessage), nextCursor: page.nextPageToken || null };
    },
  );
}
