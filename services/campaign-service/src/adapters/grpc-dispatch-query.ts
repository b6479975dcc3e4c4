import { isDomainError } from '@ektola/platform/errors';
import {
  callServerStream,
  callUnary,
  createGrpcClient,
  loadEktolaProto,
  type GetRunReplyReportsResponse,
  type FindFrequencyCappedResponse,
  type GetRunReportsResponse,
  type ListConversationResponse,
  type DispatchMessage,
  type ListMessagesResponse,
  type ListRepliesResponse,
  type MessageBatch,
  type RunReport,
  type RunRecipientBatch,
  type RunStats,
  type RunSendsPerMinute,
  type SendingOverview as GrpcSendingOverview,
} from '@ektola/platform/grpc';
import type { DispatchQuery, RunMessageStats, SenderActivity, SendingAlert } from '../domain/ports.ts';
import type { MessageReport } from '../domain/run-report.ts';

type ReplyReport = GetRunReplyReportsResponse['reports'][number];

/** GetSenderActivityResponse as the generated types read it (proto3 fills absent fields with zeros and ''). */
interface SenderActivityAnswer {
  senders: Array<
    Omit<SenderActivity, 'heldReason' | 'messagingLimit'> & { heldReason: string; messagingLimit: number }
  >;
}

const alertKinds: ReadonlySet<string> = new Set<SendingAlert['kind']>([
  'breaker_open',
  'tier_limit',
  'account_error',
  'sender_unavailable',
]);
const isAlertKind = (kind: string): kind is SendingAlert['kind'] => alertKinds.has(kind);

const reportOf = (report: RunReport, replies: ReplyReport | undefined): MessageReport & { runId: string } => ({
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
  replied: replies?.replied ?? 0,
  repliesByButton: replies?.byButton ?? [],
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

    async message(id) {
      return callUnary<{ id: string }, DispatchMessage>(client.getMessage.bind(client), { id }, call);
    },

    async senderActivity(phoneNumberIds) {
      const answer = await callUnary<{ phoneNumberIds: string[] }, SenderActivityAnswer>(
        client.getSenderActivity.bind(client),
        { phoneNumberIds: [...phoneNumberIds] },
        call,
      );
      return answer.senders.map((activity) => ({
        ...activity,
        heldReason: activity.heldReason || null,
        // 0 is the dispatcher's word for no limit.
        messagingLimit: activity.messagingLimit || null,
      }));
    },

    async sendingOverview() {
      const overview = await callUnary<object, GrpcSendingOverview>(client.getSendingOverview.bind(client), {}, call);
      return {
        ...overview,
        // A kind this campaign-service does not know yet is left out rather than shown wrong.
        alerts: overview.alerts.flatMap(({ kind, message }) => (isAlertKind(kind) ? [{ kind, message }] : [])),
      };
    },

    async runSendsPerMinute(runId) {
      const answer = await callUnary<{ runId: string }, RunSendsPerMinute>(
        client.getRunSendsPerMinute.bind(client),
        { runId },
        call,
      );
      return answer.minutes;
    },

    async listMessages(request) {
      return callUnary<typeof request, ListMessagesResponse>(client.listMessages.bind(client), request, call);
    },

    /** The messages' report and the replies' report of each run, asked together and joined by run. */
    async runReports(runIds) {
      const request = { runIds: [...runIds] };
      const [messages, replies] = await Promise.all([
        callUnary<{ runIds: string[] }, GetRunReportsResponse>(client.getRunReports.bind(client), request, call),
        callUnary<{ runIds: string[] }, GetRunReplyReportsResponse>(
          client.getRunReplyReports.bind(client),
          request,
          call,
        ),
      ]);
      const byRun = new Map(replies.reports.map((report) => [report.runId, report]));
      return messages.reports.map((report) => reportOf(report, byRun.get(report.runId)));
    },

    async conversation(request) {
      return callUnary<typeof request, ListConversationResponse>(client.listConversation.bind(client), request, call);
    },

    async replies(request) {
      return callUnary<typeof request, ListRepliesResponse>(client.listReplies.bind(client), request, call);
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
      const recipients = {
        runId: filter.runId,
        statuses: filter.statuses,
        errorCodes: filter.errorCodes,
        batchSize: 5_000,
      };
      const options = { deadlineMs: 30 * 60_000 };
      const stream =
        filter.replied === undefined
          ? callServerStream<object, RunRecipientBatch>(client.streamRunRecipients.bind(client), recipients, options)
          : callServerStream<object, RunRecipientBatch>(
              client.streamRepliedRecipients.bind(client),
              { recipients, replied: filter.replied },
              options,
            );
      for await (const batch of stream) yield batch.contactIds;
    },

    close: () => client.close(),
  };
}
