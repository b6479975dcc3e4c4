import { followConnection, type NatsConnection } from '@ektola/platform/nats';

export interface ConnectionState {
  isConnected(): boolean;
  stop(): void;
}

/**
 * Follows the client's own view of the connection, so a request arriving while NATS is away is
 * answered 503 at once instead of queueing behind a reconnect it cannot see the end of.
 */
export function trackConnection(nc: NatsConnection): ConnectionState {
  let connected = !nc.isClosed();
  const following = followConnection(nc, (status) => {
    if (status.type === 'disconnect' || status.type === 'close') connected = false;
    else if (status.type === 'reconnect') connected = true;
  });
  return {
    isConnected: () => connected && !nc.isClosed(),
    stop: following.stop,
  };
}
