import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelemetry, withSpan, type Telemetry } from '@ektola/platform/telemetry';
import { startOtlpCollector, type OtlpCollector } from '@ektola/platform/testing';
import { createCloudApiClient, sendBodyOf } from '../src/adapters/cloud-api-client.ts';
import type { ClaimedMessage } from '../src/domain/ports.ts';

const message: ClaimedMessage = {
  id: '0d6f3c2e-8d7b-4a51-9f0e-2b7c1a9d4e10',
  runId: '3f2a4a8e-0c1d-4b7e-9a55-2f7d1c0e9b10',
  phone: '+919876543210',
  phoneNumberId: '106540352242922',
  templateName: 'gold_loan_reminder',
  templateLanguage: 'en',
  componentsJson: '[]',
  attempt: 1,
};

/** A Cloud API stand-in whose every answer the test writes by hand. */
async function metaAnswering(answer: (response: ServerResponse, body: string) => void): Promise<Server> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => answer(response, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const clientFor = (url: string) =>
  createCloudApiClient({ baseUrl: `${url}/v23.0`, accessToken: 'token', connections: 4, timeoutMs: 2_000 });

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

describe('the send request body', () => {
  it('when the stored components hold quotes, backslashes and non-ASCII text, then the body is the template message Meta defines, components as stored', () => {
    // PostgreSQL's text form of a jsonb array: a space after each colon and comma, keys in its own order.
    const componentsJson =
      '[{"type": "body", "parameters": [{"text": "\\"Dear\\" Ravi \\\\ ₹12,500", "type": "text"}, {"text": "15 Dec", "type": "text"}]}]';
    const body = sendBodyOf({ ...message, componentsJson, templateName: 'gold_loan "v2"' });
    expect(JSON.parse(body)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '919876543210',
      type: 'template',
      biz_opaque_callback_data: message.id,
      template: {
        name: 'gold_loan "v2"',
        language: { code: 'en' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: '"Dear" Ravi \\ ₹12,500' },
              { type: 'text', text: '15 Dec' },
            ],
          },
        ],
      },
    });
  });

  it('when the template has no components, then the body has no components key', () => {
    expect(JSON.parse(sendBodyOf(message)).template).toEqual({ name: 'gold_loan_reminder', language: { code: 'en' } });
  });
});

describe('the Cloud API client', () => {
  let collector: OtlpCollector;
  let telemetry: Telemetry;

  beforeAll(async () => {
    collector = await startOtlpCollector();
    telemetry = await startTelemetry({ serviceName: 'cloud-api-client-test', otlpEndpoint: `${collector.url}/` });
  });
  afterAll(async () => {
    await telemetry.shutdown();
    await collector.close();
  });

  it('when a send is made inside a span, then the request carries its trace and an answer without a wamid is a rejection', async () => {
    const client = clientFor(collector.url);
    try {
      const { result, traceId } = await withSpan('send', {}, async (span) => ({
        result: await client.send(message),
        traceId: span.spanContext().traceId,
      }));
      expect(result).toEqual({ kind: 'rejected', code: 0, message: 'HTTP 200', httpStatus: 502 });
      expect(collector.traceparents(`/v23.0/${message.phoneNumberId}/messages`)).toEqual([
        expect.stringMatching(new RegExp(`^00-${traceId}-`)),
      ]);
    } finally {
      await client.close();
    }
  });

  it('when Meta accepts in a body sent in pieces, then the wamid is read whole from the request Meta was sent', async () => {
    let received = '';
    const meta = await metaAnswering((response, body) => {
      received = body;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"messaging_product":"whatsapp","messages":[{"id":"wamid.HBgM');
      setTimeout(() => response.end('OTE5ODc2NTQzMjEw"}]}'), 20);
    });
    const client = clientFor(urlOf(meta));
    try {
      expect(await client.send(message)).toEqual({ kind: 'accepted', wamid: 'wamid.HBgMOTE5ODc2NTQzMjEw' });
      expect(JSON.parse(received)).toMatchObject({ to: '919876543210', biz_opaque_callback_data: message.id });
    } finally {
      await client.close();
      meta.close();
    }
  });

  it("when Meta refuses, then the result carries Meta's code, message and details", async () => {
    const meta = await metaAnswering((response) =>
      response.writeHead(400, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          error: { code: 131026, message: 'Message undeliverable', error_data: { details: 'not on WhatsApp' } },
        }),
      ),
    );
    const client = clientFor(urlOf(meta));
    try {
      expect(await client.send(message)).toEqual({
        kind: 'rejected',
        code: 131026,
        message: 'Message undeliverable: not on WhatsApp',
        httpStatus: 400,
      });
    } finally {
      await client.close();
      meta.close();
    }
  });

  it('when nothing listens, then the send is unreachable; when the connection drops mid-answer, its outcome is unknown', async () => {
    const closed = await metaAnswering(() => undefined);
    const refusedUrl = urlOf(closed);
    await new Promise((resolve) => closed.close(resolve));
    const refused = clientFor(refusedUrl);
    const dropping = await metaAnswering((response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"messages":');
      setTimeout(() => response.socket?.destroy(), 20);
    });
    const dropped = clientFor(urlOf(dropping));
    try {
      expect(await refused.send(message)).toMatchObject({
        kind: 'unreachable',
        reason: expect.stringMatching(/^ECONNREFUSED/),
      });
      expect(await dropped.send(message)).toMatchObject({ kind: 'unknown' });
    } finally {
      await refused.close();
      await dropped.close();
      dropping.close();
    }
  });
});
