import type { JetStreamClient } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { Counter, type Registry } from 'prom-client';
import { invalid } from '../errors.ts';
import { subjectOf, type EventDefinition, type PayloadOf } from '../events/define.ts';
import { injectTraceContext } from '../telemetry.ts';
import { connectionOf, streamAcksFor } from './stream-acks.ts';

export interface PublishReceipt {
  duplicate: boolean;
  sequence: number;
}

/**
 * `validate: false` publishes the payload as given, without checking it against the event's schema. Only
 * for a payload built field by field from values already checked (the database's constrained columns),
 * where the check proves nothing its tests do not and costs the most per message: for the dispatcher's
 * status events it was an eighth of all it allocated a message and a tenth of its CPU. Its tests then
 * show that what it builds passes the schema unchanged.
 */
export interface PublishOptions {
  msgId: string;
  validate?: boolean;
}

export interface EventPublisher {
  /** Resolves once JetStream has stored the event (or recognised its msgId as already stored). */
  publish<E extends EventDefinition>(event: E, payload: PayloadOf<E>, options: PublishOptions): Promise<PublishReceipt>;
  /** Publishes many events concurrently; resolves when every one is acknowledged. */
  publishAll<E extends EventDefinition>(
    event: E,
    items: ReadonlyArray<{ payload: PayloadOf<E>; msgId: string }>,
  ): Promise<PublishReceipt[]>;
}

const encoder = new TextEncoder();

function publishedCounter(registry: Registry | undefined): Counter<'event' | 'result'> | undefined {
  if (!registry) return undefined;
  const existing = registry.getSingleMetric('ektola_events_published_total');
  return (
    (existing as Counter<'event' | 'result'> | undefined) ??
    new Counter({
      name: 'ektola_events_published_total',
      help: 'Events acknowledged by JetStream, by event and whether JetStream found them duplicate',
      labelNames: ['event', 'result'],
      registers: [registry],
    })
  );
}

/**
 * Validates every payload against its schema before it leaves the process (a bad event is a bug here,
 * not a consumer's problem) unless told it was built from checked values (`PublishOptions`), carries the
 * trace context in the headers, and deduplicates on msgId.
 */
export function createEventPublisher(options: {
  js: JetStreamClient;
  namespace: string;
  registry?: Registry;
  timeoutMs?: number;
}): EventPublisher {
  const published = publishedCounter(options.registry);
  const timeout = options.timeoutMs ?? 5_000;
  const connection = connectionOf(options.js);
  if (!connection) throw new Error('createEventPublisher needs a JetStream client made by jetstream(nc)');
  const acks = streamAcksFor(connection);

  function checked<E extends EventDefinition>(event: E, payload: PayloadOf<E>): PayloadOf<E> {
    const parsed = event.schema.safeParse(payload);
    if (parsed.success) return parsed.data as PayloadOf<E>;
    throw invalid(
      `refusing to publish an invalid ${event.name}.v${event.version}`,
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  }

  async function publish<E extends EventDefinition>(
    event: E,
    payload: PayloadOf<E>,
    { msgId, validate = true }: PublishOptions,
  ): Promise<PublishReceipt> {
    const data = validate ? checked(event, payload) : payload;
    const hdrs = headers();
    hdrs.set('Ektola-Event', `${event.name}.v${event.version}`);
    injectTraceContext((key, value) => hdrs.set(key, value));
    hdrs.set('Nats-Msg-Id', msgId);
    const ack = await acks.publish(
      subjectOf(options.namespace, event),
      encoder.encode(JSON.stringify(data)),
      hdrs,
      timeout,
    );
    published?.inc({ event: `${event.name}.v${event.version}`, result: ack.duplicate ? 'duplicate' : 'stored' });
    return { duplicate: ack.duplicate, sequence: ack.seq };
  }

  return {
    publish,
    publishAll: (event, items) => Promise.all(items.map((item) => publish(event, item.payload, { msgId: item.msgId }))),
  };
}
