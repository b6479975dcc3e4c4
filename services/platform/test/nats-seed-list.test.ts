import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsUrl } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { connectNats, type NatsConnection } from '../src/nats/mod.ts';
import { eventually, startNatsCluster, type NatsCluster } from '../src/testing/mod.ts';

/*
 * NATS_URL as a seed list: the three nodes of a real JetStream cluster (loopback ports and stores of
 * this test's own, never the shared server). The first node is down when the service connects, and
 * later the node it got is killed: it keeps publishing to a stream at three replicas throughout.
 */

let cluster: NatsCluster;
let nc: NatsConnection | undefined;
const stream = 'SEEDLIST';
const logger = createLogger({ service: 'seed-list-test', level: 'silent' });

beforeAll(async () => {
  cluster = await startNatsCluster({ size: 3 });
  const admin = await connect({ servers: cluster.seedList });
  await (await jetstreamManager(admin)).streams.add({ name: stream, subjects: ['seedlist.>'], num_replicas: 3 });
  await admin.close();
}, 60_000);

afterAll(async () => {
  await nc?.close();
  await cluster?.stop();
});

describe('NATS_URL with several servers', () => {
  it('when the config is given three comma-separated URLs, then it accepts them and names a bad one', () => {
    expect(natsUrl.safeParse(cluster.seedList).success).toBe(true);
    expect(natsUrl.safeParse(`${cluster.nodes[0]!.url}, ${cluster.nodes[1]!.url}`).success).toBe(true);
    expect(natsUrl.safeParse(`${cluster.nodes[0]!.url},http://127.0.0.1:1`).success).toBe(false);
  });

  it('when the first node is down at start-up and the connected node dies later, then the service keeps publishing', async () => {
    await cluster.nodes[0]!.kill('SIGKILL');
    nc = await connectNats({ url: cluster.seedList, name: 'seed-list-test', logger });
    const js = jetstream(nc);
    // Retried until acknowledged, with an id as the services publish: an attempt whose acknowledgement
    // was lost while the cluster moved may still have been stored, and its retry must not store it twice.
    const publish = (subject: string) =>
      eventually(
        async () => (await js.publish(subject, new TextEncoder().encode('{}'), { msgID: subject, timeout: 2000 })).seq,
        30_000,
      );
    expect(await publish('seedlist.before')).toBe(1);
    expect(nc.info?.server_name).not.toBe(cluster.nodes[0]!.name);

    // The first node comes back; then the one the service talks to crashes. Two of three stay: a quorum.
    await cluster.nodes[0]!.start();
    await cluster.jetStreamReady();
    const first = nc.info!.server_name;
    await cluster.node(first).kill('SIGKILL');

    expect(await publish('seedlist.after')).toBe(2);
    expect(nc.info?.server_name).not.toBe(first);
    expect(nc.isClosed()).toBe(false);
    // The killed node may have led the cluster's metadata: until a new leader is elected the JetStream API
    // answers no one (JetStreamNotEnabled), though the stream's own leader already stored the publish.
    const connection = nc;
    const info = await eventually(async () => (await jetstreamManager(connection)).streams.info(stream), 30_000);
    expect(info.state.messages).toBe(2);
  }, 90_000);
});
