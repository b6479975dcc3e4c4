import {
  runCancelled,
  runRequested,
  senderChanged,
  suppressionChanged,
  testSendRequested,
  type EventDefinition,
} from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import type { Registry } from '@ektola/platform/metrics';
import type { EventPublisher } from '@ektola/platform/nats';
import { startPeriodic, type PeriodicTask } from '@ektola/platform/periodic';
import type { Sql } from '@ektola/platform/postgres';
import type { OutboxRelayMetrics, PublishedOutbox } from '../domain/ports.ts';

/** The name an outbox row stores for its event. */
export const outboxEventName = (event: EventDefinition) => `${event.name}.v${event.version}`;

/** Events this service writes to its outbox, by the name stored with each row. */
const publishable = new Map<string, EventDefinition>(
  [runRequested, runCancelled, suppressionChanged, testSendRequested, senderChanged].map((event) => [
    outboxEventName(event),
    event,
  ]),
);

interface OutboxRow {
  id: string;
  event: string;
  payload: unknown;
  attempts: number;
}

/** A row's publish that failed; `poison` when retrying cannot help (unknown event, invalid payload, attempts used up). */
interface Failure {
  row: OutboxRow;
  error: string;
  poison: boolean;
}

export interface OutboxRelay {
  start(): void;
  /** Publishes without waiting for the next poll; called right after a commit that wrote an event. */
  nudge(): void;
  /** One pass: publishes up to a batch of pending rows and marks them. Resolves with how many. */
  relayOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Publishes outbox rows to JetStream and marks them published. Rows are claimed with
 * `for update skip locked`, so replicas share the work without publishing a row twice at once; a
 * relay that dies after publishing but before marking leaves the row for the next pass, whose
 * republish JetStream drops because the Nats-Msg-Id is the row's id. A row that cannot be published
 * (unknown event, invalid payload, or `maxAttempts` failures while other rows publish) is set aside
 * with its error, so it never holds up the rows behind it; `ektola_outbox_set_aside` counts those.
 *
 * Its polling is a periodic task (`outbox-relay` in `ektola_background_passes_total`): each pass
 * publishes until nothing is waiting. A nudge after a commit runs a pass at once instead of at the next
 * poll; passes never overlap, and a nudge during a pass runs another right after it. After a failed
 * pass the polls back off (doubling, up to 30 s) while nudges still try at once.
 */
export function createOutboxRelay(options: {
  sql: Sql;
  publisher: EventPublisher;
  logger: Logger;
  pollMs: number;
  batchSize?: number;
  /** Failed publishes after which a row is set aside; counted only while other rows still publish. */
  maxAttempts?: number;
  metrics?: OutboxRelayMetrics;
  /** Where the periodic task counts its passes. */
  registry?: Registry;
}): OutboxRelay {
  const { sql, publisher, logger, pollMs } = options;
  const batchSize = options.batchSize ?? 200;
  const maxAttempts = options.maxAttempts ?? 5;
  const log = logger.child({ component: 'outbox-relay' });
  const metrics = options.metrics ?? { setAside: () => undefined };
  let periodic: PeriodicTask | undefined;
  let nudged = false;
  let failures = 0;
  let retryAt = 0;

  /** Publishes one row, or says why it could not. */
  async function publishRow(row: OutboxRow): Promise<Failure | undefined> {
    const event = publishable.get(row.event);
    if (!event) return { row, error: `${row.event} is not an event this relay can publish`, poison: true };
    const parsed = event.schema.safeParse(row.payload);
    if (!parsed.success) {
      const problems = parsed.error.issues
        .map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`)
        .join('; ');
      return { row, error: `the payload is not a valid ${row.event}: ${problems}`, poison: true };
    }
    try {
      await publisher.publish(event, row.payload as never, { msgId: row.id });
      return undefined;
    } catch (error) {
      return {
        row,
        error: error instanceof Error ? error.message : String(error),
        poison: row.attempts + 1 >= maxAttempts,
      };
    }
  }

  /** One batch: rows claimed (a full batch means more may wait), published, and left to retry. */
  async function relayBatch(): Promise<{ claimed: number; published: number; retrying: number }> {
    return sql.begin(async (tx) => {
      const rows = await tx<OutboxRow[]>`
        select id, event, payload, attempts from campaign.outbox
        where published_at is null and set_aside_at is null
        order by created_at
        limit ${batchSize}
        for update skip locked`;
      if (rows.length === 0) return { claimed: 0, published: 0, retrying: 0 };
      const failures = (await Promise.all(rows.map(publishRow))).filter((failure) => failure !== undefined);
      const failedIds = new Set(failures.map((failure) => failure.row.id));
      const published = rows.filter((row) => !failedIds.has(row.id));
      const rowsOwnFault = failures.filter((failure) => failure.poison || published.length > 0);
      // When nothing published at all, NATS itself is the likely trouble: no row is to blame for that.
      if (rowsOwnFault.length === 0 && failures.length > 0)
        throw new Error(`no outbox event could be published: ${failures[0]!.error}`);
      if (published.length > 0)
        await tx`update campaign.outbox set published_at = now() where id in ${tx(published.map((row) => row.id))}`;
      for (const { row, error, poison } of rowsOwnFault) {
        await tx`
          update campaign.outbox set attempts = attempts + 1, last_error = ${error}, set_aside_at = case when ${poison}::boolean then now() end
          where id = ${row.id}`;
        if (!poison) {
          log.warn(
            { outboxId: row.id, event: row.event, attempts: row.attempts + 1, error },
            'outbox event not published; will retry',
          );
          continue;
        }
        metrics.setAside();
        log.error(
          { outboxId: row.id, event: row.event, attempts: row.attempts + 1, error },
          'outbox event set aside: it cannot be published',
        );
      }
      return {
        claimed: rows.length,
        published: published.length,
        retrying: rowsOwnFault.filter((failure) => !failure.poison).length,
      };
    });
  }

  const relayOnce = async () => (await relayBatch()).published;

  /** Publishes until nothing is waiting, or until a row failed (it waits for the next poll rather than burning its attempts). */
  async function drain(signal: AbortSignal): Promise<void> {
    let more = true;
    while (more && !signal.aborted) {
      const { claimed, published, retrying } = await relayBatch();
      more = claimed === batchSize && retrying === 0;
      if (published > 0) log.debug({ published }, 'outbox events published');
    }
  }

  /** A pass of the periodic task: after a failed pass, polls back off (doubling, up to 30 s); a nudge still tries at once. */
  async function pass(signal: AbortSignal): Promise<void> {
    const byNudge = nudged;
    nudged = false;
    if (!byNudge && Date.now() < retryAt) return;
    try {
      await drain(signal);
      failures = 0;
    } catch (error) {
      failures += 1;
      retryAt = Date.now() + Math.min(pollMs * 2 ** failures, 30_000);
      throw error;
    }
  }

  return {
    start() {
      periodic ??= startPeriodic({
        name: 'outbox-relay',
        intervalMs: pollMs,
        logger: log,
        registry: options.registry,
        pass,
      });
    },
    nudge() {
      if (!periodic) return;
      nudged = true;
      periodic.trigger();
    },
    relayOnce,
    async stop() {
      await periodic?.stop();
      periodic = undefined;
    },
  };
}

/** The outbox's backlog, read at scrape time. */
export function postgresOutboxBacklog(sql: Sql) {
  return {
    async pending() {
      const [row] = await sql<
        Array<{ count: number }>
      >`select count(*)::int as count from campaign.outbox where published_at is null and set_aside_at is null`;
      return row?.count ?? 0;
    },
    async setAside() {
      const [row] = await sql<
        Array<{ count: number }>
      >`select count(*)::int as count from campaign.outbox where set_aside_at is not null and published_at is null`;
      return row?.count ?? 0;
    },
  };
}

/** Published rows are kept a while for inspection, then removed, at most `limit` in one statement. */
export function postgresPublishedOutbox(sql: Sql): PublishedOutbox {
  return {
    async deletePublishedBefore(cutoff, limit) {
      const deleted = await sql`
        delete from campaign.outbox
        where id in (select id from campaign.outbox where published_at is not null and published_at < ${cutoff} limit ${limit})`;
      return deleted.count;
    },
  };
}
