import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelemetry } from '@ektola/platform/telemetry';
import { deleteNamespaceStreams, uniqueNamespace } from '@ektola/platform/testing';
import { signatureOf } from '../src/domain/signature.ts';
import {
  appSecret,
  deliver,
  fixture,
  metricsText,
  startWebhookService,
  storedEvents,
  verifyToken,
  type StoredEvent,
} from './support.ts';

const namespace = uniqueNamespace('wh');
let service: Awaited<ReturnType<typeof startWebhookService>>;
const logLines: Array<Record<string, unknown>> = [];
const telemetry = await startTelemetry({ serviceName: 'webhook-service-test' });

beforeAll(async () => {
  service = await startWebhookService(
    { EKTOLA_NAMESPACE: namespace, WEBHOOK_BODY_LIMIT_BYTES: String(64 * 1024), LOG_LEVEL: 'warn' },
    { logLines },
  );
});

afterAll(async () => {
  await service?.stop();
  await deleteNamespaceStreams(namespace);
  await telemetry.shutdown();
});

/** A status notification of its own for each test, so the shared stream's contents stay attributable. */
const statusNotification = (wamid: string, status = 'delivered') =>
  fixture('status-sent')
    .replaceAll('wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3N0EyQUJDMjFEQzZCQUMzODMA', wamid)
    .replace('"status": "sent"', `"status": "${status}"`);

const eventsWithMsgId = async (msgId: string) =>
  (await storedEvents(namespace, 'WHATSAPP')).filter((event) => event.msgId === msgId);

