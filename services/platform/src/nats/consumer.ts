import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { isDomainError } from '../errors.ts';
import { streamNameOf, subjectOf, type EventDefinition, type PayloadOf } from '../events/define.ts';
import type { ConsumerName } from '../events/topology.ts';
import type { Logger } from '../logger.ts';
import { SpanKind, extractTraceContext, trace, withSpan } from '../telemetry.ts';
import { followConnection } from './connection.ts';
import { connectionOf } from './stream-acks.ts';

export interface Delivery {
  subject: string;
  /** 1 on the first delivery; JetStream counts redeliveries. */
  deliveryCount: number;
  streamSequence: number;
  msgId: string | undefined;
}

export type Received<E extends EventDefinition> = { name: E['name']; payload: PayloadOf<E>; delivery: Delivery };
export type ReceivedOf<Es extends readonly EventDefinition[]> = { [K in keyof Es]: Received<Es[K]> }[number];

/** What a handler decides for one event. Returning nothing means ack. */
export type Outcome =
  { action: 'ack' } | { action: 'retry'; delayMs?: number; reason: string } | { action: 'reject'; reason: string };

export const acknowledge: Outcome = { action: 'ack' };
export const retryLater = (reason: string, delayMs?: number): Outcome =>
  delayMs === undefined ? { action: 'retry', reason } : { action: 'retry', reason, delayMs };
export const reject = (reason: string): Outcome => ({ action: 'reject', reason });

