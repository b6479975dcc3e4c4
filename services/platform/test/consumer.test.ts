import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contactOptedIn,
  contactOptedOut,
  runRequested,
  streamNameOf,
  subjectOf,
  templateStatusChanged,
  topologyFor,
} from '../src/events/mod.ts';
import { createLogger } from '../src/logger.ts';
import { createEventPublisher, provisionTopology, retryLater, startConsumer } from '../src/nats/mod.ts';
import { startTelemetry, withSpan, trace } from '../src/telemetry.ts';
import { deleteNamespaceStreams, eventually, testNatsUrl, uniqueNamespace } from '../src/testing/mod.ts';

const namespace = uniqueNamespace();
const logger = createLogger({ service: 'test', level: 'silent' });
const telemetry = await startTelemetry({ serviceName: 'platform-test' });
let nc: NatsConnection;
let js: JetStreamClient;

beforeAll(async () => {
  nc = await connect({ servers: testNatsUrl() });
  js = jetstream(nc);
  await provisionTopology(await jetstreamManager(nc), topologyFor({ namespace, replicas: 1 }));
});

afterAll(async () => {
  await nc.close();
  await deleteNamespaceStreams(namespace);
  await telemetry.shutdown();
});

const runPayload = () => ({
  runId: crypto.randomUUID(),
  campaignId: crypto.randomUUID(),
  templateId: crypto.randomUUID(),
  periodKey: '2026-03-05',
  scheduledFor: '2026-03-05T03:30:00.000Z',
  requestedAt: new Date().toISOString(),
});

const counterValue = async (registry: Registry, outcome: string) =>
  (await registry.getSingleMetric('ektola_events_consumed_total')?.get())?.values.find(
    (value) => value.labels.outcome === outcome,
  )?.value ?? 0;

describe('event publishing and consuming over JetStream', () => {
  it('when an event is published inside a span, then the consumer handles it inside a span of the same trace', async () => {
    const publisher = createEventPublisher({ js, namespace });
    const seen: Array<{ runId: string; traceId: string | undefined }> = [];
    const consumer = startConsumer({
      js,
      namespace,
      durable: 'dispatcher-run-requested',
      events: [runRequested],
      logger,
      handle: async ({ payload }) => {
        seen.push({ runId: payload.runId, traceId: trace.getActiveSpan()?.spanContext().traceId });
      },
    });
    try {
      const payload = runPayload();
      const publishedTraceId = await withSpan('publish run', {}, async (span) => {
        await publisher.publish(runRequested, payload, { msgId: payload.runId });
        return span.spanContext().traceId;
      });

      const received = await eventually(async () => seen.find((item) => item.runId === payload.runId));
      expect(publishedTraceId).toMatch(/^[0-9a-f]{32}$/);
      expect(received.traceId).toBe(publishedTraceId);
    } finally {
      await consumer.stop();
    }
  });

  it('when a payload fails its schema, then it is terminated and counted and the next event is still handled', async () => {
    const registry = new Registry();
    const handled: string[] = [];
    const consumer = startConsumer({
      js,
      namespace,
      durable: 'campaign-contact-preference',
      events: [contactOptedOut, contactOptedIn],
      logger,
      registry,
      handle: async ({ name, payload }) => {
        handled.push(`${name}:${payload.phone}`);
      },
    });
    try {
      const hdrs = headers();
      hdrs.set('Nats-Msg-Id', 'bad-1');
      await js.publish(subjectOf(namespace, contactOptedOut), JSON.stringify({ phone: 'not a phone' }), {
        headers: hdrs,
      });
      await js.publish(subjectOf(namespace, contactOptedOut), 'not json at all');
      const publisher = createEventPublisher({ js, namespace });
      await publisher.publish(
        contactOptedIn,
        { phone: '+919876543210', reason: 'keyword', sourceId: 'wamid.1', occurredAt: new Date().toISOString() },
        { msgId: 'good-1' },
      );

      await eventually(async () => handled.length === 1);
      expect(handled).toEqual(['contact.opted_in:+919876543210']);
      await eventually(async () => (await counterValue(registry, 'invalid')) === 2);
      const jsm = await jetstreamManager(nc);
      await eventually(async () => {
        const info = await jsm.consumers.info(`${namespace.toUpperCase()}_CONTACTS`, 'campaign-contact-preference');
        return info.num_pending + info.num_ack_pending === 0;
      });
    } finally {
      await consumer.stop();
    }
  });

  it('when a handler asks to retry, then the event comes back with a higher delivery count', async () => {
    const publisher = createEventPublisher({ js, namespace });
    const deliveries: number[] = [];
    const payload = runPayload();
    const consumer = startConsumer({
      js,
      namespace,
      durable: 'dispatcher-run-requested',
      events: [runRequested],
      logger,
      handle: async ({ payload: received, delivery }) => {
        if (received.runId !== payload.runId) return;
        deliveries.push(delivery.deliveryCount);
        return deliveries.length < 3 ? retryLater('not yet', 10) : undefined;
      },
    });
    try {
      await publisher.publish(runRequested, payload, { msgId: payload.runId });
      await eventually(async () => deliveries.length === 3);
      expect(deliveries).toEqual([1, 2, 3]);
    } finally {
      await consumer.stop();
    }
  });

  it('when the same msgId is published twice, then JetStream stores it once', async () => {
    const publisher = createEventPublisher({ js, namespace });
    const payload = runPayload();
    const first = await publisher.publish(runRequested, payload, { msgId: `dup-${payload.runId}` });
    const second = await publisher.publish(runRequested, payload, { msgId: `dup-${payload.runId}` });
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.sequence).toBe(first.sequence);
  });

  it('when a publisher is handed an invalid payload, then it refuses before anything reaches NATS', async () => {
    const publisher = createEventPublisher({ js, namespace });
    await expect(
      publisher.publish(runRequested, { ...runPayload(), runId: 'nope' }, { msgId: 'invalid' }),
    ).rejects.toMatchObject({ kind: 'invalid', details: [expect.objectContaining({ path: 'runId' })] });
  });

  it('when a publisher is told the payload was built from checked values, then it stores the payload as given, unchecked', async () => {
    const publisher = createEventPublisher({ js, namespace });
    const payload = { ...runPayload(), runId: 'built-unchecked' };
    const receipt = await publisher.publish(runRequested, payload, { msgId: 'unchecked', validate: false });
    const stored = await (
      await jetstreamManager(nc)
    ).streams.getMessage(streamNameOf(namespace, runRequested.stream), {
      seq: receipt.sequence,
    });
    expect(stored?.json()).toEqual(payload);
  });
});

