import { connect, type NatsConnection, type Status } from '@nats-io/transport-node';
import { ConfigError } from '../config.ts';
import type { Logger } from '../logger.ts';

export type { NatsConnection } from '@nats-io/transport-node';

/**
 * Connects once at start-up (a service that cannot reach NATS at all should fail and be restarted),
 * then reconnects forever: a NATS restart must never take a running service down. `url` may be a seed
 * list (`nats://a:4222,nats://b:4222,nats://c:4222`): the first connection tries each listed server
 * until one answers, and a lost connection moves to any other node of the cluster, listed or
 * announced by the servers (test/nats-seed-list.test.ts).
 */
export async function connectNats(options: {
  url: string;
  name: string;
  logger: Logger;
  /** The service's own NATS user, whose permissions allow only what the service does. */
  credentials?: { user?: string | undefined; password?: string | undefined };
}): Promise<NatsConnection> {
  const { user, password } = options.credentials ?? {};
  if (user !== undefined && password === undefined)
    throw new ConfigError(['NATS_PASSWORD: is required when NATS_USER is set']);
  if (user === undefined && password !== undefined)
    throw new ConfigError(['NATS_USER: is required when NATS_PASSWORD is set']);
  const nc = await connect({
    servers: options.url.split(',').map((server) => server.trim()),
    name: options.name,
    ...(user !== undefined ? { user, pass: password } : {}),
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    pingInterval: 10_000,
    timeout: 5_000,
    // Otherwise every request (each JetStream publish is one) builds two Error objects up front, stack
    // traces included, only in case it fails: a fifth of a publishing service's CPU. A timeout still
    // rejects with a TimeoutError, just without the caller's stack.
    noAsyncTraces: true,
  });
  followConnection(nc, (status) => {
    if (status.type === 'ping') return;
    options.logger[status.type === 'reconnect' ? 'info' : 'warn']({ nats: status.type }, `nats ${status.type}`);
  });
  return nc;
}

/** Calls `listener` with every status change of the connection (disconnect, reconnect, close …) until stopped. */
export function followConnection(nc: NatsConnection, listener: (status: Status) => void): { stop(): void } {
  // nats.js hands back its QueuedIterator, whose stop() ends the iteration (the type only says AsyncIterable).
  const statuses = nc.status() as AsyncIterable<Status> & { stop?: () => void };
  void (async () => {
    for await (const status of statuses) listener(status);
  })();
  return { stop: () => statuses.stop?.() };
}

/** Readiness: a round trip to the server; while it is unreachable this never resolves and times out. */
export const natsReadiness = (nc: NatsConnection) => async () => {
  if (nc.isClosed()) throw new Error('nats connection is closed');
  await nc.rtt();
};
