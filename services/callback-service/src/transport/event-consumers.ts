import type { JetStreamClient } from '@nats-io/jetstream';
import {
  accountError,
  contactOptedIn,
  contactOptedOut,
  messageReplied,
  messageStatusChanged,
  runCompleted,
  templateStatusChanged,
  type ConsumerName,
  type EventDefinition,
  type PayloadOf,
} from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import type { Registry } from '@ektola/platform/metrics';
import { startConsumer, type RunningConsumer } from '@ektola/platform/nats';
import {
  accountErrorEvent,
  contactPreferenceEvent,
  messageEvent,
  messageRepliedEvent,
  runCompletedEvent,
  templateStatusEvent,
  type CallbackEvent,
} from '../domain/callback-event.ts';
import type { CallbackEventLog } from '../domain/ports.ts';

/** The consume loop parsed the payload against the event's schema, so the mapper may take it as that event's. */
type Mapper = (received: { name: string; payload: unknown }) => CallbackEvent[];
const mapper = <E extends EventDefinition>(
  _event: readonly E[],
  map: (payload: PayloadOf<E>, name: string) => CallbackEvent | CallbackEvent[],
): Mapper =>
  ((received: { name: string; payload: PayloadOf<E> }) =>
    [map(received.payload, received.name)].flat()) as unknown as Mapper;

/** Each source of callbacks and the callback events its events become (the same ones, with the same ids, on every redelivery). */
const sources = [
  {
    durable: 'callback-message-status',
    events: [messageStatusChanged],
    map: mapper([messageStatusChanged], (payload) => payload.statuses.map(messageEvent)),
  },
  { durable: 'callback-replies', events: [messageReplied], map: mapper([messageReplied], messageRepliedEvent) },
  { durable: 'callback-runs', events: [runCompleted], map: mapper([runCompleted], runCompletedEvent) },
  {
    durable: 'callback-contacts',
    events: [contactOptedOut, contactOptedIn],
    map: mapper([contactOptedOut, contactOptedIn], (payload, name) =>
      contactPreferenceEvent(name === contactOptedIn.name ? 'contact.opted_in' : 'contact.opted_out', payload),
    ),
  },
  {
    durable: 'callback-template-status',
    events: [templateStatusChanged],
    map: mapper([templateStatusChanged], templateStatusEvent),
  },
  { durable: 'callback-account-error', events: [accountError], map: mapper([accountError], accountErrorEvent) },
] as const satisfies ReadonlyArray<{ durable: ConsumerName; events: readonly EventDefinition[]; map: Mapper }>;

/**
 * Every source of callbacks, read in batches: a batch's events and their deliveries commit in one
 * statement and only then are the JetStream messages acknowledged, so a crash anywhere loses nothing.
 */
export function startEventConsumers(options: {
  js: JetStreamClient;
  namespace: string;
  logger: Logger;
  registry: Registry;
  events: CallbackEventLog;
  batchSize: number;
  batchWaitMs: number;
}): RunningConsumer[] {
  return sources.map((source) =>
    startConsumer({
      js: options.js,
      namespace: options.namespace,
      durable: source.durable,
      events: source.events,
      logger: options.logger,
      registry: options.registry,
      retryBaseMs: 1_000,
      batch: { maxSize: options.batchSize, maxWaitMs: options.batchWaitMs },
      async handleBatch(items) {
        await options.events.record(items.flatMap((item) => source.map(item)));
      },
    }),
  );
}
