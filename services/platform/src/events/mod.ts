export * from './catalog.ts';
export {
  defineEvent,
  streamNameOf,
  subjectOf,
  type EventDefinition,
  type PayloadOf,
  type ServiceName,
  type StreamKey,
} from './define.ts';
export { consumerSpec, eventsOf, topologyFor, type ConsumerName, type TopologyOptions } from './topology.ts';
export {
  natsAuthorization,
  natsPermissionsFor,
  natsServices,
  streamOwner,
  type NatsPermissions,
  type NatsService,
} from './nats-permissions.ts';
export { callbackEventTypes, type CallbackEventType } from './callback-types.ts';
