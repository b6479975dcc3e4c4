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
  outcomes = new Map<string, Array<{ contactId: string; status: string; errorCode?: number; replied?: boolean }>>(),
  /** Contacts the frequency cap stops, whatever the cap asked. */
  capped = new Set<string>(),
) {
  const logger = createLogger({ service: 'fake-dispatcher', level: 'silent' });
  const access = grpcAccess({ 'campaign-service': testGrpcTokens['campaign-service'] });
  const server = createGrpcServer({ host: '127.0.0.1', port, logger, access });
  const listRequests: Array<{ runId: string; status: string; errorCode: number; pageSize: number; pageToken: string }> =
    [];
  /** What ListConversation and ListReplies were asked. */
  const replyRequests: object[] = [];
  async function writeRecipients(
    request: { runId: string; statuses: string[]; errorCodes: number[] },
    replied: boolean | undefined,
    write: (batch: { contactIds: string[] }) => Promise<void>,
  ) {
    const matching = (outcomes.get(request.runId) ?? [])
      .filter((message) => request.statuses.includes(message.status))
      .filter((message) => request.errorCodes.length === 0 || request.errorCodes.includes(message.errorCode ?? 0))
      .filter((message) => replied === undefined || (message.replied ?? false) === replied)
      .map((message) => message.contactId)
      .sort();
    // Two contacts a batch, so the campaign-service is shown staging more than one.
    for (let start = 0; start < matching.length; start += 2)
      await write({ contactIds: matching.slice(start, start + 2) });
  }
  const handlers: DispatchQueryHandlers = {
    // Every number asked about, idle and sending at Meta's default throughput.
    GetSenderActivity: unaryHandler('GetSenderActivity', logger, async (request) => ({
      senders: request.phoneNumberIds.map((phoneNumberId) => ({
        phoneNumberId,
        sentLastMinute: 0,
        peakPerSecond: 0,
        pending: 0,
        sending: 0,
        mps: 80,
        heldReason: '',
        recipientsLastDay: 0,
        messagingLimit: 0,
      })),
    })),
    // A run's delivered and failed messages as sent in its first minute, nothing the next, the rest the one after.
    GetRunSendsPerMinute: unaryHandler('GetRunSendsPerMinute', logger, async (request) => {
      const run = runs.get(request.runId);
      if (!run) throw notFound('run', request.runId);
      return {
        minutes: [
          { minute: '2030-01-01T09:00:00.000Z', count: run.delivered },
          { minute: '2030-01-01T09:01:00.000Z', count: 0 },
          { minute: '2030-01-01T09:02:00.000Z', count: run.failed },
        ],
      };
    }),
    // The runs' counts as the last day's messages; the tier held back, plus a kind no campaign-service knows yet.
    GetSendingOverview: unaryHandler('GetSendingOverview', logger, async () => {
      const all = [...runs.values()];
      const sum = (pick: (run: { total: number; delivered: number; failed: number }) => number) =>
        all.reduce((total, run) => total + pick(run), 0);
      return {
        messagesLastDay: [
          { status: 'DELIVERED', count: sum((run) => run.delivered) },
          { status: 'FAILED', count: sum((run) => run.failed) },
          { status: 'PENDING', count: sum((run) => run.total - run.delivered - run.failed) },
        ],
        sendsPerMinute: [
          { minute: '2030-01-01T08:59:00.000Z', count: 0 },
          { minute: '2030-01-01T09:00:00.000Z', count: sum((run) => run.delivered + run.failed) },
        ],
        alerts: [
          { kind: 'tier_limit', message: 'the daily messaging tier is exhausted' },
          { kind: 'solar_flare', message: 'a kind from a newer dispatcher' },
        ],
      };
    }),
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
    StreamRunRecipients: serverStreamHandler('StreamRunRecipients', logger, async (request, write) =>
      writeRecipients(request, undefined, write),
    ),
    StreamRepliedRecipients: serverStreamHandler('StreamRepliedRecipients', logger, async (request, write) =>
      writeRecipients(request.recipients!, request.replied, write),
    ),
    GetRunReplyReports: unaryHandler('GetRunReplyReports', logger, async (request) => ({
      reports: request.runIds.flatMap((runId) => {
        const replied = (outcomes.get(runId) ?? []).filter((message) => message.replied).length;
        return replied > 0 ? [{ runId, replied, byButton: [{ payload: 'YES', text: 'Yes', count: replied }] }] : [];
      }),
    })),
    // One campaign message and the contact's answer to it; a second page only when none was asked for.
    ListConversation: unaryHandler('ListConversation', logger, async (request) => {
      replyRequests.push(request);
      const messageId = '00000000-0000-4000-8000-000000000001';
      return {
        entries: [
          {
            direction: 'outbound',
            id: messageId,
            at: '2030-01-01T00:00:00.000Z',
            runId: '00000000-0000-4000-8000-0000000000aa',
            campaignId: '00000000-0000-4000-8000-0000000000bb',
            templateName: 'gold_loan_reminder',
            status: 'READ',
            wamid: 'wamid.1',
            readAt: '2030-01-01T00:01:00.000Z',
            repliedAt: '2030-01-01T00:02:00.000Z',
          },
          {
            direction: 'inbound',
            id: 'wamid.IN1',
            at: '2030-01-01T00:02:00.000Z',
            type: 'button',
            text: 'Paid',
            payload: 'PAID',
            inReplyTo: messageId,
          },
        ],
        nextPageToken: request.pageToken ? '' : 'conversation-2',
      };
    }),
    ListReplies: unaryHandler('ListReplies', logger, async (request) => {
      replyRequests.push(request);
      return {
        replies: [{ id: 'wamid.IN2', phone: '+919876500001', type: 'text', text: 'Thanks', receivedAt: request.since }],
        nextPageToken: '',
      };
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
  return { listRequests, replyRequests, stop: () => server.stop(100) };
}
