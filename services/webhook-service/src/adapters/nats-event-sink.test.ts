import { describe, expect, it } from 'vitest';
import { invalid } from '@ektola/platform/errors';
import { whatsappInbound, whatsappStatus, whatsappStatusBatch } from '@ektola/platform/events';
import type { EventPublisher, PublishReceipt } from '@ektola/platform/nats';
import { outgoing } from '../domain/event-sink.ts';
import { batchStatuses } from '../domain/status-batches.ts';
import { createNatsEventSink, type NatsEventSinkOptions } from './nats-event-sink.ts';

/** Records publishes and lets the test decide when JetStream "acknowledges" each of them. */
function recordingPublisher() {
  const calls: Array<{ event: string; payload: unknown; msgId: string; ack(): void; fail(error: Error): void }> = [];
  const publisher: EventPublisher = {
    publish: (event, payload, { msgId }) =>
      new Promise<PublishReceipt>((resolve, reject) =>
        calls.push({
          event: `${event.name}.v${event.version}`,
          payload,
          msgId,
          ack: () => resolve({ duplicate: false, sequence: calls.length }),
          fail: reject,
        }),
      ),
    publishAll: () => Promise.reject(new Error('not used')),
  };
  return { publisher, calls };
}

const status = (wamid: string) =>
  outgoing(
    whatsappStatus,
    { wamid, status: 'read', occurredAt: '2026-03-05T10:00:00.000Z', recipientId: '1', phoneNumberId: '2', errors: [] },
    `${wamid}:read`,
  );

const sinkWith = (publisher: EventPublisher, overrides: Partial<NatsEventSinkOptions> = {}) =>
  createNatsEventSink({
    publisher,
    isConnected: () => true,
    deadlineMs: 5_000,
    windowMs: 0,
    maxBatch: 512,
    maxInFlight: 64,
    statusesPerEvent: 1,
    ...overrides,
  });

const settledState = async (promise: Promise<unknown>) =>
  Promise.race([
    promise.then(
      () => 'resolved',
      () => 'rejected',
    ),
    new Promise((resolve) => setTimeout(() => resolve('pending'), 20)),
  ]);

