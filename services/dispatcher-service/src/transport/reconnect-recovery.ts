import type { Logger } from '@ektola/platform/logger';
import type { Registry } from '@ektola/platform/metrics';
import { followConnection, type NatsConnection } from '@ektola/platform/nats';
import { startPeriodic } from '@ektola/platform/periodic';

/**
 * Send batches JetStream had handed this process when the connection dropped, and naks written into
 * the dead connection, come back only when dispatcher-send's ack wait (2 minutes) runs out; in fault
 * scenario 2 a run then waited those 2 minutes for its last PENDING messages. After every reconnect
 * `recover` runs (the sweeper queues the PENDING messages of open runs again, one replica per gap);
 * reconnects during a pass fold into one more pass, and none starts once stopping. A failed pass is
 * logged and counted; the ack wait still brings the batches back.
 */
export function recoverAfterReconnect(
  nc: NatsConnection,
  recover: (stopping: () => boolean) => Promise<void>,
  log: Logger,
  registry?: Registry,
): { stop(): Promise<void> } {
  // No timer: each reconnect triggers a pass; the helper runs one at a time and folds the rest.
  const task = startPeriodic({
    name: 'dispatcher-reconnect-recovery',
    runAtStart: false,
    logger: log,
    registry,
    pass: (signal) => recover(() => signal.aborted),
  });
  const following = followConnection(nc, (status) => {
    if (status.type === 'reconnect') task.trigger();
  });

  return {
    async stop() {
      following.stop();
      await task.stop();
    },
  };
}
