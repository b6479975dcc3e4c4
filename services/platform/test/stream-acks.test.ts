import { JetStreamApiError, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamAcksFor } from '../src/nats/stream-acks.ts';
import { testNatsUrl, uniqueNamespace } from '../src/testing/mod.ts';

const namespace = uniqueNamespace('acks');
const stream = `${namespace.toUpperCase()}_ACKS`;
const subject = `${namespace}.acks.stored`;
const data = new TextEncoder().encode('{"status":"delivered"}');
let nc: NatsConnection;
let jsm: JetStreamManager;

const withMsgId = (msgId: string) => {
  const hdrs = headers();
  hdrs.set('Nats-Msg-Id', msgId);
  return hdrs;
};

beforeAll(async () => {
  nc = await connect({ servers: testNatsUrl() });
  jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: stream, subjects: [subject], duplicate_window: 60_000_000_000 });
});

afterAll(async () => {
  await jsm.streams.delete(stream);
  await nc.close();
});

describe('JetStream publishes acknowledged on a shared inbox', () => {
  it('when events are published, then each resolves with its own sequence, and a repeated Nats-Msg-Id is acknowledged as a duplicate', async () => {
    const acks = streamAcksFor(nc);
    expect(streamAcksFor(nc)).toBe(acks);
    const stored = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        acks.publish(subject, data, withMsgId(`wamid.${index}:delivered`), 2_000),
      ),
    );
    const sequences = stored.map((ack) => ack.seq);
    expect(new Set(sequences).size).toBe(200);
    expect(stored.every((ack) => ack.stream === stream && !ack.duplicate)).toBe(true);

    const again = await acks.publish(subject, data, withMsgId('wamid.7:delivered'), 2_000);
    expect(again).toEqual({ stream, seq: stored[7]!.seq, duplicate: true });
    expect((await jsm.streams.info(stream)).state.messages).toBe(200);
  });

  // The publish allows 60 s; the test fails on its own 10 s timeout if the 503 goes unread.
  it(
    'when no stream takes the subject, then the publish fails at once naming it rather than waiting out its timeout',
    { timeout: 10_000 },
    async () => {
      await expect(streamAcksFor(nc).publish(`${namespace}.nowhere`, data, withMsgId('x'), 60_000)).rejects.toThrow(
        `no JetStream stream takes ${namespace}.nowhere`,
      );
    },
  );

  it('when the stream refuses the event, then the publish fails with the JetStream API error', async () => {
    const hdrs = withMsgId('wamid.expected:read');
    hdrs.set('Nats-Expected-Last-Sequence', '999999');
    const refused = streamAcksFor(nc).publish(subject, data, hdrs, 2_000);
    await expect(refused).rejects.toBeInstanceOf(JetStreamApiError);
    await expect(refused).rejects.toThrow(/wrong last sequence/);
  });

  it('when something answers the subject but no acknowledgement comes, then the publish fails after its timeout', async () => {
    const silent = nc.subscribe(`${namespace}.silent`, { callback: () => undefined });
    try {
      await expect(streamAcksFor(nc).publish(`${namespace}.silent`, data, withMsgId('y'), 200)).rejects.toThrow(
        'did not acknowledge',
      );
    } finally {
      silent.unsubscribe();
    }
  });

  it('when the connection is draining, then a publish fails at once instead of going out with nobody left to hear its acknowledgement', async () => {
    const own = await connect({ servers: testNatsUrl() });
    const acks = streamAcksFor(own);
    await acks.publish(subject, data, withMsgId('wamid.before-drain:sent'), 2_000);
    const drained = own.drain();
    await expect(acks.publish(subject, data, withMsgId('wamid.during-drain:sent'), 2_000)).rejects.toThrow(
      'draining or closed',
    );
    await drained;
    await expect(acks.publish(subject, data, withMsgId('wamid.after-drain:sent'), 2_000)).rejects.toThrow(
      'draining or closed',
    );
  });

  it('when the connection closes with publishes waiting, then they fail at once', async () => {
    const own = await connect({ servers: testNatsUrl() });
    const silent = own.subscribe(`${namespace}.silent.own`, { callback: () => undefined });
    await own.flush();
    const waiting = streamAcksFor(own).publish(`${namespace}.silent.own`, data, withMsgId('z'), 60_000);
    silent.unsubscribe();
    await own.close();
    await expect(waiting).rejects.toThrow('the NATS connection is closed');
  });
});
