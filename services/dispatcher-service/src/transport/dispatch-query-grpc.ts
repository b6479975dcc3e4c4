import { invalid, notFound } from '@ektola/platform/errors';
import { messageStatus } from '@ektola/platform/events';
import {
  loadEktolaProto,
  serverStreamHandler,
  unaryHandler,
  type ConversationEntry as ConversationEntryMessage,
  type DispatchMessage,
  type GetRunReplyReportsResponse,
  type FindFrequencyCappedResponse,
  type GetRunReportsResponse,
  type GrpcServer,
  type ListConversationResponse,
  type ListMessagesResponse,
  type ListRepliesResponse,
  type MessageBatch,
  type RunRecipientBatch,
  type Reply as ReplyMessage,
  type RunStats,
  type RunSendsPerMinute,
  type SendingOverview,
} from '@ektola/platform/grpc';
import type { Logger } from '@ektola/platform/logger';
import type { MessageStatus } from '@ektola/platform/events';
import type {
  ConversationEntry,
  MessageRecord,
  ReplyQueries,
  RunReport,
  RunReports,
  RunStore,
  SenderActivityQuery,
  SendingActivity,
  SendingBlocker,
  StoredReply,
} from '../domain/ports.ts';
import { decodeTimeCursor, timePage } from '../domain/time-cursor.ts';

const e164 = /^\+[1-9]\d{6,14}$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const maxPageSize = 1_000;
const maxSenderNumbers = 100;
/** Meta's phone number ids are digits; `development` names the number of a dispatcher that sends nothing. */
const phoneNumberIdPattern = /^(\d{1,32}|development)$/;
const defaultPageSize = 100;
const maxReportRuns = 1_000;
const defaultExportBatch = 500;
const maxRecipientBatch = 5_000;
const defaultRecipientBatch = 1_000;
const maxCapContacts = 1_000;
/** A day of a run's minutes: a run that sends for longer shows its first day. */
const maxRunMinutes = 1_440;
const snakeCase = (field: string) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const outcomeStatuses = new Set(['SENT', 'DELIVERED', 'READ', 'FAILED', 'SKIPPED']);

interface RecipientsRequest {
  runId: string;
  statuses: string[];
  errorCodes: number[];
  afterContactId: string;
  batchSize: number;
}

/** What a re-target may ask for: outcomes only, since a PENDING or SENDING message has none yet. */
function recipientFilter(request: RecipientsRequest) {
  const runId = requireUuid(request.runId, 'run_id');
  const statuses = request.statuses.map((status) => status.toUpperCase());
  if (statuses.length === 0 || statuses.some((status) => !outcomeStatuses.has(status)))
    throw invalid('statuses must be one or more of SENT, DELIVERED, READ, FAILED, SKIPPED', [
      { path: 'statuses', message: 'unknown or missing status' },
    ]);
  if (request.batchSize < 0)
    throw invalid('batch_size must not be negative', [{ path: 'batch_size', message: 'must not be negative' }]);
  return {
    runId,
    statuses: statuses as MessageStatus[],
    errorCodes: request.errorCodes,
    batchSize: Math.min(request.batchSize || defaultRecipientBatch, maxRecipientBatch),
  };
}

function requireUuid(value: string, field: string): string {
  if (!uuid.test(value)) throw invalid(`${field} must be a UUID`, [{ path: field, message: 'must be a UUID' }]);
  return value;
}

const text = (date: Date | undefined) => date?.toISOString() ?? '';

function messageOf(record: MessageRecord): DispatchMessage {
  return {
    id: record.id,
    runId: record.runId,
    campaignId: record.campaignId,
    contactId: record.contactId,
    phone: record.phone,
    status: record.status,
    wamid: record.wamid ?? '',
    errorCode: record.errorCode ?? 0,
    errorMessage: record.errorMessage ?? '',
    attempts: record.attempts,
    createdAt: text(record.createdAt),
    updatedAt: text(record.updatedAt),
    sentAt: text(record.sentAt),
    deliveredAt: text(record.deliveredAt),
    readAt: text(record.readAt),
    failedAt: text(record.failedAt),
    skipReason: record.skipReason ?? '',
    skippedAt: text(record.skippedAt),
    waitingReason: record.status === 'PENDING' ? (record.waitingReason ?? '') : '',
    nextAttemptAt: record.status === 'PENDING' ? text(record.nextAttemptAt) : '',
    errorTitle: record.errorTitle ?? '',
    category: record.category ?? '',
    billable: record.billable ?? false,
    pricingModel: record.pricingModel ?? '',
  };
}

