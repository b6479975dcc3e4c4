import * as catalog from './catalog.ts';
import { subjectOf, type EventDefinition, type ServiceName } from './define.ts';
import { topologyFor } from './topology.ts';

/** A NATS user's subject permissions, in nats-server's configuration shape. */
export interface NatsPermissions {
  publish: { allow: string[] };
  subscribe: { allow: string[] };
}

/** The services that connect to NATS; the scheduler talks only gRPC. */
export const natsServices = [
  'campaign-service',
  'dispatcher-service',
  'webhook-service',
  'callback-service',
] as const satisfies readonly ServiceName[];
export type NatsService = (typeof natsServices)[number];

/**
 * The one service that may delete or purge the namespace's streams. Every service creates and updates
 * them at start-up (so start-up order never matters), but taking them away is an operator's act,
 * done with this service's credentials.
 */
export const streamOwner: NatsService = 'campaign-service';

const isEvent = (value: unknown): value is EventDefinition =>
  typeof value === 'object' &&
  value !== null &&
  'name' in value &&
  'owner' in value &&
  'stream' in value &&
  'version' in value;

// Sorted: a module namespace's key order differs between loaders, and the generated files must not.
const events: EventDefinition[] = (Object.values(catalog) as unknown[])
  .filter(isEvent)
  .sort((a, b) => a.name.localeCompare(b.name));

/**
 * What a service may do on NATS, from the event catalog and the JetStream topology alone: publish the
 * events it owns; look up, create and update the namespace's streams; create, read and pull from its
 * own durable consumers and acknowledge their messages; and take replies (JetStream API answers,
 * publish acknowledgements, pulled messages) on `_INBOX.>`. Nothing else: the webhook-service cannot
 * publish run.requested, and no one but `streamOwner` can delete a stream.
 */
export function natsPermissionsFor(service: NatsService, namespace: string): NatsPermissions {
  const api = '$JS.API';
  const topology = topologyFor({ namespace, replicas: 1, owner: service });
  const publish = [
    ...events.filter((event) => event.owner === service).map((event) => subjectOf(namespace, event)),
    `${api}.INFO`,
    ...topology.streams.flatMap((stream) =>
      ['INFO', 'CREATE', 'UPDATE'].map((action) => `${api}.STREAM.${action}.${stream.name}`),
    ),
    ...(service === streamOwner
      ? topology.streams.flatMap((stream) =>
          ['DELETE', 'PURGE'].map((action) => `${api}.STREAM.${action}.${stream.name}`),
        )
      : []),
    ...topology.consumers.flatMap(({ stream, durable }) => [
      `${api}.CONSUMER.INFO.${stream}.${durable}`,
      // nats.js names the filter subject after the durable on servers from 2.9 on, and older ones take DURABLE.CREATE.
      `${api}.CONSUMER.CREATE.${stream}.${durable}`,
      `${api}.CONSUMER.CREATE.${stream}.${durable}.>`,
      `${api}.CONSUMER.DURABLE.CREATE.${stream}.${durable}`,
      `${api}.CONSUMER.MSG.NEXT.${stream}.${durable}`,
      `$JS.ACK.${stream}.${durable}.>`,
    ]),
  ];
  return { publish: { allow: publish }, subscribe: { allow: ['_INBOX.>'] } };
}

/** A nats-server `authorization` block with one user per service; the password is whatever the server config takes (a value or `$VARIABLE`). */
export function natsAuthorization(
  namespace: string,
  passwords: Record<NatsService, string>,
): { users: Array<{ user: NatsService; password: string; permissions: NatsPermissions }> } {
  return {
    users: natsServices.map((service) => ({
      user: service,
      password: passwords[service],
      permissions: natsPermissionsFor(service, namespace),
    })),
  };
}
