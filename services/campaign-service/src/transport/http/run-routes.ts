import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { isDomainError } from '@ektola/platform/errors';
import type { DispatchQuery } from '../../adapters/grpc-dispatch-query.ts';
import type { RunStore } from '../../adapters/postgres-run-store.ts';
import type { Run } from '../../domain/model.ts';
import { presentMessage, presentRun } from './presenters.ts';
import { errorSchema, idParams, messageQuery, messageSchema, pageOf, runDetailSchema } from './schemas.ts';

export interface RunRouteDependencies {
  runs: RunStore;
  dispatch: DispatchQuery;
}

const tags = ['runs'];
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

/** What run.completed reported, for when the dispatcher cannot be asked right now. */
function storedCounts(run: Run) {
  if (!run.counts) return null;
  const total = Object.values(run.counts).reduce((sum, count) => sum + count, 0);
  return { total, ...run.counts, waitingReason: null, source: 'run.completed' as const };
}

export function runRoutes(app: FastifyInstance, deps: RunRouteDependencies) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/v1/runs/:id',
    { config: { permission: 'read' }, schema: { tags, summary: 'A run with its message counts by status, asked of the dispatcher', params: idParams, response: { 200: runDetailSchema, ...errors } } },
    async (request) => {
      const run = await deps.runs.get(request.params.id);
      try {
        const stats = await deps.dispatch.runStats(run.id);
        return { ...presentRun(run), messages: { ...stats, source: 'dispatcher' as const } };
      } catch (error) {
        // The run itself is ours and still worth showing when the dispatcher is away.
        if (!isDomainError(error) || error.kind !== 'unavailable') throw error;
        request.log.warn({ err: error, runId: run.id }, 'dispatcher did not answer for run stats');
        return { ...presentRun(run), messages: storedCounts(run) };
      }
    },
  );

  api.get(
    '/v1/runs/:id/messages',
    {
      config: { permission: 'read' },
      schema: { tags, summary: "A run's messages from the dispatcher, optionally by status", params: idParams, querystring: messageQuery, response: { 200: pageOf(messageSchema), ...errors, 503: errorSchema } },
    },
    async (request) => {
      const run = await deps.runs.get(request.params.id);
      const page = await deps.dispatch.listMessages({
        runId: run.id,
        status: request.query.status ?? '',
        pageSize: request.query.limit,
        pageToken: request.query.cursor ?? '',
      });
      return { items: page.messages.map(presentMessage), nextCursor: page.nextPageToken || null };
    },
  );
}