function entryOf(entry: ConversationEntry): ConversationEntryMessage {
  const common = { direction: entry.direction, id: entry.id, at: text(entry.at) };
  const empty = {
    runId: '',
    campaignId: '',
    templateName: '',
    status: '',
    wamid: '',
    sentAt: '',
    deliveredAt: '',
    readAt: '',
    failedAt: '',
    repliedAt: '',
    type: '',
    text: '',
    payload: '',
    inReplyTo: '',
  };
  if (entry.direction === 'outbound')
    return {
      ...empty,
      ...common,
      runId: entry.runId,
      campaignId: entry.campaignId,
      templateName: entry.templateName,
      status: entry.status,
      wamid: entry.wamid ?? '',
      sentAt: text(entry.sentAt),
      deliveredAt: text(entry.deliveredAt),
      readAt: text(entry.readAt),
      failedAt: text(entry.failedAt),
      repliedAt: text(entry.repliedAt),
    };
  return {
    ...empty,
    ...common,
    runId: entry.runId ?? '',
    campaignId: entry.campaignId ?? '',
    type: entry.type,
    text: entry.text ?? '',
    payload: entry.payload ?? '',
    inReplyTo: entry.inReplyTo ?? '',
  };
}

const replyOf = (reply: StoredReply): ReplyMessage => ({
  id: reply.wamid,
  phone: reply.phone,
  type: reply.type,
  text: reply.text ?? '',
  payload: reply.payload ?? '',
  contextWamid: reply.contextWamid ?? '',
  messageId: reply.messageId ?? '',
  runId: reply.runId ?? '',
  campaignId: reply.campaignId ?? '',
  contactId: reply.contactId ?? '',
  profileName: reply.profileName ?? '',
  receivedAt: text(reply.receivedAt),
});

function pageSizeOf(pageSize: number): number {
  if (pageSize < 0)
    throw invalid('page_size must not be negative', [{ path: 'page_size', message: 'must not be negative' }]);
  return Math.min(pageSize || defaultPageSize, maxPageSize);
}

function requireRunIds(runIds: string[]): string[] {
  if (runIds.length > maxReportRuns) {
    throw invalid(`run_ids must hold at most ${maxReportRuns} runs`, [
      { path: 'run_ids', message: `at most ${maxReportRuns}` },
    ]);
  }
  return runIds.map((id, index) => requireUuid(id, `run_ids[${index}]`));
}

const reportOf = (report: RunReport): GetRunReportsResponse['reports'][number] => ({
  runId: report.runId,
  total: report.total,
  ...report.counts,
  reached: report.reached,
  failedAfterSend: report.failedAfterSend,
  skippedByReason: Object.entries(report.skippedByReason).map(([reason, count]) => ({ reason, count: count ?? 0 })),
  errors: report.errors,
  billable: report.billable,
  billableMessages: report.billableMessages,
});

/** The first reason, in the order given, that holds a run's sending back (none when nothing does). */
async function waitingReason(blockers: readonly SendingBlocker[]): Promise<string | undefined> {
  for (const blocker of blockers) {
    const reason = await blocker.waitingReason();
    if (reason) return reason;
  }
  return undefined;
}