describe('bounded redeliveries', () => {
  const bounded = uniqueNamespace();

  afterAll(async () => {
    await deleteNamespaceStreams(bounded);
  });

  it('when a handler always asks to retry, then the event is terminated at the bound, counted once and not delivered again', async () => {
    const jsm = await jetstreamManager(nc);
    await provisionTopology(jsm, topologyFor({ namespace: bounded, replicas: 1, maxDeliveries: 3 }));
    const registry = new Registry();
    const deliveries: number[] = [];
    const consumer = startConsumer({
      js,
      namespace: bounded,
      durable: 'campaign-template-status',
      events: [templateStatusChanged],
      logger,
      registry,
      handle: async ({ delivery }) => {
        deliveries.push(delivery.deliveryCount);
        return retryLater('the template store is broken for this event', 10);
      },
    });
    try {
      const payload = {
        event: 'APPROVED',
        name: 'gold_loan_reminder',
        language: 'en',
        occurredAt: new Date().toISOString(),
      };
      await createEventPublisher({ js, namespace: bounded }).publish(templateStatusChanged, payload, {
        msgId: 'poison-1',
      });

      const terminated = async () =>
        (await registry.getSingleMetric('ektola_consumer_messages_terminated_total')?.get())?.values.find(
          (value) => value.labels.consumer === 'campaign-template-status' && value.labels.reason === 'max_deliveries',
        )?.value ?? 0;
      await eventually(async () => (await terminated()) === 1);
      const info = await eventually(async () => {
        const current = await jsm.consumers.info(streamNameOf(bounded, 'WHATSAPP'), 'campaign-template-status');
        return current.num_pending + current.num_ack_pending === 0 ? current : undefined;
      });
      expect(info.config.max_deliver).toBe(4);
      expect(deliveries).toEqual([1, 2, 3]);
      expect(await terminated()).toBe(1);
    } finally {
      await consumer.stop();
    }
  });

  it('when a consumer declares no bound of its own, then the configured bound reaches the server; one that declares unlimited keeps -1', () => {
    const consumers = topologyFor({ namespace: bounded, replicas: 1, maxDeliveries: 7 }).consumers;
    expect(consumers.find((spec) => spec.durable === 'dispatcher-status')?.maxDeliver).toBe(8);
    expect(consumers.find((spec) => spec.durable === 'dispatcher-send')?.maxDeliver).toBe(-1);
  });
});
