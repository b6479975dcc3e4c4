import type { ConsumerSpec, StreamSpec, Topology } from '../nats/topology.ts';
import * as catalog from './catalog.ts';
import { streamNameOf, subjectOf, type EventDefinition, type ServiceName, type StreamKey } from './define.ts';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const mebibyte = 1024 * 1024;

interface StreamShape {
  description: string;
  retention: StreamSpec['retention'];
  duplicateWindowMs: number;
  maxAgeMs: number;
  /**
   * A bound on disk as well as age. JetStream reserves each stream's maximum on the server when the stream
   * is created, so together they must fit the server's store (the NATS chart's default volume is 10 GiB).
   */
  maxMegabytes: number;
  subjectPrefix: string;
}

const streamShapes: Record<StreamKey, StreamShape> = {
  RUNS: {
    description: 'Campaign runs requested and completed',
    retention: 'limits',
    // Long enough to absorb an outbox relay that republishes after a crash and a slow restart.
    duplicateWindowMs: hour,
    maxAgeMs: 30 * day,
    maxMegabytes: 128,
    subjectPrefix: 'run',
  },
  DISPATCH: {
    description: 'Batches of stored messages waiting to be sent',
    retention: 'workqueue',
    duplicateWindowMs: 10 * minute,
    maxAgeMs: 7 * day,
    maxMegabytes: 512,
    subjectPrefix: 'dispatch',
  },
  WHATSAPP: {
    description: 'Verified notifications from the WhatsApp webhook',
    retention: 'limits',
    // Meta redelivers unanswered webhooks with backoff; within this window they are dropped at publish.
    duplicateWindowMs: hour,
    maxAgeMs: 7 * day,
    maxMegabytes: 1024,
    subjectPrefix: 'whatsapp',
  },
  CONTACTS: {
    description: 'Contact preference changes coming from users',
    retention: 'limits',
    duplicateWindowMs: hour,
    maxAgeMs: 30 * day,
    maxMegabytes: 128,
    subjectPrefix: 'contact',
  },
  MESSAGES: {
    description: 'Message lifecycle events: each status a message reaches, and dead letters',
    retention: 'limits',
    duplicateWindowMs: 10 * minute,
    maxAgeMs: 30 * day,
    // Four statuses or so per message: a million-message run is about a gigabyte.
    maxMegabytes: 2048,
    subjectPrefix: 'message',
  },
  SUPPRESSIONS: {
    description: 'Contacts that must not be messaged (opted out or deleted), and their lifting',
    retention: 'limits',
    duplicateWindowMs: hour,
    maxAgeMs: 30 * day,
    maxMegabytes: 128,
    subjectPrefix: 'suppression',
  },
  SENDERS: {
    description: 'Sender numbers as the campaign-service states them: limits, quality, restrictions',
    retention: 'limits',
    duplicateWindowMs: hour,
    maxAgeMs: 30 * day,
    maxMegabytes: 64,
    subjectPrefix: 'sender',
  },
};