interface CommonOptions<Es extends readonly EventDefinition[]> {
  js: JetStreamClient;
  namespace: string;
  durable: ConsumerName;
  events: Es;
  logger: Logger;
  registry?: Registry;
  /** Handlers (or batches) running at once. */
  concurrency?: number;
  /** Backoff for retries the handler did not time itself: base × 2^(delivery-1), capped. */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

export type ConsumerOptions<Es extends readonly EventDefinition[]> = CommonOptions<Es> &
  (
    | { handle: (received: ReceivedOf<Es>) => Promise<Outcome | void> }
    | {
        batch: { maxSize: number; maxWaitMs: number };
        /** One outcome per item, in order; returning nothing acks them all. */
        handleBatch: (received: ReceivedOf<Es>[]) => Promise<Array<Outcome | void> | void>;
      }
  );

export interface RunningConsumer {
  /** Stops pulling, finishes what is in flight, hands back (nak) what was fetched but not started. */
  stop(): Promise<void>;
}

const decoder = new TextDecoder();
/** OpenTelemetry's default span link limit: links beyond it are dropped by the SDK. */
const maxSpanLinks = 128;

/** Read lazily: the headers and the reply subject are decoded only for handlers that look at them. */
function deliveryOf(message: JsMsg): Delivery {
  return {
    subject: message.subject,
    get deliveryCount() {
      return message.info.deliveryCount;
    },
    streamSequence: message.seq,
    get msgId() {
      return message.headers?.get('Nats-Msg-Id') || undefined;
    },
  };
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The loop's bound for a consumer whose server-side limit is `maxDeliver` (one above it; -1 for none). */
const deliveriesAllowedBy = (maxDeliver: number) => (maxDeliver > 0 ? Math.max(1, maxDeliver - 1) : Infinity);

/**
 * The one JetStream consume loop every service uses: re-creates `consume()` when it ends, parses each
 * payload with its event's schema (terminating and counting one that does not parse, instead of
 * retrying it forever), runs handlers with bounded concurrency inside a span continued from the
 * publisher's trace, and maps each outcome to ack, nak with backoff, or term. An event still asked to
 * be retried at the consumer's bound of deliveries is terminated, counted and logged once: a poison
 * event must not hold a slot (and for a work queue, the queue) forever.
 */
export function startConsumer<const Es extends readonly EventDefinition[]>(
  options: ConsumerOptions<Es>,
): RunningConsumer {
  const { js, namespace, durable, logger } = options;
  const log = logger.child({ consumer: durable });
  const concurrency = options.concurrency ?? 1;
  const batchSize = 'batch' in options ? options.batch.maxSize : 1;
  const batchWaitMs = 'batch' in options ? options.batch.maxWaitMs : 0;
  const retryBaseMs = options.retryBaseMs ?? 500;
  const retryMaxMs = options.retryMaxMs ?? 30_000;
  const metrics = consumerMetrics(options.registry);
  const eventBySubject = new Map(options.events.map((event) => [subjectOf(namespace, event), event]));
  const streamName = streamNameOf(namespace, options.events[0]!.stream);

  let stopping = false;
  // Read from the consumer's server-side max_deliver whenever the loop (re)creates consume().
  let maxDeliveries = Infinity;
  let messages: ConsumerMessages | undefined;
  let pending: JsMsg[] = [];
  let flushTimer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<void>>();
  const slotWaiters: Array<() => void> = [];
  // An ack or nak written while the connection is down waits in the client's buffer, and the restarted
  // server may drop it unanswered: in two of seven runs of fault scenario 2 every outcome given in those
  // 2 s was lost, so the dispatch batches came back only when their 2 min ack wait ran out. Outcomes
  // decided while disconnected are held and given once the connection is back, each ack confirmed.
  const connection = connectionOf(js);
  let disconnected = false;
  let held: Array<{ message: JsMsg; outcome: Outcome; quiet?: boolean }> = [];

  const handleBatch: (items: ReceivedOf<Es>[]) => Promise<Array<Outcome | void> | void> =
    'handleBatch' in options ? options.handleBatch : (items) => Promise.all(items.map((item) => options.handle(item)));

  metrics.pending.labels(durable).set(0);
  metrics.terminated.inc({ consumer: durable, reason: 'max_deliveries' }, 0);
  const pendingProbe = setInterval(() => {
    void js.consumers
      .get(streamName, durable)
      .then((consumer) => consumer.info())
      .then((info) => {
        metrics.pending.labels(durable).set(info.num_pending + info.num_ack_pending);
        maxDeliveries = deliveriesAllowedBy(info.config.max_deliver ?? -1);
      })
      .catch(() => undefined);
  }, 5_000);
  pendingProbe.unref();

  async function acquireSlot(): Promise<void> {
    while (inFlight.size >= concurrency) await new Promise<void>((resolve) => slotWaiters.push(resolve));
  }

  function parse(message: JsMsg): ReceivedOf<Es> | undefined {
    const event = eventBySubject.get(message.subject);
    if (!event) {
      reportInvalid(message, `no event is published on ${message.subject}`);
      return undefined;
    }
    let json: unknown;
    try {
      json = JSON.parse(decoder.decode(message.data));
    } catch {
      reportInvalid(message, 'payload is not JSON');
      return undefined;
    }
    const parsed = event.schema.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
      reportInvalid(message, problems.join('; '));
      return undefined;
    }
    return { name: event.name, payload: parsed.data, delivery: deliveryOf(message) } as ReceivedOf<Es>;
  }

  // NATS 2.9 (Debian's) ignores a `+TERM` that carries a reason, so the reason goes to the log instead.
  function reportInvalid(message: JsMsg, reason: string) {
    message.term();
    metrics.consumed.inc({ consumer: durable, outcome: 'invalid' });
    log.error(
      { subject: message.subject, sequence: message.seq, reason },
      'terminated an event that does not match its schema',
    );
  }

  const following = connection
    ? followConnection(connection, (status) => {
        if (status.type === 'disconnect') disconnected = true;
        else if (status.type === 'reconnect') {
          disconnected = false;
          const settling = held;
          held = [];
          for (const { message, outcome, quiet } of settling) give(message, outcome, true, quiet);
        }
      })
    : undefined;

  function exhausted(message: JsMsg): boolean {
    return message.info.deliveryCount >= maxDeliveries;
  }

  function terminateExhausted(message: JsMsg, reason: string) {
    metrics.consumed.inc({ consumer: durable, outcome: 'reject' });
    metrics.terminated.inc({ consumer: durable, reason: 'max_deliveries' });
    log.error(
      {
        subject: message.subject,
        sequence: message.seq,
        deliveries: message.info.deliveryCount,
        maxDeliveries,
        reason,
      },
      'terminated an event after its last allowed delivery',
    );
    if (disconnected) held.push({ message, outcome: { action: 'reject', reason }, quiet: true });
    else message.term();
  }

  function settle(message: JsMsg, outcome: Outcome | void) {
    if (outcome?.action === 'retry' && exhausted(message)) {
      terminateExhausted(message, outcome.reason);
      return;
    }
    const decided = outcome ?? acknowledge;
    metrics.consumed.inc({ consumer: durable, outcome: decided.action });
    if (disconnected) held.push({ message, outcome: decided });
    else give(message, decided, false);
  }

  function give(message: JsMsg, decided: Outcome, confirm: boolean, quiet = false) {
    if (decided.action === 'ack' && confirm) {
      // Unconfirmed, the message comes back after its ack wait and is handled (idempotently) again.
      message
        .ackAck()
        .catch((error: unknown) =>
          log.warn({ err: error, sequence: message.seq }, 'ack after reconnecting not confirmed'),
        );
    } else if (decided.action === 'ack') message.ack();
    else if (decided.action === 'reject') {
      if (!quiet)
        log.warn({ subject: message.subject, sequence: message.seq, reason: decided.reason }, 'rejected an event');
      message.term();
    } else {
      const backoff = Math.min(retryBaseMs * 2 ** (message.info.deliveryCount - 1), retryMaxMs);
      message.nak(decided.delayMs ?? backoff);
    }
  }

  function failAll(messages: JsMsg[], error: unknown) {
    const permanent = isDomainError(error) && !error.retryable;
    log[permanent ? 'error' : 'warn'](
      { err: error, count: messages.length },
      permanent ? 'handler failed permanently' : 'handler failed; will retry',
    );
    const reason = error instanceof Error ? error.message : String(error);
    for (const message of messages) settle(message, permanent ? reject(reason) : retryLater(reason));
  }

  async function process(batch: JsMsg[]): Promise<void> {
    const parsed: Array<{ message: JsMsg; received: ReceivedOf<Es> }> = [];
    for (const message of batch) {
      // Past the bound already: its earlier deliveries ended without an outcome (a crash, an ack wait run out).
      if (message.info.deliveryCount > maxDeliveries) {
        terminateExhausted(message, 'delivered past the bound without an outcome');
        continue;
      }
      const received = parse(message);
      if (received) parsed.push({ message, received });
    }
    if (parsed.length === 0) return;
    const working = setInterval(() => parsed.forEach(({ message }) => message.working()), 15_000);
    const started = performance.now();
    try {
      // Only as many publishers as a span keeps links to are read: decoding every message's headers for
      // links the SDK would drop cost more than the rest of a status batch's consumption.
      const contexts = parsed
        .slice(0, maxSpanLinks)
        .map(({ message }) => extractTraceContext((key) => message.headers?.get(key) || undefined));
      const links = contexts
        .map((ctx) => trace.getSpanContext(ctx))
        .filter((spanContext) => spanContext !== undefined)
        .map((spanContext) => ({ context: spanContext }));
      const outcomes = await withSpan(
        `consume ${durable}`,
        {
          kind: SpanKind.CONSUMER,
          // A lone event continues its publisher's trace; a batch links to every publisher instead.
          ...(parsed.length === 1 ? { parent: contexts[0]! } : {}),
          attributes: {
            'messaging.system': 'nats',
            'messaging.consumer.group.name': durable,
            'messaging.batch.message_count': parsed.length,
          },
        },
        async (span) => {
          if (parsed.length > 1) span.addLinks(links);
          return handleBatch(parsed.map(({ received }) => received));
        },
      );
      parsed.forEach(({ message }, index) => settle(message, outcomes?.[index]));
    } catch (error) {
      failAll(
        parsed.map(({ message }) => message),
        error,
      );
    } finally {
      clearInterval(working);
      metrics.duration.observe({ consumer: durable }, (performance.now() - started) / 1000);
    }
  }

  async function flush(): Promise<void> {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    if (pending.length === 0) return;
    await acquireSlot();
    const batch = pending.splice(0, batchSize);
    const task = process(batch).finally(() => {
      inFlight.delete(task);
      slotWaiters.shift()?.();
    });
    inFlight.add(task);
  }

  async function watch(current: ConsumerMessages) {
    for await (const status of current.status()) {
      if (
        status.type === 'heartbeats_missed' ||
        status.type === 'consumer_not_found' ||
        status.type === 'stream_not_found'
      ) {
        log.warn({ status: status.type }, 'consumer status');
      }
    }
  }

  const loop = (async () => {
    while (!stopping) {
      try {
        const consumer = await js.consumers.get(streamName, durable);
        maxDeliveries = deliveriesAllowedBy((await consumer.info(true)).config.max_deliver ?? -1);
        // A pull lives on the consumer's leader: when a node dies or the leader moves, the client learns of
        // it from missed heartbeats (two, each half of `expires`). 10 s instead of the default 30 s lets
        // a quiet consumer (replies, account errors) pull from the new leader within about 10 s.
        messages = await consumer.consume({ max_messages: Math.max(concurrency * batchSize * 2, 8), expires: 10_000 });
        void watch(messages);
        for await (const message of messages) {
          if (stopping) {
            message.nak();
            continue;
          }
          pending.push(message);
          if (pending.length >= batchSize) await flush();
          else flushTimer ??= setTimeout(() => void flush(), batchWaitMs);
        }
      } catch (error) {
        if (!stopping) log.warn({ err: error }, 'consume loop ended; re-creating');
      }
      if (!stopping) await sleep(1_000);
    }
  })();

  return {
    async stop() {
      stopping = true;
      clearInterval(pendingProbe);
      following?.stop();
      clearTimeout(flushTimer);
      await messages?.close().catch(() => undefined);
      for (const message of pending) message.nak();
      pending = [];
      await Promise.allSettled(inFlight);
      for (const { message, outcome, quiet } of held) give(message, outcome, false, quiet);
      held = [];
      await loop;
    },
  };
}

interface ConsumerMetrics {
  consumed: Counter<'consumer' | 'outcome'>;
  terminated: Counter<'consumer' | 'reason'>;
  duration: Histogram<'consumer'>;
  pending: Gauge<'consumer'>;
}

function consumerMetrics(registry: Registry | undefined): ConsumerMetrics {
  const registers = registry ? [registry] : [];
  const reuse = <T>(name: string, create: () => T): T => (registry?.getSingleMetric(name) as T | undefined) ?? create();
  return {
    consumed: reuse(
      'ektola_events_consumed_total',
      () =>
        new Counter({
          name: 'ektola_events_consumed_total',
          help: 'Events settled by a consumer, by outcome (ack, retry, reject, invalid)',
          labelNames: ['consumer', 'outcome'],
          registers,
        }),
    ),
    terminated: reuse(
      'ektola_consumer_messages_terminated_total',
      () =>
        new Counter({
          name: 'ektola_consumer_messages_terminated_total',
          help: 'Events a consumer stopped redelivering, by reason (max_deliveries: still failing at the last allowed delivery)',
          labelNames: ['consumer', 'reason'],
          registers,
        }),
    ),
    duration: reuse(
      'ektola_event_handle_seconds',
      () =>
        new Histogram({
          name: 'ektola_event_handle_seconds',
          help: 'Time a consumer spent handling one event or batch',
          labelNames: ['consumer'],
          buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
          registers,
        }),
    ),
    pending: reuse(
      'ektola_jetstream_consumer_pending',
      () =>
        new Gauge({
          name: 'ektola_jetstream_consumer_pending',
          help: 'Events waiting for or being processed by a durable consumer',
          labelNames: ['consumer'],
          registers,
        }),
    ),
  };
}