describe('GET /webhooks/whatsapp (verification handshake)', () => {
  const handshake = (query: Record<string, string>) =>
    fetch(`${service.baseUrl}/webhooks/whatsapp?${new URLSearchParams(query).toString()}`);

  it('when Meta subscribes with the verify token, then the challenge comes back as plain text', async () => {
    const response = await handshake({
      'hub.mode': 'subscribe',
      'hub.verify_token': verifyToken,
      'hub.challenge': '1158201444',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('1158201444');
  });

  it.each([
    ['a wrong token', { 'hub.mode': 'subscribe', 'hub.verify_token': `${verifyToken}x`, 'hub.challenge': '1' }],
    ['no token', { 'hub.mode': 'subscribe', 'hub.challenge': '1' }],
    ['another mode', { 'hub.mode': 'unsubscribe', 'hub.verify_token': verifyToken, 'hub.challenge': '1' }],
  ])('when the handshake has %s, then it is refused with 403 and no challenge', async (_case, query) => {
    const response = await handshake(query);
    expect(response.status).toBe(403);
    expect(await response.text()).not.toBe('1');
  });
});

describe('POST /webhooks/whatsapp (signature)', () => {
  it('when the signature matches the raw bytes, then 200 and the status is stored', async () => {
    const body = statusNotification('wamid.signature-valid');
    const answer = await deliver(service.baseUrl, body);
    expect(answer).toEqual({ status: 200, body: { published: 1 } });
    expect(await eventsWithMsgId('wamid.signature-valid:delivered')).toHaveLength(1);
  });

  it.each([
    ['signed with another secret', (body: string) => signatureOf(body, 'not-the-app-secret')],
    ['for a tampered body', (body: string) => signatureOf(body.replace('delivered', 'read'), appSecret)],
    ['missing', () => null],
    ['malformed', () => 'sha256=not-hex'],
  ])('when the signature is %s, then 401 and nothing is published', async (_case, signature) => {
    const wamid = `wamid.signature-${_case.replaceAll(' ', '-')}`;
    const body = statusNotification(wamid);
    const answer = await deliver(service.baseUrl, body, { signature: signature(body) });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({
      error: { code: 'bad_signature', details: [{ path: 'headers.x-hub-signature-256' }] },
    });
    expect(await eventsWithMsgId(`${wamid}:delivered`)).toEqual([]);
  });

  it('when the body is laid out unlike JSON.stringify would (spacing, key order), then the signature over those bytes still verifies', async () => {
    const compact = JSON.stringify(JSON.parse(statusNotification('wamid.layout')));
    const reordered = `{ "entry" : [ {"changes":[{"field":"messages","value":{"statuses":[{"recipient_id":"16505551234","timestamp":"1750263773","status":"read","id":"wamid.layout"}],"metadata":{"phone_number_id":"106540352242922"}}}],\n\t"id":"102290129340398"}],  "object":"whatsapp_business_account"  }\n`;
    expect(reordered).not.toBe(compact);
    const answer = await deliver(service.baseUrl, reordered);
    expect(answer.status).toBe(200);
    // Re-serialising the parsed body (what a framework's JSON parser would hand over) does not verify.
    const reserialised = await deliver(service.baseUrl, JSON.stringify(JSON.parse(reordered)), {
      signature: signatureOf(reordered, appSecret),
    });
    expect(reserialised.status).toBe(401);
    expect(await eventsWithMsgId('wamid.layout:read')).toHaveLength(1);
  });
});

describe('POST /webhooks/whatsapp (payload)', () => {
  it('when a signed body is not JSON, then 400 naming the body', async () => {
    const answer = await deliver(service.baseUrl, '{"object": "whatsapp_business_account", "entry": [');
    expect(answer).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_json', details: [{ path: 'body' }] } },
    });
  });

  it('when a signed body is JSON but not a notification, then 400 naming the missing field', async () => {
    const answer = await deliver(service.baseUrl, JSON.stringify({ object: 'whatsapp_business_account', entries: [] }));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { details: [{ path: 'body.entry' }] } });
  });

  it('when one of three statuses breaks the documented shape, then 200, the other two are stored and the third is counted', async () => {
    const notification = JSON.parse(statusNotification('wamid.item-1'));
    const statuses: Array<Record<string, unknown>> = notification.entry[0].changes[0].value.statuses;
    statuses.push(
      { ...statuses[0], id: 'wamid.item-bad', recipient_id: undefined, timestamp: 'soon' },
      { ...statuses[0], id: 'wamid.item-2' },
    );
    const body = JSON.stringify(notification);
    const answer = await deliver(service.baseUrl, body);
    expect(answer).toEqual({ status: 200, body: { published: 2 } });
    // The two statuses of the delivery are stored together, as one whatsapp.status v2 event.
    const batches = (await storedEvents(namespace, 'WHATSAPP')).filter(
      (event) =>
        event.subject === `${namespace}.whatsapp.status.v2` && JSON.stringify(event.payload).includes('wamid.item-1'),
    );
    expect(batches).toHaveLength(1);
    expect((batches[0]!.payload.statuses as Array<{ wamid: string }>).map((status) => status.wamid)).toEqual([
      'wamid.item-1',
      'wamid.item-2',
    ]);
    expect(batches[0]?.msgId).toMatch(/^statuses:/);
    expect(await metricsText(service.baseUrl)).toMatch(
      /ektola_webhook_items_rejected_total\{reason="invalid_status"[^}]*\} 1\n/,
    );
    const logged = logLines.filter((line) => line.msg === 'left a malformed notification item out');
    expect(logged).toEqual([
      expect.objectContaining({ reason: 'invalid_status', path: 'body.entry.0.changes.0.value.statuses.1' }),
    ]);
    expect(JSON.stringify(logged)).not.toContain('16505551234');
  });

  it('when the body is over the limit, then 413 before any of it is read as JSON', async () => {
    const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [], padding: 'x'.repeat(64 * 1024) });
    const answer = await deliver(service.baseUrl, body);
    expect(answer).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
  });

  it('when a signed notification carries a field EkTola does not read, then 200 and it is counted', async () => {
    const answer = await deliver(service.baseUrl, fixture('unknown-field'));
    expect(answer).toEqual({ status: 200, body: { published: 0 } });
    expect(await metricsText(service.baseUrl)).toMatch(/ektola_webhook_events_total\{type="unknown_field"[^}]*\} 1/);
  });

  it('when one notification holds statuses, messages, a STOP and preferences, then every event lands in its stream', async () => {
    const stop = fixture('inbound-text')
      .replace('Does it come in another color?', 'STOP')
      .replaceAll('QTRBNjU5OUFFRTAzODEwMTQ0RgA=', 'stop-e2e');
    const answers = await Promise.all(
      [stop, fixture('user-preferences-resume'), fixture('template-status-approved'), fixture('account-errors')].map(
        (body) => deliver(service.baseUrl, body),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);

    const contacts = await storedEvents(namespace, 'CONTACTS');
    expect(contacts.map((event) => [event.subject, event.payload.phone, event.payload.reason])).toEqual(
      expect.arrayContaining([
        [`${namespace}.contact.opted_out.v1`, '+16505551234', 'keyword'],
        [`${namespace}.contact.opted_in.v1`, '+16505551234', 'user_preferences'],
      ]),
    );
    const whatsapp = await storedEvents(namespace, 'WHATSAPP');
    const subjects = new Set(whatsapp.map((event) => event.subject));
    for (const event of ['whatsapp.inbound', 'whatsapp.template_status', 'whatsapp.account_error']) {
      expect(subjects).toContain(`${namespace}.${event}.v1`);
    }
  });
});

