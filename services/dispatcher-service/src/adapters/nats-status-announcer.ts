import { createHash } from 'node:crypto';
import { messageStatusChanged, type MessageStatusItem, type SkipReason } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import { Counter, type Registry } from '@ektola/platform/metrics';
import type { EventPublisher } from '@ektola/platform/nats';
import type { Sql, TransactionSql } from '@ektola/platform/postgres';

/** A message row as a statement that moved it returns it (`transitionColumns`), with the time of its new status. */
export interface TransitionRow {
  id: string;
  run_id: string;
  campaign_id: string;
  contact_id: string;
  phone: string;
  status: string;
  at: Date;
  wamid: string | null;
  error_code: number | null;
  error_title: string | null;
  skip_reason: SkipReason | null;
}

/** Announces the statuses messages reached; never throws (see createNatsStatusAnnouncer). */
export type AnnounceTransitions = (rows: readonly TransitionRow[]) => Promise<void>;

const announced = new Set(['SENT', 'DELIVERED', 'READ', 'FAILED', 'SKIPPED']);

/** The columns every moving statement returns for the announcer; `at` is chosen by the statement. */
export const transitionColumns = (sql: Sql | TransactionSql) =>
  sql`m.id, m.run_id, m.campaign_id, m.contact_id, m.phone, m.status, m.wamid, m.error_code, m.error_title, m.skip_reason`;

/** Items per event: a few hundred keep an event well under NATS's payload limit. */
export const chunkSize = 200;

function itemOf(row: TransitionRow): MessageStatusItem {
  return {
    messageId: row.id,
    runId: row.run_id,
    campaignId: row.campaign_id,
    contactId: row.contact_id,
    phone: row.phone,
    status: row.status as MessageStatusItem['status'],
    occurredAt: new Date(row.at).toISOString(),
    ...(row.wamid ? { wamid: row.wamid } : {}),
    ...(row.status === 'FAILED' && row.error_code !== null
      ? { error: { code: row.error_code, ...(row.error_title ? { title: row.error_title } : {}) } }
      : {}),
    ...(row.status === 'SKIPPED' && row.skip_reason ? { skipReason: row.skip_reason } : {}),
  };
}

/**
 * One message.status_changed, its msgId a digest of the (message, status) pairs it holds. Its items are
 * built by `itemOf` from columns the database constrains (uuids, the status and skip reason checks, a
 * phone checked when the message was drafted), so the publisher does not check them again
 * (nats-status-announcer.test.ts shows the schema takes them unchanged).
 */
export function publishStatuses(publisher: EventPublisher, statuses: MessageStatusItem[]) {
  const digest = createHash('sha256')
    .update(statuses.map((item) => `${item.messageId}:${item.status}`).join(','))
    .digest('hex');
  return publisher.publish(messageStatusChanged, { statuses }, { msgId: `statuses:${digest}`, validate: false });
}

/** The items of the rows whose status is announced. */
export const itemsOf = (rows: readonly TransitionRow[]) => rows.filter((row) => announced.has(row.status)).map(itemOf);

/**
 * message.status_changed for the messages a statement moved, published after that statement committed:
 * one event per 200 messages, its msgId a digest of the (message, status) pairs it holds, so the same
 * announcement made twice within JetStream's window is stored once. A publish that fails is logged and
 * counted, not retried: the statuses are already written and the dispatcher's work must not wait on
 * NATS for them (ektola_status_events_unpublished_total). Only statuses something announces again are
 * given here; SKIPPED and the dispatcher's own FAILED go through the outbox (postgres-status-outbox.ts).
 */
export function createNatsStatusAnnouncer(options: {
  publisher: EventPublisher;
  logger: Logger;
  registry: Registry;
}): AnnounceTransitions {
  const unpublished = new Counter({
    name: 'ektola_status_events_unpublished_total',
    help: 'Message statuses whose message.status_changed could not be published (their callbacks are lost)',
    registers: [options.registry],
  });
  return async (rows) => {
    const items = itemsOf(rows);
    const chunks: MessageStatusItem[][] = [];
    for (let offset = 0; offset < items.length; offset += chunkSize)
      chunks.push(items.slice(offset, offset + chunkSize));
    const results = await Promise.allSettled(chunks.map((statuses) => publishStatuses(options.publisher, statuses)));
    const failed = results.flatMap((result, index) => (result.status === 'rejected' ? [index] : []));
    if (failed.length > 0) {
      const lost = failed.reduce((sum, index) => sum + (chunks[index]?.length ?? 0), 0);
      unpublished.inc(lost);
      const first = results[failed[0]!];
      options.logger.warn(
        { err: first?.status === 'rejected' ? first.reason : undefined, statuses: lost },
        'message.status_changed not published',
      );
    }
  };
}
