import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteNamespaceStreams,
  eventually,
  startTcpProxy,
  testNatsUrl,
  uniqueNamespace,
  type TcpProxy,
} from '@ektola/platform/testing';
import { configSchema as simulatorConfigSchema, createSimulator, type Simulator } from '@ektola/whatsapp-simulator';
import { parseConfig } from '@ektola/platform/config';
import { appSecret, deliver, fixture, metricsText, startWebhookService, storedEvents } from './support.ts';

const namespace = uniqueNamespace('whout');
let proxy: TcpProxy;
let service: Awaited<ReturnType<typeof startWebhookService>>;
let simulator: Simulator;
let simulatorUrl: string;

beforeAll(async () => {
  const nats = new URL(testNatsUrl());
  proxy = await startTcpProxy({ host: nats.hostname, port: Number(nats.port || 4222) });
  service = await startWebhookService({
    EKTOLA_NAMESPACE: namespace,
    NATS_URL: proxy.url('nats'),
    WEBHOOK_PUBLISH_DEADLINE_MS: '1000',
  });
  // Meta, as the simulator plays it: signed notifications, retried with backoff until answered 200.
  simulator = createSimulator(
    parseConfig(simulatorConfigSchema, {
      PORT: '0',
      LOG_LEVEL: 'silent',
      WHATSAPP_APP_SECRET: appSecret,
      SIMULATOR_WEBHOOK_URL: `${service.baseUrl}/webhooks/whatsapp`,
      SIMULATOR_WEBHOOK_RETRY_INITIAL_MS: '200',
      SIMULATOR_WEBHOOK_RETRY_MAX_MS: '1000',
      SIMULATOR_WEBHOOK_MAX_ATTEMPTS: '60',
    }),
  );
  simulatorUrl = (await simulator.start()).url;
});

afterAll(async () => {
  await simulator?.stop();
  await proxy?.restore();
  await service?.stop();
  await proxy?.close();
  await deleteNamespaceStreams(namespace);
});

const notification = (wamid: string) =>
  fixture('status-failed').replaceAll('wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDNUFCNzFFQjQyMEE0QjQ2MEUA', wamid);

/** Meta's behaviour with an unanswered webhook, by hand: the same bytes again, with backoff, until a 200. */
async function deliverLikeMeta(body: string, answers: number[]) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { status } = await deliver(service.baseUrl, body);
    answers.push(status);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** attempt, 1_000)));
  }
  throw new Error(`never accepted: ${answers.join(', ')}`);
}

describe('when NATS is unreachable', () => {
  it('then deliveries are answered 503, nothing is stored, and the same bytes redelivered once NATS is back are stored once', async () => {
    expect((await deliver(service.baseUrl, notification('wamid.before-outage'))).status).toBe(200);

    await proxy.cut();
    const body = notification('wamid.during-outage');
    const answers: number[] = [];
    const retrying = deliverLikeMeta(body, answers);
    await eventually(async () => answers.length >= 2);
    expect(answers.every((status) => status === 503)).toBe(true);
    expect((await storedEvents(namespace, 'WHATSAPP')).map((event) => event.msgId)).not.toContain(
      'wamid.during-outage:failed',
    );

    await proxy.restore();
    await retrying;
    expect(answers.at(-1)).toBe(200);

    const stored = (await storedEvents(namespace, 'WHATSAPP')).filter(
      (event) => event.msgId === 'wamid.during-outage:failed',
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]?.payload).toMatchObject({ status: 'failed', errors: [{ code: 131050 }] });
    expect(await metricsText(service.baseUrl)).toMatch(
      /ektola_webhook_requests_total\{result="unavailable"[^}]*\} [1-9]/,
    );
  });

  it('then a STOP the simulator delivers during the outage is retried by it and lands as the inbound message and the opt-out', async () => {
    await proxy.cut();
    const sent = await fetch(`${simulatorUrl}/_sim/inbound/text`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: '+919876543210', body: 'STOP' }),
    });
    expect(sent.status).toBe(202);
    const { payload } = (await sent.json()) as {
      payload: { entry: Array<{ changes: Array<{ value: { messages: Array<{ id: string }> } }> }> };
    };
    const messageId = payload.entry[0]?.changes[0]?.value.messages[0]?.id ?? '';
    expect(messageId).not.toBe('');

    // Refused at least once (and so retried) while NATS is away, and nothing stored meanwhile.
    await eventually(async () =>
      /simulator_webhooks\{state="retried"[^}]*\} [1-9]/.test(await (await fetch(`${simulatorUrl}/metrics`)).text()),
    );
    expect((await storedEvents(namespace, 'WHATSAPP')).map((event) => event.msgId)).not.toContain(messageId);

    await proxy.restore();
    const optOut = await eventually(async () =>
      (await storedEvents(namespace, 'CONTACTS')).find((event) => event.msgId === `${messageId}:opt_out`),
    );
    expect(optOut.payload).toMatchObject({ phone: '+919876543210', reason: 'keyword', sourceId: messageId });
    expect((await storedEvents(namespace, 'WHATSAPP')).filter((event) => event.msgId === messageId)).toHaveLength(1);
  });
});
