import { setTimeout as sleep } from 'node:timers/promises';
import { runCancelled, runRequested, suppressionChanged, type EventDefinition } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import { Counter, Gauge, type Registry } from '@ektola/platform/metrics';
import type { EventPublisher } from '@ektola/platform/nats';
import type { Sql } from '@ektola/platform/postgres';

/** The name an outbox row stores for its event. */
export const outboxEventName = (event: EventDefinition) => `${event.name}.v${event.version}`;

/** Events this service writes to its outbox, by the name stored with each row. */
const publishable = new Map<string, EventDefinition>([runRequested, runCancelled, suppressionChanged].map((event) => [outboxEventName(event), event]));

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
 */
export function createOutboxRelay(options: {
  sql: Sql;
  publisher: EventPublisher;
  logger: Logger;
  pollMs: number;
  batchSize?: number;
  /** Failed publishes after which a row is set aside; counted only while other rows still publish. */
  maxAttempts?: number;
  registry?: Registry;
}): OutboxRelay {
  const { sql, publisher, logger, pollMs } = options;
  const batchSize = options.batchSize ?? 200;
  const maxAttempts = options.maxAttempts ?? 5;
  const log = logger.child({ component: 'outbox-relay' });
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: AbortController = new AbortController();

  if (options.registry && !options.registry.getSingleMetric('ektola_outbox_pending')) {
    new Gauge({
      name: 'ektola_outbox_pending',
      help: 'Outbox events written but not yet published to JetStream',
      registers: [options.registry],
      async collect() {
        const [row] = await sql<Array<{ count: number }>>`select count(*)::int as count from campaign.outbox where published_at is null and set_aside_at is null`;
        this.set(row?.count ?? 0);
      },
    });
    new Gauge({
      name: 'ektola_outbox_set_aside',
      help: 'Outbox events set aside because they cannot be published; each needs an operator',
      registers: [options.registry],
      async collect() {
        const [row] = await sql<Array<{ count: number }>>`select count(*)::int as count from campaign.outbox where set_aside_at is not null and published_at is null`;
        this.set(row?.count ?? 0);
      },
    });
  }
  const setAsideTotal =
    (options.registry?.getSingleMetric('ektola_outbox_set_aside_total') as Counter | undefined) ??
    new Counter({ name: 'ektola_outbox_set_aside_total', help: 'Outbox events set aside by this process', registers: options.registry ? [options.registry] : [] });

  /** Publishes one row, or says why it could not. */
  async function publishRow(row: OutboxRow): Promise<Failure | undefined> {
    const event = publishable.get(row.event);
    if (!event) return { row, error: `${row.event} is not an event this relay can publish`, poison: true };
    const parsed = event.schema.safeParse(row.payload);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`).join('; ');
      return { row, error: `the payload is not a valid ${row.event}: ${problems}`, poison: true };
    }
    try {
      await publisher.publish(event, row.payload as never, { msgId: row.id });
      return undefined;
    } catch (error) {
      return { row, error: error instanceof Error ? error.message : String(error), poison: row.attempts + 1 >= maxAttempts };
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
      if (rowsOwnFault.length === 0 && failures.length > 0) throw new Error(`no outbox event could be published: ${failures[0]!.error}`);
      if (published.length > 0) await tx`update campaign.outbox set published_at = now() where id in ${tx(published.map((row) => row.id))}`;
      for (const { row, error, poison } of rowsOwnFault) {
        await tx`
          update campaign.outbox set attempts = attempts + 1, last_error = ${error}, set_aside_at = case when ${poison}::boolean then now() end
          where id = ${row.id}`;
        if (!poison) {
          log.warn({ outboxId: row.id, event: row.event, attempts: row.attempts + 1, error }, 'outbox event not published; will retry');
          continue;
        }
        setAsideTotal.inc();
        log.error({ outboxId: row.id, event: row.event, attempts: row.attempts + 1, error }, 'outbox event set aside: it cannot be published');
      }
      return { claimed: rows.length, published: published.length, retrying: rowsOwnFault.filter((failure) => !failure.poison).length };
    });
  }

  const relayOnce = async () => (await relayBatch()).published;

  async function run() {
    let failures = 0;
    while (running) {
      let more = false;
      try {
        const { claimed, published, retrying } = await relayBatch();
        // A row that failed waits for the next poll rather than burning its attempts in a tight loop.
        more = claimed === batchSize && retrying === 0;
        if (published > 0) log.debug({ published }, 'outbox events published');
        failures = 0;
      } catch (error) {
        failures += 1;
        log.warn({ err: error, failures }, 'outbox relay pass failed; will retry');
      }
      if (!running) break;
      // A full batch means more is waiting; otherwise wait for the next poll or a nudge.
      if (more) continue;
      const delay = failures > 0 ? Math.min(pollMs * 2 ** failures, 30_000) : pollMs;
      await sleep(delay, undefined, { signal: wake.signal }).catch(() => undefined);
      wake = new AbortController();
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    nudge() {
      wake.abort();
    },
    relayOnce,
    async stop() {
      running = false;
      wake.abort();
      await loop;
    },
  };
}

/** Published rows are kept a while for inspection, then removed, at most `limit` in one statement. */
export async function deletePublishedOutbox(sql: Sql, olderThan: Date, limit: number): Promise<number> {
  const deleted = await sql`
    delete from campaign.outbox
    where id in (select id from campaign.outbox where published_at is not null and published_at < ${olderThan} limit ${limit})`;
  return deleted.count;
}