/** DispatchQuery: run progress from the run counters, messages by keyset over (run, status, id). */
export function addDispatchQuery(
  grpc: GrpcServer,
  options: {
    runs: RunStore;
    reports: RunReports;
    replies: ReplyQueries;
    logger: Logger;
    blockers: readonly SendingBlocker[];
    activity: SendingActivity;
    senders: SenderActivityQuery;
  },
) {
  const { runs, logger } = options;

  /** Contact-id pages of the run's recipients, each written before the next is read. */
  async function streamRecipients(
    request: RecipientsRequest,
    replied: boolean | undefined,
    write: (batch: RunRecipientBatch) => Promise<void>,
    signal: AbortSignal,
  ) {
    const { batchSize, ...filter } = recipientFilter(request);
    let after = request.afterContactId || undefined;
    while (!signal.aborted) {
      const contactIds = await runs.recipientsPage({ ...filter, replied, afterContactId: after, limit: batchSize });
      if (contactIds.length > 0) await write({ contactIds });
      if (contactIds.length < batchSize) break;
      after = contactIds.at(-1);
    }
  }
  grpc.server.addService(loadEktolaProto().ektola.v1.DispatchQuery.service, {
    GetRunStats: unaryHandler('GetRunStats', logger, async (request: { runId: string }): Promise<RunStats> => {
      const run = await runs.find(requireUuid(request.runId, 'run_id'));
      if (!run) throw notFound('run', request.runId);
      const completed = run.completedAt !== undefined;
      return {
        runId: run.id,
        total: run.total,
        ...run.counts,
        completed,
        completedAt: text(run.completedAt),
        waitingReason: completed ? '' : ((await waitingReason(options.blockers)) ?? ''),
      };
    }),
    ListMessages: unaryHandler(
      'ListMessages',
      logger,
      async (request: {
        runId: string;
        status: string;
        pageSize: number;
        pageToken: string;
        errorCode: number;
      }): Promise<ListMessagesResponse> => {
        const runId = requireUuid(request.runId, 'run_id');
        const status = request.status === '' ? undefined : messageStatus.safeParse(request.status.toUpperCase());
        if (status && !status.success) {
          throw invalid('status must be PENDING, SENDING, SENT, DELIVERED, READ, FAILED or SKIPPED', [
            { path: 'status', message: 'unknown status' },
          ]);
        }
        if (request.errorCode < 0)
          throw invalid('error_code must not be negative', [{ path: 'error_code', message: 'must not be negative' }]);
        const errorCode = request.errorCode === 0 ? undefined : request.errorCode;
        const limit = pageSizeOf(request.pageSize);
        const afterId =
          request.pageToken === ''
            ? undefined
            : requireUuid(Buffer.from(request.pageToken, 'base64url').toString(), 'page_token');
        const page = await runs.listMessages({ runId, status: status?.data, errorCode, afterId, limit: limit + 1 });
        const messages = page.slice(0, limit);
        const more = page.length > limit;
        return {
          messages: messages.map(messageOf),
          nextPageToken: more ? Buffer.from(messages.at(-1)!.id).toString('base64url') : '',
        };
      },
    ),
    StreamRunRecipients: serverStreamHandler(
      'StreamRunRecipients',
      logger,
      async (request: RecipientsRequest, write: (batch: RunRecipientBatch) => Promise<void>, signal) =>
        streamRecipients(request, undefined, write, signal),
    ),
    StreamRepliedRecipients: serverStreamHandler(
      'StreamRepliedRecipients',
      logger,
      async (
        request: { recipients: RecipientsRequest | null; replied: boolean },
        write: (batch: RunRecipientBatch) => Promise<void>,
        signal,
      ) => {
        if (!request.recipients)
          throw invalid('recipients is required', [{ path: 'recipients', message: 'is required' }]);
        await streamRecipients(request.recipients, request.replied, write, signal);
      },
    ),
    FindFrequencyCapped: unaryHandler(
      'FindFrequencyCapped',
      logger,
      async (request: {
        contactIds: string[];
        maxMessages: number;
        windowSeconds: number;
      }): Promise<FindFrequencyCappedResponse> => {
        if (request.contactIds.length > maxCapContacts)
          throw invalid(`contact_ids must hold at most ${maxCapContacts} contacts`, [
            { path: 'contact_ids', message: `at most ${maxCapContacts}` },
          ]);
        for (const field of ['maxMessages', 'windowSeconds'] as const)
          if (!(request[field] > 0))
            throw invalid(`${snakeCase(field)} must be positive`, [
              { path: snakeCase(field), message: 'must be positive' },
            ]);
        if (request.contactIds.length === 0) return { contactIds: [] };
        return { contactIds: await runs.frequencyCapped(request) };
      },
    ),
    GetSendingOverview: unaryHandler('GetSendingOverview', logger, async (): Promise<SendingOverview> => {
      const [byStatus, sends, alerts] = await Promise.all([
        options.activity.messagesLastDay(),
        options.activity.sendsLastHour(),
        Promise.all(options.blockers.map((blocker) => blocker.alerts())),
      ]);
      return {
        messagesLastDay: byStatus,
        sendsPerMinute: sends.map(({ minute, count }) => ({ minute: minute.toISOString(), count })),
        alerts: alerts.flat(),
      };
    }),
    GetSenderActivity: unaryHandler(
      'GetSenderActivity',
      logger,
      async (request: { phoneNumberIds: string[] }): Promise<{ senders: object[] }> => {
        const ids = request.phoneNumberIds;
        if (ids.length > maxSenderNumbers)
          throw invalid(`phone_number_ids must hold at most ${maxSenderNumbers} numbers`, [
            { path: 'phone_number_ids', message: `at most ${maxSenderNumbers}` },
          ]);
        const bad = ids.findIndex((id) => !phoneNumberIdPattern.test(id));
        if (bad >= 0)
          throw invalid('phone_number_ids must hold Meta phone number ids (digits)', [
            { path: `phone_number_ids[${bad}]`, message: 'must be digits' },
          ]);
        const senders = await options.senders.activity(ids);
        return { senders: senders.map((sender) => ({ ...sender, heldReason: sender.heldReason ?? '' })) };
      },
    ),
    GetRunSendsPerMinute: unaryHandler(
      'GetRunSendsPerMinute',
      logger,
      async (request: { runId: string }): Promise<RunSendsPerMinute> => {
        const run = await runs.find(requireUuid(request.runId, 'run_id'));
        if (!run) throw notFound('run', request.runId);
        const minutes = await options.activity.runSendsPerMinute(run.id, maxRunMinutes);
        return { minutes: minutes.map(({ minute, count }) => ({ minute: minute.toISOString(), count })) };
      },
    ),
    GetMessage: unaryHandler('GetMessage', logger, async (request: { id: string }): Promise<DispatchMessage> => {
      const message = await runs.getMessage(requireUuid(request.id, 'id'));
      if (!message) throw notFound('message', request.id);
      return messageOf(message);
    }),
    GetRunReports: unaryHandler(
      'GetRunReports',
      logger,
      async (request: { runIds: string[] }): Promise<GetRunReportsResponse> => ({
        reports: (await options.reports.reports(requireRunIds(request.runIds))).map(reportOf),
      }),
    ),
    GetRunReplyReports: unaryHandler(
      'GetRunReplyReports',
      logger,
      async (request: { runIds: string[] }): Promise<GetRunReplyReportsResponse> => ({
        reports: await options.replies.reports(requireRunIds(request.runIds)),
      }),
    ),
    ListConversation: unaryHandler(
      'ListConversation',
      logger,
      async (request: {
        contactId: string;
        phone: string;
        pageSize: number;
        pageToken: string;
      }): Promise<ListConversationResponse> => {
        const contactId = request.contactId;
        if (contactId === '') throw invalid('contact_id is required', [{ path: 'contact_id', message: 'is required' }]);
        if (!e164.test(request.phone))
          throw invalid('phone must be an E.164 number', [{ path: 'phone', message: 'must be an E.164 number' }]);
        const limit = pageSizeOf(request.pageSize);
        const after = decodeTimeCursor(request.pageToken, 'page_token');
        const rows = await options.replies.conversation({ contactId, phone: request.phone, after, limit: limit + 1 });
        const page = timePage(rows, limit, (entry) => entry.position);
        return { entries: page.items.map(entryOf), nextPageToken: page.nextPageToken };
      },
    ),
    ListReplies: unaryHandler(
      'ListReplies',
      logger,
      async (request: {
        campaignId: string;
        since: string;
        pageSize: number;
        pageToken: string;
      }): Promise<ListRepliesResponse> => {
        const campaignId = request.campaignId === '' ? undefined : requireUuid(request.campaignId, 'campaign_id');
        const since = request.since === '' ? undefined : new Date(request.since);
        if (since && Number.isNaN(since.getTime()))
          throw invalid('since must be an RFC 3339 instant', [
            { path: 'since', message: 'must be an RFC 3339 instant' },
          ]);
        const limit = pageSizeOf(request.pageSize);
        const after = decodeTimeCursor(request.pageToken, 'page_token');
        const rows = await options.replies.replies({ campaignId, since, after, limit: limit + 1 });
        const page = timePage(rows, limit, (reply) => ({ at: reply.receivedAt, id: reply.wamid }));
        return { replies: page.items.map(replyOf), nextPageToken: page.nextPageToken };
      },
    ),
    // Keyset pages in id order; each batch waits for the caller to read the one before (write resolves on drain).
    ExportRunMessages: serverStreamHandler(
      'ExportRunMessages',
      logger,
      async (
        request: { runId: string; batchSize: number },
        write: (batch: MessageBatch) => Promise<void>,
        signal: AbortSignal,
      ) => {
        const runId = requireUuid(request.runId, 'run_id');
        if (request.batchSize < 0)
          throw invalid('batch_size must not be negative', [{ path: 'batch_size', message: 'must not be negative' }]);
        const limit = Math.min(request.batchSize || defaultExportBatch, maxPageSize);
        let afterId: string | undefined;
        while (!signal.aborted) {
          const page = await runs.listMessages({ runId, status: undefined, afterId, limit });
          if (page.length > 0) await write({ messages: page.map(messageOf) });
          if (page.length < limit) return;
          afterId = page.at(-1)!.id;
        }
      },
    ),
  });
}