/** Durable consumers, each owned by the one service that reads it. */
const consumerShapes = [
  {
    owner: 'dispatcher-service',
    durable: 'dispatcher-run-requested',
    description: 'Fans a requested run out into messages',
    events: [catalog.runRequested],
    ackWaitMs: 5 * minute,
    // A terminated request would leave its run never fanned out; what fails here is the campaign-service
    // or PostgreSQL being away, and the redelivery resumes at the stored cursor.
    maxDeliveries: 'unlimited',
    maxAckPending: 4,
  },
  {
    owner: 'dispatcher-service',
    durable: 'dispatcher-send',
    description: 'Sends batches of stored messages through the Cloud API',
    events: [catalog.dispatchBatch],
    ackWaitMs: 2 * minute,
    // The handler times its own waits (rate, tier, circuit, each message's retry), and a terminated batch
    // would leave its messages PENDING until a restart queues them again.
    maxDeliveries: 'unlimited',
    maxAckPending: 256,
  },
  {
    owner: 'dispatcher-service',
    durable: 'dispatcher-status',
    description: 'Applies WhatsApp status notifications to messages',
    events: [catalog.whatsappStatus, catalog.whatsappStatusBatch],
    ackWaitMs: minute,
    maxAckPending: 20_000,
  },
  {
    owner: 'dispatcher-service',
    durable: 'dispatcher-test-send',
    description: 'Stores and queues the one message of a test send',
    events: [catalog.testSendRequested],
    ackWaitMs: minute,
    maxAckPending: 100,
  },
  {
    owner: 'dispatcher-service',
    durable: 'dispatcher-run-cancelled',
    description: 'Skips the PENDING messages of a cancelled run',
    events: [catalog.runCancelled],
    ackWaitMs: minute,
    maxAckPending: 100,
  },
  {
    owner: 'dispatcher-service',
    durable: 'dispatcher-suppression',
    description: 'Keeps the contacts that must not be messaged and skips their PENDING messages',
    events: [catalog.suppressionChanged],
    ackWaitMs: minute,
    maxAckPending: 1_000,
  },
  {
    owner: 'dispatcher-service',
    durable: 'dispatcher-account-error',
    description: 'Stops sending from a number Meta reports a problem with',
    events: [catalog.accountError],
    ackWaitMs: minute,
    maxAckPending: 100,
  },
  {
    owner: 'dispatcher-service',
    durable: 'dispatcher-sender-changed',
    description: "Keeps each sender number's limits and state, and moves messages off a number that stopped",
    events: [catalog.senderChanged],
    ackWaitMs: minute,
    maxAckPending: 100,
  },
  {
    owner: 'dispatcher-service',
    durable: 'dispatcher-template-status',
    description:
      'Holds the messages of a template Meta paused or disabled, and releases them when it is approved again',
    events: [catalog.templateStatusChanged],
    ackWaitMs: minute,
    maxAckPending: 100,
  },
  {
    owner: 'dispatcher-service',
    durable: 'dispatcher-inbound',
    description: 'Stores the messages customers send, with the campaign message they answer',
    events: [catalog.whatsappInbound],
    ackWaitMs: minute,
    maxAckPending: 1_000,
  },
  {
    owner: 'campaign-service',
    durable: 'campaign-run-completed',
    description: 'Marks runs completed',
    events: [catalog.runCompleted],
    ackWaitMs: minute,
    maxAckPending: 100,
  },
  {
    owner: 'campaign-service',
    durable: 'campaign-contact-preference',
    description: 'Applies opt-outs and opt-ins that users send',
    events: [catalog.contactOptedOut, catalog.contactOptedIn],
    ackWaitMs: minute,
    maxAckPending: 1_000,
  },
  {
    owner: 'campaign-service',
    durable: 'campaign-template-status',
    description: 'Follows Meta template approvals, pauses and rejections',
    events: [catalog.templateStatusChanged],
    ackWaitMs: minute,
    maxAckPending: 100,
  },
  {
    owner: 'campaign-service',
    durable: 'campaign-number-update',
    description: "Applies Meta's quality, limit and account changes to sender numbers",
    events: [catalog.whatsappNumberUpdate],
    ackWaitMs: minute,
    maxAckPending: 100,
  },
  {
    owner: 'campaign-service',
    durable: 'campaign-template-update',
    description: "Applies Meta's template quality and category changes",
    events: [catalog.whatsappTemplateUpdate],
    ackWaitMs: minute,
    maxAckPending: 100,
  },
  {
    owner: 'callback-service',
    durable: 'callback-runs',
    description: 'Records run.completed callbacks for the endpoints subscribed',
    events: [catalog.runCompleted],
    ackWaitMs: minute,
    maxAckPending: 1_000,
  },
  {
    owner: 'callback-service',
    durable: 'callback-contacts',
    description: 'Records contact.opted_out and contact.opted_in callbacks',
    events: [catalog.contactOptedOut, catalog.contactOptedIn],
    ackWaitMs: minute,
    maxAckPending: 1_000,
  },
  {
    owner: 'callback-service',
    durable: 'callback-template-status',
    description: 'Records template.status_changed callbacks',
    events: [catalog.templateStatusChanged],
    ackWaitMs: minute,
    maxAckPending: 100,
  },
  {
    owner: 'callback-service',
    durable: 'callback-account-error',
    description: 'Records account.alert callbacks for problems Meta reports',
    events: [catalog.accountError],
    ackWaitMs: minute,
    maxAckPending: 100,
  },
  {
    owner: 'callback-service',
    durable: 'callback-message-status',
    description: 'Records message.* callbacks as messages reach a status',
    events: [catalog.messageStatusChanged],
    ackWaitMs: minute,
    maxAckPending: 20_000,
  },
  {
    owner: 'callback-service',
    durable: 'callback-replies',
    description: 'Records message.replied callbacks for the replies customers send to campaign messages',
    events: [catalog.messageReplied],
    ackWaitMs: minute,
    maxAckPending: 1_000,
  },
] as const satisfies ReadonlyArray<{
  owner: ServiceName;
  durable: string;
  description: string;
  events: readonly EventDefinition[];
  ackWaitMs: number;
  /** Only where the configured bound would do harm; every other consumer takes CONSUMER_MAX_DELIVERIES. */
  maxDeliveries?: 'unlimited';
  maxAckPending: number;
}>;