describe('the micro-batching event sink', () => {
  it('when a request publishes, then it resolves only after every one of its events is acknowledged', async () => {
    const { publisher, calls } = recordingPublisher();
    const sink = sinkWith(publisher);
    const published = sink.publish([status('a'), status('b')]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls.map((call) => call.msgId)).toEqual(['a:read', 'b:read']);
    calls[0]?.ack();
    expect(await settledState(published)).toBe('pending');
    calls[1]?.ack();
    expect(await settledState(published)).toBe('resolved');
  });

  it('when concurrent requests carry the same event, then it is published once and both wait for that acknowledgement', async () => {
    const { publisher, calls } = recordingPublisher();
    const sink = sinkWith(publisher);
    const first = sink.publish([status('same')]);
    const second = sink.publish([status('same'), status('other')]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls.map((call) => call.msgId)).toEqual(['same:read', 'other:read']);
    calls[0]?.ack();
    expect(await settledState(first)).toBe('resolved');
    expect(await settledState(second)).toBe('pending');
    calls[1]?.ack();
    expect(await settledState(second)).toBe('resolved');
  });

  it('when requests arrive within the batch window, then they are flushed together once it ends', async () => {
    const { publisher, calls } = recordingPublisher();
    const sink = sinkWith(publisher, { windowMs: 30 });
    void sink.publish([status('one')]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    void sink.publish([status('two')]);
    expect(calls).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(calls.map((call) => call.msgId)).toEqual(['one:read', 'two:read']);
    for (const call of calls) call.ack();
  });

  it('when the batch fills before the window ends, then it is flushed at once', async () => {
    const { publisher, calls } = recordingPublisher();
    const sink = sinkWith(publisher, { windowMs: 10_000, maxBatch: 2 });
    void sink.publish([status('x'), status('y')]);
    expect(calls).toHaveLength(2);
    for (const call of calls) call.ack();
  });

  it('when more events wait than may be in flight, then the rest go out as acknowledgements come back', async () => {
    const { publisher, calls } = recordingPublisher();
    const sink = sinkWith(publisher, { maxInFlight: 2 });
    const published = sink.publish([status('1'), status('2'), status('3')]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toHaveLength(2);
    calls[0]?.ack();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(calls).toHaveLength(3);
    calls[1]?.ack();
    calls[2]?.ack();
    expect(await settledState(published)).toBe('resolved');
  });

  it('when JetStream does not acknowledge within the deadline, then the request fails as unavailable', async () => {
    const { publisher } = recordingPublisher();
    const sink = sinkWith(publisher, { deadlineMs: 30 });
    await expect(sink.publish([status('slow')])).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('when JetStream rejects one event, then the request fails as unavailable', async () => {
    const { publisher, calls } = recordingPublisher();
    const sink = sinkWith(publisher);
    const published = sink.publish([status('ok'), status('bad')]);
    await new Promise((resolve) => setImmediate(resolve));
    calls[0]?.ack();
    calls[1]?.fail(new Error('stream unavailable'));
    await expect(published).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('when the publisher refuses an event as invalid, then the request still fails as unavailable, so Meta keeps it', async () => {
    const publisher: EventPublisher = {
      publish: () => Promise.reject(invalid('refusing to publish an invalid whatsapp.status.v1')),
      publishAll: () => Promise.reject(new Error('not used')),
    };
    await expect(sinkWith(publisher).publish([status('refused')])).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('when concurrent requests each carry a lone status, then their statuses are stored as one event and every request answers on its acknowledgement', async () => {
    const { publisher, calls } = recordingPublisher();
    const sink = sinkWith(publisher, { statusesPerEvent: 100 });
    const first = sink.publish([status('a')]);
    const second = sink.publish([status('b')]);
    const third = sink.publish([status('c')]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      event: `${whatsappStatusBatch.name}.v${whatsappStatusBatch.version}`,
      // The same id a single delivery of these three statuses gets, so a repeat of the group is dropped by JetStream.
      msgId: batchStatuses([status('a'), status('b'), status('c')])[0]!.msgId,
      payload: { statuses: [{ wamid: 'a' }, { wamid: 'b' }, { wamid: 'c' }] },
    });
    expect(await settledState(first)).toBe('pending');
    calls[0]?.ack();
    expect(await Promise.all([settledState(first), settledState(second), settledState(third)])).toEqual([
      'resolved',
      'resolved',
      'resolved',
    ]);
  });

  it('when the grouped statuses are refused, then every request in the group fails as unavailable', async () => {
    const { publisher, calls } = recordingPublisher();
    const sink = sinkWith(publisher, { statusesPerEvent: 100 });
    const first = sink.publish([status('a')]);
    const second = sink.publish([status('b')]);
    await new Promise((resolve) => setImmediate(resolve));
    calls[0]?.fail(new Error('stream unavailable'));
    await expect(first).rejects.toMatchObject({ kind: 'unavailable' });
    await expect(second).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('when more lone statuses wait than one event holds, then they go out in events of at most that many', async () => {
    const { publisher, calls } = recordingPublisher();
    const sink = sinkWith(publisher, { statusesPerEvent: 2 });
    const published = ['1', '2', '3', '4', '5'].map((wamid) => sink.publish([status(wamid)]));
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls.map((call) => (call.payload as { statuses?: unknown[] }).statuses?.length ?? 1)).toEqual([2, 2, 1]);
    expect(calls[2]).toMatchObject({ event: 'whatsapp.status.v1', msgId: '5:read' });
    for (const call of calls) call.ack();
    expect(await Promise.all(published.map(settledState))).toEqual(Array(5).fill('resolved'));
  });

  it('when statuses and other events wait together, then only the lone statuses are grouped and every event is published', async () => {
    const { publisher, calls } = recordingPublisher();
    const sink = sinkWith(publisher, { statusesPerEvent: 100 });
    const reply = outgoing(
      whatsappInbound,
      {
        messageId: 'wamid.in',
        from: '+919876543210',
        phoneNumberId: '2',
        occurredAt: '2026-03-05T10:00:00.000Z',
        type: 'text',
        text: 'hi',
      },
      'wamid.in:inbound',
    );
    const delivery = batchStatuses([status('d1'), status('d2')])[0]!;
    void sink.publish([status('a')]);
    void sink.publish([reply, delivery]);
    void sink.publish([status('b')]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls.map((call) => call.msgId)).toEqual([
      batchStatuses([status('a'), status('b')])[0]!.msgId,
      'wamid.in:inbound',
      delivery.msgId,
    ]);
    for (const call of calls) call.ack();
  });

  it('when grouping, then no more publishes wait for acknowledgement than may be in flight', async () => {
    const { publisher, calls } = recordingPublisher();
    const sink = sinkWith(publisher, { statusesPerEvent: 2, maxInFlight: 1 });
    const published = ['1', '2', '3'].map((wamid) => sink.publish([status(wamid)]));
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toHaveLength(1);
    calls[0]?.ack();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(calls).toHaveLength(2);
    expect(calls[1]).toMatchObject({ msgId: '3:read' });
    calls[1]?.ack();
    expect(await Promise.all(published.map(settledState))).toEqual(Array(3).fill('resolved'));
  });

  it('when NATS is disconnected, then the request fails at once without publishing', async () => {
    const { publisher, calls } = recordingPublisher();
    const sink = sinkWith(publisher, { isConnected: () => false });
    await expect(sink.publish([status('offline')])).rejects.toMatchObject({
      kind: 'unavailable',
      message: 'NATS is not connected',
    });
    expect(calls).toHaveLength(0);
  });
});
