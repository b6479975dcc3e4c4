import { messageStatusChanged, type PayloadOf, type SkipReason } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import { Counter, type Registry } from '@ektola/platform/metrics';
import type { EventPublisher } from '@ektola/platform/nats';
import type { Sql } from '@ektola/platform/postgres';

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
export const transitionColumns = (sql: Sql) =>
  sql`m.id, m.run_id, m.campaign_id, m.contact_id, m.phone, m.status, m.wamid, m.error_code, m.error_title, m.skip_reason`;

/**
 * message.status_changed for each message a statement moved, published after that statement committed
 * with msgId `<messageId>:<status>` (a repeat within JetStream's window is dropped). A publish that
 * fails is logged and counted, not retried: the status is already written and the dispatcher's work
 * must not wait on NATS for it, so such a callback is lost (ektola_status_events_unpublished_total).
 */
export function createNatsStatusAnnouncer(options: {
  publisher: EventPublisher;
  logger: Logger;
  registry: Registry;
}): AnnounceTransitions {
  const unpublished = new Counter({
    name: 'ektola_status_events_unpublished_total',
    help: 'message.status_changed events that could not be published (their callbacks are lost)',
    registers: [options.registry],
  });
  return async (rows) => {
    const results = await Promise.allSettled(
      rows
        .filter((row) => announced.has(row.status))
        .map((row) => {
          const payload: PayloadOf<typeof messageStatusChanged> = {
            messageId: row.id,
            runId: row.run_id,
            campaignId: row.campaign_id,
            contactId: row.contact_id,
            phone: row.phone,
            status: row.status as PayloadOf<typeof messageStatusChanged>['status'],
            occurredAt: new Date(row.at).toISOString(),
            ...(row.wamid ? { wamid: row.wamid } : {}),
            ...(row.status === 'FAILED' && row.error_code !== null
              ? { error: { code: row.error_code, ...(row.error_title ? { title: row.error_title } : {}) } }
              : {}),
            ...(row.status === 'SKIPPED' && row.skip_reason ? { skipReason: row.skip_reason } : {}),
          };
          return options.publisher.publish(messageStatusChanged, payload, { msgId: `${row.id}:${row.status}` });
        }),
    );
    const failed = results.filter((result) => result.status === 'rejected');
    if (failed.length > 0) {
      unpublished.inc(failed.length);
      options.logger.warn({ err: failed[0]?.reason, count: failed.length }, 'message.status_changed not published');
    }
  };
}
