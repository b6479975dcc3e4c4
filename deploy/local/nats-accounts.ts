import { randomBytes } from 'node:crypto';
import { natsAuthorization, natsServices, type NatsService } from '@ektola/platform/events';
import { startNatsServer, type NatsServer } from '@ektola/platform/testing';

export interface NatsWithAccounts {
  server: NatsServer;
  /** NATS_USER and NATS_PASSWORD of each service that connects to NATS. */
  credentials: Record<NatsService, { NATS_USER: string; NATS_PASSWORD: string }>;
}

/**
 * `EKTOLA_NATS_ACCOUNTS=true npm start`: a nats-server of the stack's own whose users and subject
 * permissions are the ones the chart gives NATS (events/nats-permissions.ts), with fresh passwords,
 * so a service doing anything outside its permissions fails here as it would in production.
 */
export async function startNatsWithAccounts(namespace: string): Promise<NatsWithAccounts> {
  const passwords = Object.fromEntries(
    natsServices.map((service) => [service, randomBytes(18).toString('base64url')]),
  ) as Record<NatsService, string>;
  const server = await startNatsServer({
    authorization: natsAuthorization(namespace, passwords),
    probe: { user: 'webhook-service', pass: passwords['webhook-service'] },
  });
  const credentials = Object.fromEntries(
    natsServices.map((service) => [service, { NATS_USER: service, NATS_PASSWORD: passwords[service] }]),
  ) as NatsWithAccounts['credentials'];
  return { server, credentials };
}
