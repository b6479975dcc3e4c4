import type { Logger } from '@ektola/platform/logger';
import type { NatsConnection, Status } from '@nats-io/transport-node';

/**
 * Send batches JetStream had handed this process when the connection dropped, and naks written into
 * the dead connection, come back only when dispatcher-send's ack wait (2 minutes) runs out; in fault
 * scenario 2 a run then waited those 2 minutes for its last PENDING messages. After every reconnect
 * `recover` runs (the sweeper queues the PENDING messages of open runs again, one replica per gap);
 * reconnects during a pass fold into one more pass, and none starts once stopping.
 */
export function recoverAfterReconnect(
  nc: NatsConnection,
  recover: (stopping: () => boolean) => Promise<void>,
  log: Logger,
): { stop(): Promise<void> } {
  // nats.js hands back its QueuedIterator, whose stop() ends the iteration (the type only says AsyncIterable).
  const statuses = nc.status() as AsyncIterable<Status> & { stop?: () => void };
  let running: Promise<void> | undefined;
  let requested = false;
  let stopped = false;

  const run = () => {
    if (stopped) return;
    if (running) {
      requested = true;
      return;
    }
    running = recover(() => stopped)
      .catch((error: unknown) => log.warn({ err: error }, 'queueing pending messages again after a reconnect failed; the ack wait brings them back'))
      .finally(() => {
        running = undefined;
        if (requested) {
          requested = false;
          run();
        }
      });
  };

  void (async () => {
    for await (const status of statuses) if (status.type === 'reconnect') run();
  })();

  return {
    async stop() {
      stopped = true;
      statuses.stop?.();
      await running;
    },
  };
}
