import {
  RetentionPolicy,
  StorageType,
  jetstreamManager,
  type ConsumerConfig,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
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

  it('when the services of a stack provision the same topology at once, then every one of them succeeds', async () => {
    // Services start together: each may find a stream missing and add it after another already has.
    const connections = await Promise.all(Array.from({ length: 5 }, () => connect({ servers: testNatsUrl() })));
    const together = uniqueNamespace();
    try {
      const topology = topologyFor({ namespace: together, replicas: 1 });
      const reports = await Promise.all(
        connections.map(async (connection) => provisionTopology(await jetstreamManager(connection), topology)),
      );
      const declared = topology.streams.length + topology.consumers.length;
      for (const report of reports)
        expect(report.created.length + report.updated.length + report.unchanged.length).toBe(declared);
      const jsm = await jetstreamManager(nc);
      for (const stream of topology.streams)
        expect((await jsm.streams.info(stream.name)).config.name).toBe(stream.name);
    } finally {
      await Promise.all(connections.map((connection) => connection.close()));
      await deleteNamespaceStreams(together);
    }
  });

  it('when another service adds a stream and a consumer between this one looking and adding, then provisioning finds them and succeeds', async () => {
    const jsm = await jetstreamManager(nc);
    const racedNamespace = uniqueNamespace();
    const topology = topologyFor({ namespace: racedNamespace, replicas: 1 });
    const [stream] = topology.streams;
    const [consumer] = topology.consumers;
    const raced: string[] = [];
    // The server's own refusal of the second add, as a stack starting up met it.
    const refused = () => new Error('subjects overlap with an existing stream');
    const racing = {
      streams: {
        info: (name: string) => jsm.streams.info(name),
        update: (name: string, config: StreamConfig) => jsm.streams.update(name, config),
        add: async (config: StreamConfig) => {
          if (config.name !== stream!.name || raced.includes(config.name)) return jsm.streams.add(config);
          raced.push(config.name);
          await jsm.streams.add(config);
          throw refused();
        },
      },
      consumers: {
        info: (name: string, durable: string) => jsm.consumers.info(name, durable),
        update: (name: string, durable: string, config: Partial<ConsumerConfig>) =>
          jsm.consumers.update(name, durable, config),
        add: async (name: string, config: ConsumerConfig) => {
          if (config.durable_name !== consumer!.durable || raced.includes(consumer!.durable))
            return jsm.consumers.add(name, config);
          raced.push(consumer!.durable);
          await jsm.consumers.add(name, config);
          throw refused();
        },
      },
    } as unknown as JetStreamManager;
    try {
      const report = await provisionTopology(racing, topology);
      expect(raced).toEqual([stream!.name, consumer!.durable]);
      expect(report.unchanged).toEqual([`stream ${stream!.name}`, `consumer ${consumer!.stream}/${consumer!.durable}`]);
      expect(report.created).toHaveLength(topology.streams.length + topology.consumers.length - 2);
    } finally {
      await deleteNamespaceStreams(racedNamespace);
    }
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
