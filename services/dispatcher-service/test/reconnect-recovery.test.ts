import { createLogger } from '@ektola/platform/logger';
import { testNatsUrl } from '@ektola/platform/testing';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { recoverAfterReconnect } from '../src/transport/reconnect-recovery.ts';

const logger = createLogger({ service: 'test', level: 'silent' });
let nc: NatsConnection | undefined;
afterEach(async () => {
  await nc?.close();
  nc = undefined;
});

const until = async (probe: () => boolean, what: string) => {
  const deadline = Date.now() + 10_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`${what} not reached`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('recovery after a NATS reconnect', () => {
  it('when the connection to NATS is re-established, then pending messages are queued again once per reconnect, and reconnects during a pass fold into one more', async () => {
    nc = await connect({ servers: testNatsUrl(), reconnectTimeWait: 50 });
    let passes = 0;
    let release: (() => void) | undefined;
    const recovery = recoverAfterReconnect(
      nc,
      () => {
        passes += 1;
        return new Promise<void>((resolve) => (release = resolve));
      },
      logger,
    );

    await nc.reconnect();
    await until(() => passes === 1, 'the first pass');
    // Two more reconnects while the first pass still runs: one pass follows it, not two.
    await nc.reconnect();
    await nc.reconnect();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(passes).toBe(1);
    release!();
    await until(() => passes === 2, 'the folded pass');
    release!();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(passes).toBe(2);

    await recovery.stop();
    await nc.reconnect();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(passes).toBe(2);
  });
});