describe('redeliveries', () => {
  it('when Meta delivers the same notification three times, then the stream holds one event', async () => {
    const body = statusNotification('wamid.thrice', 'read');
    for (let attempt = 0; attempt < 2; attempt += 1) expect((await deliver(service.baseUrl, body)).status).toBe(200);
    expect((await deliver(service.baseUrl, body)).status).toBe(200);
    expect(await eventsWithMsgId('wamid.thrice:read')).toHaveLength(1);
  });

  it('when the same notification arrives three times at once, then all three are answered 200 and one event is stored', async () => {
    const body = statusNotification('wamid.concurrent', 'sent');
    const answers = await Promise.all([1, 2, 3].map(() => deliver(service.baseUrl, body)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(await eventsWithMsgId('wamid.concurrent:sent')).toHaveLength(1);
  });
});

describe('tracing', () => {
  let batching: Awaited<ReturnType<typeof startWebhookService>>;
  let grouping: Awaited<ReturnType<typeof startWebhookService>>;
  beforeAll(async () => {
    // A wide window so both requests surely share one flush; statuses stored each on its own.
    batching = await startWebhookService({
      EKTOLA_NAMESPACE: namespace,
      WEBHOOK_BATCH_WINDOW_MS: '50',
      WEBHOOK_STATUSES_PER_EVENT: '1',
    });
    grouping = await startWebhookService({ EKTOLA_NAMESPACE: namespace, WEBHOOK_BATCH_WINDOW_MS: '50' });
  });
  afterAll(async () => {
    await batching?.stop();
    await grouping?.stop();
  });

  // node:http rather than fetch: fetch is traced in this process too, and its client span would
  // become the server's parent here, which never happens between Meta and the service.
  const post = (baseUrl: string, body: string, traceId: string) =>
    new Promise<number>((resolve, reject) => {
      const outgoing = httpRequest(`${baseUrl}/webhooks/whatsapp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': signatureOf(body, appSecret),
          traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        },
      });
      outgoing.once('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      outgoing.once('error', reject);
      outgoing.end(body);
    });
  const traces = ['4bf92f3577b34da6a3ce929d0e0e4736', '0af7651916cd43dd8448eb211c80319c'];

  it('when requests flushed in one batch carry different traces, then each stored event carries its own request’s trace', async () => {
    const statuses = await Promise.all(
      traces.map((traceId, index) => post(batching.baseUrl, statusNotification(`wamid.trace-${index}`), traceId)),
    );
    expect(statuses).toEqual([200, 200]);
    for (const [index, traceId] of traces.entries()) {
      const [stored] = await eventsWithMsgId(`wamid.trace-${index}:delivered`);
      expect(stored?.traceparent).toContain(traceId);
    }
  });

  it('when the lone statuses of concurrent requests are stored as one event, then both are answered 200 and the event carries the first request’s trace', async () => {
    const first = post(grouping.baseUrl, statusNotification('wamid.group-0'), traces[0]!);
    // Well inside the 50 ms window, so the second joins the first's flush, after it.
    await new Promise((resolve) => setTimeout(resolve, 10));
    const second = post(grouping.baseUrl, statusNotification('wamid.group-1'), traces[1]!);
    expect(await Promise.all([first, second])).toEqual([200, 200]);
    const wamidsOf = (event: StoredEvent) =>
      ((event.payload.statuses as Array<{ wamid: string }> | undefined) ?? []).map((status) => status.wamid);
    const grouped = (await storedEvents(namespace, 'WHATSAPP')).filter((event) =>
      wamidsOf(event).includes('wamid.group-0'),
    );
    expect(grouped).toHaveLength(1);
    expect(grouped[0]?.subject).toBe(`${namespace}.whatsapp.status.v2`);
    expect(wamidsOf(grouped[0]!)).toEqual(['wamid.group-0', 'wamid.group-1']);
    expect(grouped[0]?.traceparent).toContain(traces[0]);
  });
});

describe('metrics', () => {
  it('when requests were answered, then requests by result, events by type and the latency histogram are exported', async () => {
    const text = await metricsText(service.baseUrl);
    expect(text).toMatch(/ektola_webhook_requests_total\{result="ok"[^}]*\} [1-9]/);
    expect(text).toMatch(/ektola_webhook_requests_total\{result="bad_signature"[^}]*\} [1-9]/);
    expect(text).toMatch(/ektola_webhook_requests_total\{result="bad_payload"[^}]*\} [1-9]/);
    expect(text).toMatch(/ektola_webhook_requests_total\{result="too_large"[^}]*\} [1-9]/);
    expect(text).toMatch(/ektola_webhook_events_total\{type="status"[^}]*\} [1-9]/);
    expect(text).toMatch(/ektola_webhook_request_duration_seconds_count\{[^}]*\} [1-9]/);
  });
});
