import { isDomainError } from '@ektola/platform/errors';
import {
  callServerStream,
  callUnary,
  createGrpcClient,
  loadEktolaProto,
  type FindFrequencyCappedResponse,
  type GetRunReportsResponse,
  type ListMessagesResponse,
  type MessageBatch,
  type RunReport,
  type RunRecipientBatch,
  type RunStats,
} from '@ektola/platform/grpc';
import type { DispatchQuery, RunMessageStats } from '../domain/ports.ts';
import type { MessageReport } from '../domain/run-report.ts';

const reportOf = (report: RunReport): MessageReport & { runId: string } => ({
  runId: report.runId,
  total: report.total,
  counts: {
    pending: report.pending,
    sending: report.sending,
    sent: report.sent,
    delivered: report.delivered,
    read: report.read,
    failed: report.failed,
    skipped: report.skipped,
  },
  reached: report.reached,
  failedAfterSend: report.failedAfterSend,
  skippedByReason: Object.fromEntries(report.skippedByReason.map((skip) => [skip.reason, skip.count])),
  errors: report.errors,
  billable: report.billable,
  billableMessages: report.billableMessages,
});

/** The dispatcher's DispatchQuery, as much of it as the public API shows. */
export function createGrpcDispatchQuery(options: {
  address: string;
  deadlineMs: number;
  token: string;
  /** How long an export stream may run in all; a million messages take minutes. */
  exportDeadlineMs?: number;
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

    async runReports(runIds) {
      const response = await callUnary<{ runIds: string[] }, GetRunReportsResponse>(
        client.getRunReports.bind(client),
        { runIds: [...runIds] },
        call,
      );
      return response.reports.map(reportOf);
    },

    async frequencyCapped(contactIds, cap) {
      const response = await callUnary<object, FindFrequencyCappedResponse>(
        client.findFrequencyCapped.bind(client),
        { contactIds: [...contactIds], maxMessages: cap.maxMessages, windowSeconds: cap.windowHours * 3_600 },
        call,
      );
      return response.contactIds;
    },

    async *exportMessages(runId) {
      const stream = callServerStream<{ runId: string; batchSize: number }, MessageBatch>(
        client.exportRunMessages.bind(client),
        { runId, batchSize: 0 },
        { deadlineMs: options.exportDeadlineMs ?? 3_600_000 },
      );
      for await (const batch of stream) yield batch.messages;
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
