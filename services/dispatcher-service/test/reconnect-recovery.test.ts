import { createLogger } from '@ektola/platform/logger';
import type { Sql } from '@ektola/platform/postgres';
import { testNatsUrl } from '@ektola/platform/testing';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresReconciliationStore } from '../src/adapters/postgres-reconciliation-store.ts';
import { recoverAfterReconnect } from '../src/transport/reconnect-recovery.ts';
import { useDispatchDatabase } from './dispatch-database.ts';

const logger = createLogger({ service: 'test', level: 'silent' });
let nc: NatsConnection | undefined;
const database = useDispatchDatabase('recovery');
let sql: Sql;
beforeAll(() => {
  sql = database();
});
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
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('recovery after a NATS reconnect', () => {
  it('when the connection to NATS is re-established, then a pass runs once per reconnect, reconnects during a pass fold into one more, and none starts after stop', async () => {
    nc = await connect({ servers: testNatsUrl(), reconnectTimeWait: 50 });
    let passes = 0;
    let release: (() => void) | undefined;
    let stoppingSeen: (() => boolean) | undefined;
    const recovery = recoverAfterReconnect(
      nc,
      (stopping) => {
        passes += 1;
        stoppingSeen = stopping;
        return new Promise<void>((resolve) => (release = resolve));
      },
      logger,
    );

    await nc.reconnect();
    await until(() => passes === 1, 'the first pass');
    // Two more reconnects while the first pass still runs: one pass follows it, not two.
    await nc.reconnect();
    await nc.reconnect();
    await settle();
    expect(passes).toBe(1);
    release!();
    await until(() => passes === 2, 'the folded pass');
    expect(stoppingSeen!()).toBe(false);

    const stopped = recovery.stop();
    expect(stoppingSeen!()).toBe(true);
    release!();
    await stopped;
    await nc.reconnect();
    await settle();
    expect(passes).toBe(2);
  });

  it('when several replicas claim the pass after the same reconnect, then one gets it, and nobody again until the gap has passed', async () => {
    const replicas = [1, 2, 3].map(() => createPostgresReconciliationStore(sql));
    const claims = await Promise.all(replicas.map((store) => store.claimRecoveryPass('nats-reconnect', 30_000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await replicas[1]!.claimRecoveryPass('nats-reconnect', 30_000)).toBe(false);
    expect(await replicas[2]!.claimRecoveryPass('start-up', 30_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await replicas[1]!.claimRecoveryPass('nats-reconnect', 10)).toBe(true);
  });
});