export type ConsumerName = (typeof consumerShapes)[number]['durable'];

/** Deliveries a consumer's handler gets before the consume loop terminates the event (CONSUMER_MAX_DELIVERIES). */
export const defaultMaxDeliveries = 20;

export interface TopologyOptions {
  namespace: string;
  replicas: number;
  owner?: ServiceName;
  /** Bound on deliveries for every consumer that does not declare its own. */
  maxDeliveries?: number;
  /** MiB per stream, replacing the declared size (JETSTREAM_STREAM_MAX_MB). */
  streamMaxMegabytes?: Partial<Record<StreamKey, number>>;
}

/**
 * The whole JetStream layout for one namespace. Every service provisions all streams (so start-up
 * order never matters) and only the consumers it owns.
 */
export function topologyFor(options: TopologyOptions): Topology {
  const { namespace, replicas } = options;
  const maxDeliveries = options.maxDeliveries ?? defaultMaxDeliveries;
  const streams: StreamSpec[] = Object.entries(streamShapes).map(([key, shape]) => ({
    name: streamNameOf(namespace, key as StreamKey),
    subjects: [`${namespace}.${shape.subjectPrefix}.>`],
    description: shape.description,
    retention: shape.retention,
    storage: 'file',
    replicas,
    duplicateWindowMs: shape.duplicateWindowMs,
    maxAgeMs: shape.maxAgeMs,
    maxBytes: (options.streamMaxMegabytes?.[key as StreamKey] ?? shape.maxMegabytes) * mebibyte,
    // A full work queue holds only work not yet done, so it refuses new work (the publisher retries) rather
    // than dropping queued sends; the other streams keep what was consumed too, and drop their oldest.
    discard: shape.retention === 'workqueue' ? 'new' : 'old',
  }));
  const consumers: ConsumerSpec[] = consumerShapes
    .filter((shape) => !options.owner || shape.owner === options.owner)
    .map((shape) => consumerSpecOf(namespace, shape, maxDeliveries));
  return { streams, consumers };
}

function consumerSpecOf(
  namespace: string,
  shape: (typeof consumerShapes)[number],
  maxDeliveries = defaultMaxDeliveries,
): ConsumerSpec {
  const first = shape.events[0];
  const events: readonly EventDefinition[] = shape.events;
  // A consumer of several versions of one event reads them through one filter (NATS 2.9 takes a single
  // filter subject); a consumer of several events reads its whole stream, so those events must be all
  // the stream holds.
  const filterSubject =
    events.length === 1
      ? subjectOf(namespace, first)
      : events.every((event) => event.name === first.name)
        ? `${namespace}.${first.name}.*`
        : `${namespace}.${streamShapes[first.stream].subjectPrefix}.>`;
  return {
    stream: streamNameOf(namespace, first.stream),
    durable: shape.durable,
    description: shape.description,
    filterSubject,
    ackWaitMs: shape.ackWaitMs,
    // One above the loop's bound: the loop terminates and counts at the bound, and the server's limit only
    // stops a message whose every delivery ended the process before the loop could settle it.
    maxDeliver: 'maxDeliveries' in shape ? -1 : maxDeliveries + 1,
    maxAckPending: shape.maxAckPending,
  };
}

export function consumerSpec(namespace: string, durable: ConsumerName): ConsumerSpec {
  const shape = consumerShapes.find((candidate) => candidate.durable === durable);
  if (!shape) throw new Error(`unknown consumer ${durable}`);
  return consumerSpecOf(namespace, shape);
}

/** Every event a consumer may receive, so the loop can parse each by its subject. */
export function eventsOf(durable: ConsumerName): readonly EventDefinition[] {
  return consumerShapes.find((candidate) => candidate.durable === durable)?.events ?? [];
}
