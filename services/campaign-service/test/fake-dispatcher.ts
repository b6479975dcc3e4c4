import {
  createGrpcServer,
  grpcAccess,
  loadEktolaProto,
  serverStreamHandler,
  unaryHandler,
  type DispatchQueryHandlers,
} from '@ektola/platform/grpc';
import { notFound } from '@ektola/platform/errors';
import { createLogger } from '@ektola/platform/logger';
import { testGrpcTokens } from '@ektola/platform/testing';

/**
 * A DispatchQuery server implementing our own proto, standing in for the dispatcher-service (built at
 * the same time) so the run endpoints can be shown end to end over real gRPC.
 */
export async function startFakeDispatcher(
  port: number,
  runs: Map<string, { total: number; delivered: number; failed: number }>,
  exports = { batches: 0, written: 0 },
  outcomes = new Map<string, Array<{ contactId: string; status: string; errorCode?: number }>>(),
  /** Contacts the frequency cap stops, whatever the cap asked. */
  capped = new Set<string>(),
) {
  const logger = createLogger({ service: 'fake-dispatcher', level: 'silent' });
  const access = grpcAccess({ 'campaign-service': testGrpcTokens['campaign-service'] });
  const server = createGrpcServer({ host: '127.0.0.1', port, logger, access });
  const listRequests: Array<{ runId: string; status: string; pageSize: number; pageToken: string }> = [];
  const handlers: DispatchQueryHandlers = {
    GetRunStats: unaryHandler('GetRunStats', logger, async (request) => {
      const run = runs.get(request.runId);
      if (!run) throw notFound('run', request.runId);
      return {
        runId: request.runId,
        total: run.total,
        delivered: run.delivered,
        failed: run.failed,
        pending: run.total - run.delivered - run.failed,
        completed: false,
        waitingReason: 'tier limit reached',
      };
    }),
    ListMessages: unaryHandler('ListMessages', logger, async (request) => {
      listRequests.push(request);
      return {
        messages: [
          {
            id: 'm1',
            runId: request.runId,
            contactId: 'c1',
            phone: '+919876500001',
            status: request.status || 'DELIVERED',
            wamid: request.status === 'SKIPPED' ? '' : 'wamid.1',
            attempts: 1,
            createdAt: '2030-01-01T00:00:00Z',
            ...(request.status === 'SKIPPED' ? { skipReason: 'opted_out', skippedAt: '2030-01-01T00:01:00Z' } : {}),
          },
        ],
        nextPageToken: request.pageToken ? '' : 'page-2',
      };
    }),
    StreamRunRecipients: serverStreamHandler('StreamRunRecipients', logger, async (request, write) => {
      const matching = (outcomes.get(request.runId) ?? [])
        .filter((message) => request.statuses.includes(message.status))
        .filter((message) => request.errorCodes.length === 0 || request.errorCodes.includes(message.errorCode ?? 0))
        .map((message) => message.contactId)
        .sort();
      // Two contacts a batch, so the campaign-service is shown staging more than one.
      for (let start = 0; start < matching.length; start += 2)
        await write({ contactIds: matching.slice(start, start + 2) });
    }),
    FindFrequencyCapped: unaryHandler('FindFrequencyCapped', logger, async (request) => ({
      contactIds: request.contactIds.filter((contactId) => capped.has(contactId)),
    })),
    GetMessage: unaryHandler('GetMessage', logger, async (request) => {
      throw notFound('message', request.id);
    }),
    GetRunReports: unaryHandler('GetRunReports', logger, async (request) => ({
      reports: request.runIds.flatMap((runId) => {
        const run = runs.get(runId);
        if (!run) return [];
        return [
          {
            runId,
            total: run.total,
            delivered: run.delivered,
            failed: run.failed,
            pending: run.total - run.delivered - run.failed,
            reached: run.delivered + run.failed,
            failedAfterSend: run.failed,
          },
        ];
      }),
    })),
    // A run of `exports.batches` batches of 500 made up as they are written; `written` counts the batches the
    // caller's reading let through.
    ExportRunMessages: serverStreamHandler('ExportRunMessages', logger, async (request, write, signal) => {
      for (let batch = 0; batch < exports.batches && !signal.aborted; batch++) {
        await write({
          messages: Array.from({ length: 500 }, (_, index) => {
            const number = batch * 500 + index;
            return {
              id: `00000000-0000-4000-8000-${String(number).padStart(12, '0')}`,
              runId: request.runId,
              contactId: `contact-${number}`,
              phone: `+9198${String(number).padStart(8, '0')}`,
              status: 'READ',
              category: 'utility',
              billable: true,
              sentAt: '2030-01-01T00:00:00.000Z',
            };
          }),
        });
        exports.written++;
      }
    }),
  };
  server.server.addService(loadEktolaProto().ektola.v1.DispatchQuery.service, handlers);
  await server.start();
  return { listRequests, stop: () => server.stop(100) };
}
