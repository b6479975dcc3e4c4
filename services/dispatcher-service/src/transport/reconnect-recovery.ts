import type { Logger } from '@ektola/platform/logger';
import { followConnection, type NatsConnection } from '@ektola/platform/nats';

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

  const following = followConnection(nc, (status) => {
    if (status.type === 'reconnect') run();
  });

  return {
    async stop() {
      stopped = true;
      following.stop();
      await running;
    },
  };
}
