import { invalid, notFound } from '@ektola/platform/errors';
import { messageStatus } from '@ektola/platform/events';
import {
  loadEktolaProto,
  serverStreamHandler,
  unaryHandler,
  type DispatchMessage,
  type FindFrequencyCappedResponse,
  type GetRunReportsResponse,
  type GrpcServer,
  type ListMessagesResponse,
  type MessageBatch,
  type RunRecipientBatch,
  type RunStats,
} from '@ektola/platform/grpc';
import type { Logger } from '@ektola/platform/logger';
import type { MessageStatus } from '@ektola/platform/events';
import type { MessageRecord, RunReport, RunReports, RunStore, SendingBlocker } from '../domain/ports.ts';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const maxPageSize = 1_000;
const defaultPageSize = 100;
const maxReportRuns = 1_000;
const defaultExportBatch = 500;
const maxRecipientBatch = 5_000;
const defaultRecipientBatch = 1_000;
const maxCapContacts = 1_000;
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
  options: { runs: RunStore; reports: RunReports; logger: Logger; blockers: readonly SendingBlocker[] },
) {
  const { runs, logger } = options;
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
      }): Promise<ListMessagesResponse> => {
        const runId = requireUuid(request.runId, 'run_id');
        const status = request.status === '' ? undefined : messageStatus.safeParse(request.status.toUpperCase());
        if (status && !status.success) {
          throw invalid('status must be PENDING, SENDING, SENT, DELIVERED, READ, FAILED or SKIPPED', [
            { path: 'status', message: 'unknown status' },
          ]);
        }
        if (request.pageSize < 0)
          throw invalid('page_size must not be negative', [{ path: 'page_size', message: 'must not be negative' }]);
        const afterId =
          request.pageToken === ''
            ? undefined
            : requireUuid(Buffer.from(request.pageToken, 'base64url').toString(), 'page_token');
        const limit = Math.min(request.pageSize || defaultPageSize, maxPageSize);
        const page = await runs.listMessages({ runId, status: status?.data, afterId, limit: limit + 1 });
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
      async (request: RecipientsRequest, write: (batch: RunRecipientBatch) => Promise<void>, signal) => {
        const { batchSize, ...filter } = recipientFilter(request);
        let after = request.afterContactId || undefined;
        while (!signal.aborted) {
          const contactIds = await runs.recipientsPage({ ...filter, afterContactId: after, limit: batchSize });
          if (contactIds.length > 0) await write({ contactIds });
          if (contactIds.length < batchSize) break;
          after = contactIds.at(-1);
        }
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
    GetMessage: unaryHandler('GetMessage', logger, async (request: { id: string }): Promise<DispatchMessage> => {
      const message = await runs.getMessage(requireUuid(request.id, 'id'));
      if (!message) throw notFound('message', request.id);
      return messageOf(message);
    }),
    GetRunReports: unaryHandler(
      'GetRunReports',
      logger,
      async (request: { runIds: string[] }): Promise<GetRunReportsResponse> => {
        if (request.runIds.length > maxReportRuns) {
          throw invalid(`run_ids must hold at most ${maxReportRuns} runs`, [
            { path: 'run_ids', message: `at most ${maxReportRuns}` },
          ]);
        }
        const runIds = request.runIds.map((id, index) => requireUuid(id, `run_ids[${index}]`));
        return { reports: (await options.reports.reports(runIds)).map(reportOf) };
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
