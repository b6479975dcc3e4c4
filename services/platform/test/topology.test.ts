import { RetentionPolicy, StorageType, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topologyFor } from '../src/events/mod.ts';
import { provisionTopology } from '../src/nats/mod.ts';
import { deleteNamespaceStreams, testNatsUrl, uniqueNamespace } from '../src/testing/mod.ts';

const namespace = uniqueNamespace();
let nc: NatsConnection;

beforeAll(async () => {
  nc = await connect({ servers: testNatsUrl() });
});

afterAll(async () => {
  await nc.close();
  await deleteNamespaceStreams(namespace);
});

describe('provisionTopology', () => {
  it('when run twice, then the second run changes nothing and the server holds exactly what is declared', async () => {
    const jsm = await jetstreamManager(nc);
    const topology = topologyFor({ namespace, replicas: 1 });

    const first = await provisionTopology(jsm, topology);
    expect(first.created).toHaveLength(topology.streams.length + topology.consumers.length);
    const before = await jsm.streams.info(topology.streams[0]!.name);

    const second = await provisionTopology(jsm, topology);
    expect(second.created).toEqual([]);
    expect(second.updated).toEqual([]);
    expect(second.unchanged).toHaveLength(topology.streams.length + topology.consumers.length);
    const after = await jsm.streams.info(topology.streams[0]!.name);
    expect(after.config).toEqual(before.config);
    expect(after.created).toEqual(before.created);
  });

  it('when a declared setting drifted on the server, then provisioning puts it back', async () => {
    const jsm = await jetstreamManager(nc);
    const topology = topologyFor({ namespace, replicas: 1 });
    await provisionTopology(jsm, topology);
    const consumer = topology.consumers[0]!;
    await jsm.consumers.update(consumer.stream, consumer.durable, { max_ack_pending: 1 });

    const report = await provisionTopology(jsm, topology);

    expect(report.updated).toEqual([`consumer ${consumer.stream}/${consumer.durable}`]);
    const info = await jsm.consumers.info(consumer.stream, consumer.durable);
    expect(info.config.max_ack_pending).toBe(consumer.maxAckPending);
  });

  it('when a stream was created without a size limit, then provisioning gives it the declared one and an override replaces it', async () => {
    const own = uniqueNamespace();
    const jsm = await jetstreamManager(nc);
    try {
      const declared = topologyFor({ namespace: own, replicas: 1 });
      const whatsapp = declared.streams.find((stream) => stream.name.endsWith('_WHATSAPP'))!;
      await jsm.streams.add({
        name: whatsapp.name,
        subjects: whatsapp.subjects,
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
      });

      const report = await provisionTopology(jsm, declared);
      expect(report.updated).toContain(`stream ${whatsapp.name}`);
      expect((await jsm.streams.info(whatsapp.name)).config).toMatchObject({
        max_bytes: whatsapp.maxBytes,
        discard: 'old',
      });
      expect(whatsapp.maxBytes).toBeGreaterThan(0);
      const dispatch = await jsm.streams.info(
        declared.streams.find((stream) => stream.name.endsWith('_DISPATCH'))!.name,
      );
      expect(dispatch.config.discard).toBe('new');

      await provisionTopology(jsm, topologyFor({ namespace: own, replicas: 1, streamMaxMegabytes: { WHATSAPP: 64 } }));
      expect((await jsm.streams.info(whatsapp.name)).config.max_bytes).toBe(64 * 1024 * 1024);
    } finally {
      await deleteNamespaceStreams(own);
    }
  });

  it('when the topology asks for 3 replicas, then every stream is declared with 3 and the request reaches the server', async () => {
    const clustered = topologyFor({ namespace: uniqueNamespace(), replicas: 3 });
    expect(clustered.streams.map((stream) => stream.replicas)).toEqual(clustered.streams.map(() => 3));
    // This server is a single node, so JetStream refuses what a three-node cluster would accept.
    await expect(provisionTopology(await jetstreamManager(nc), clustered)).rejects.toThrow(/replicas/i);
  });

  it('when a service provisions only its own consumers, then every stream exists all the same', () => {
    const own = topologyFor({ namespace, replicas: 1, owner: 'webhook-service' });
    const all = topologyFor({ namespace, replicas: 1 });
    expect(own.streams).toEqual(all.streams);
    expect(own.consumers).toEqual([]);
    expect(
      topologyFor({ namespace, replicas: 1, owner: 'dispatcher-service' }).consumers.map((c) => c.durable),
    ).toContain('dispatcher-send');
  });
});
