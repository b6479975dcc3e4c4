import { isDomainError } from '@ektola/platform/errors';
import {
  callServerStream,
  callUnary,
  createGrpcClient,
  loadEktolaProto,
  type ListMessagesResponse,
  type RunRecipientBatch,
  type RunStats,
} from '@ektola/platform/grpc';
import type { DispatchQuery, RunMessageStats } from '../domain/ports.ts';

/** The dispatcher's DispatchQuery, as much of it as the public API shows. */
export function createGrpcDispatchQuery(options: {
  address: string;
  deadlineMs: number;
  token: string;
}): DispatchQuery & { close(): void } {
  const proto = loadEktolaProto();
  const client = createGrpcClient(proto.ektola.v1.DispatchQuery, options.address, { token: options.token });
  const call = { deadlineMs: options.deadlineMs };
  return {
    /** Counts by status; a run the dispatcher has not fanned out yet has none. */
    async runStats(runId: string): Promise<RunMessageStats> {
      try {
        const stats = await callUnary<{ runId: string }, RunStats>(client.getRunStats.bind(client), { runId }, call);
        return {
          total: stats.total,
          pending: stats.pending,
          sending: stats.sending,
          sent: stats.sent,
          delivered: stats.delivered,
          read: stats.read,
          failed: stats.failed,
          skipped: stats.skipped,
          waitingReason: stats.waitingReason || null,
        };
      } catch (error) {
        if (isDomainError(error) && error.kind === 'not_found') {
          return {
            total: 0,
            pending: 0,
            sending: 0,
            sent: 0,
            delivered: 0,
            read: 0,
            failed: 0,
            skipped: 0,
            waitingReason: null,
          };
        }
        throw error;
      }
    },

    async listMessages(request) {
      return callUnary<typeof request, ListMessagesResponse>(client.listMessages.bind(client), request, call);
    },

    /** Batches as the dispatcher writes them: a slow consumer holds the stream back, nothing piles up here. */
    async *runRecipients(filter) {
      // A long deadline: a run of a million messages streams for longer than any unary call takes.
      const stream = callServerStream<object, RunRecipientBatch>(
        client.streamRunRecipients.bind(client),
        {
          runId: filter.runId,
          statuses: filter.statuses,
          errorCodes: filter.errorCodes,
          batchSize: 5_000,
        },
        { deadlineMs: 30 * 60_000 },
      );
      for await (const batch of stream) yield batch.contactIds;
    },

    close: () => client.close(),
  };
}
