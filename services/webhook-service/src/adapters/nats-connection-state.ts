import type { NatsConnection } from '@ektola/platform/nats';

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
  const statuses = nc.status()[Symbol.asyncIterator]();
  void (async () => {
    for (let next = await statuses.next(); !next.done; next = await statuses.next()) {
      if (next.value.type === 'disconnect' || next.value.type === 'close') connected = false;
      else if (next.value.type === 'reconnect') connected = true;
    }
  })();
  return {
    isConnected: () => connected && !nc.isClosed(),
    stop: () => void statuses.return?.(),
  };
}
