import type { z } from 'zod';

/**
 * One event type: a dotted name owned by one service, a version (a breaking change is a new version
 * on a new subject, both published while consumers move), the stream it lives in, and its payload schema.
 */
export interface EventDefinition<Schema extends z.ZodType = z.ZodType> {
  name: string;
  version: number;
  stream: StreamKey;
  owner: ServiceName;
  schema: Schema;
}

export type ServiceName =
  'campaign-service' | 'dispatcher-service' | 'webhook-service' | 'scheduler-service' | 'callback-service';
export type StreamKey = 'RUNS' | 'DISPATCH' | 'WHATSAPP' | 'CONTACTS' | 'MESSAGES' | 'SUPPRESSIONS' | 'SENDERS';

export type PayloadOf<E extends EventDefinition> = z.output<E['schema']>;

export const defineEvent = <Schema extends z.ZodType>(definition: EventDefinition<Schema>) => definition;

/** `<namespace>.run.requested.v1`: the namespace keeps test runs (and tenants of one NATS) apart. */
export const subjectOf = (namespace: string, event: EventDefinition) => `${namespace}.${event.name}.v${event.version}`;

export const streamNameOf = (namespace: string, stream: StreamKey) => `${namespace.toUpperCase()}_${stream}`;
