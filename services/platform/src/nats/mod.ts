export { connectNats, followConnection, natsReadiness, type NatsConnection } from './connection.ts';
export {
  provisionTopology,
  type ConsumerSpec,
  type ProvisionReport,
  type StreamSpec,
  type Topology,
} from './topology.ts';
export { createEventPublisher, type EventPublisher, type PublishOptions, type PublishReceipt } from './publisher.ts';
export {
  acknowledge,
  reject,
  retryLater,
  startConsumer,
  type ConsumerOptions,
  type Delivery,
  type Outcome,
  type Received,
  type ReceivedOf,
  type RunningConsumer,
} from './consumer.ts';
export { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
