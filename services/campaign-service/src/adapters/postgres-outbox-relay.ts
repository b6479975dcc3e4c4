import { setTimeout as sleep } from 'node:timers/promises';
import { runRequested, type EventDefinition } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import { Gauge, type Registry } from '@ektola/platform/metrics';
import type { EventPublisher } from '@ektola/platform/nats';
import type { Sql } from '@ektola/platform/postgres';

/** Events this service writes to its outbox, by the name stored with each row. */
const publishable = new Map<string, EventDefinition>([[`${runRequested.name}.v${runRequested.version}`, runRequested]]);

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
 * republish JetStream drops because the Nats-Msg-Id is the row's id.
 */
export function createOutboxRelay(options: {
  sql: Sql;
  publisher: EventPublisher;
  logger: Logger;
  pollMs: number;
  batchSize?: number;
  registry?: Registry;
}): OutboxRelay {
  const { sql, publisher, logger, pollMs } = options;
  const batchSize = options.batchSize ?? 200;
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
        const [row] = await sql<Array<{ count: number }>>`select count(*)::int as count from campaign.outbox where published_at is null`;
        this.set(row?.count ?? 0);
      },
    });
  }

  async function relayOnce(): Promise<number> {
    return sql.begin(async (tx) => {
      const rows = await tx<Array<{ id: string; event: string; payload: unknown }>>`
        select id, event, payload from campaign.outbox
        where published_at is null
        order by created_at
        limit ${batchSize}
        for update skip locked`;
      if (rows.length === 0) return 0;
      await Promise.all(
        rows.map((row) => {
          const event = publishable.get(row.event);
          if (!event) throw new Error(`outbox row ${row.id} holds ${row.event}, which this relay cannot publish`);
          return publisher.publish(event, row.payload as never, { msgId: row.id });
        }),
      );
      await tx`update campaign.outbox set published_at = now() where id in ${tx(rows.map((row) => row.id))}`;
      return rows.length;
    });
  }

  async function run() {
    let failures = 0;
    while (running) {
      let published = 0;
      try {
        published = await relayOnce();
        if (published > 0) log.debug({ published }, 'outbox events published');
        failures = 0;
      } catch (error) {
        failures += 1;
        log.warn({ err: error, failures }, 'outbox relay pass failed; will retry');
      }
      if (!running) break;
      // A full batch means more is waiting; otherwise wait for the next poll or a nudge.
      if (published === batchSize) continue;
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
