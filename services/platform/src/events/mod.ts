export * from './catalog.ts';
export { defineEvent, streamNameOf, subjectOf, type EventDefinition, type PayloadOf, type ServiceName, type StreamKey } from './define.ts';
export { consumerSpec, eventsOf, topologyFor, type ConsumerName, type TopologyOptions } from './topology.ts';
