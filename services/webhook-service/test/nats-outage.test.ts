import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteNamespaceStreams, eventually, startTcpProxy, testNatsUrl, uniqueNamespace, type TcpProxy } from '@ektola/platform/testing';
import { deliver, fixture, metricsText, startWebhookService, storedEvents } from './support.ts';

const namespace = uniqueNamespace('whout');
let proxy: TcpProxy;
let service: Awaited<ReturnType<typeof startWebhookService>>;

beforeAll(async () => {
  const nats = new URL(testNatsUrl());
  proxy = await startTcpProxy({ host: nats.hostname, port: Number(nats.port || 4222) });
  service = await startWebhookService({
    EKTOLA_NAMESPACE: namespace,
    NATS_URL: proxy.url('nats'),
    WEBHOOK_PUBLISH_DEADLINE_MS: '1000',
  });
});

afterAll(async () => {
  await proxy?.restore();
  await service?.stop();
  await proxy?.close();
  await deleteNamespaceStreams(namespace);
});

const notification = (wamid: string) =>
  fixture('status-failed').replaceAll('wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDNUFCNzFFQjQyMEE0QjQ2MEUA', wamid);

/** What Meta does with an unanswered webhook: the same bytes again, with backoff, until a 200. */
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
  it('then deliveries are answered 503, nothing is lost, and Meta’s retry lands the event once NATS is back', async () => {
    expect((await deliver(service.baseUrl, notification('wamid.before-outage'))).status).toBe(200);

    await proxy.cut();
    const body = notification('wamid.during-outage');
    const answers: number[] = [];
    const retrying = deliverLikeMeta(body, answers);
    await eventually(async () => answers.length >= 2);
    expect(answers.every((status) => status === 503)).toBe(true);
    expect((await storedEvents(namespace, 'WHATSAPP')).map((event) => event.msgId)).not.toContain('wamid.during-outage:failed');

    await proxy.restore();
    await retrying;
    expect(answers.at(-1)).toBe(200);

    const stored = (await storedEvents(namespace, 'WHATSAPP')).filter((event) => event.msgId === 'wamid.during-outage:failed');
    expect(stored).toHaveLength(1);
    expect(stored[0]?.payload).toMatchObject({ status: 'failed', errors: [{ code: 131050 }] });
    expect(await metricsText(service.baseUrl)).toMatch(/ektola_webhook_requests_total\{result="unavailable"[^}]*\} [1-9]/);
  });
});
