import { readFileSync } from 'node:fs';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { parseConfig } from '@ektola/platform/config';
import { streamNameOf, type StreamKey } from '@ektola/platform/events';
import { createLogger } from '@ektola/platform/logger';
import { storedMessages, testNatsUrl } from '@ektola/platform/testing';
import { buildApp } from '../src/app.ts';
import { configSchema } from '../src/config.ts';
import { signatureOf } from '../src/domain/signature.ts';

export const appSecret = 'component-test-app-secret';
export const verifyToken = 'component-test-verify-token';

export const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8');

/**
 * The service in this process, on a free port, against the real NATS under the test file's namespace.
 * With `logLines`, each JSON log line it writes is kept there.
 */
export async function startWebhookService(
  env: Record<string, string>,
  options: { logLines?: Array<Record<string, unknown>> } = {},
) {
  const config = parseConfig(configSchema, {
    NATS_URL: testNatsUrl(),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    WHATSAPP_APP_SECRET: appSecret,
    WHATSAPP_VERIFY_TOKEN: verifyToken,
    ...env,
  });
  const { logLines } = options;
  const destination = logLines && {
    write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>),
  };
  const app = await buildApp(
    config,
    createLogger({ service: 'webhook-service', level: config.LOG_LEVEL }, destination),
  );
  const port = await app.start();
  return { ...app, baseUrl: `http://127.0.0.1:${port}` };
}

/** Posts bytes exactly as given, signed as Meta signs them unless a signature is supplied. */
export async function deliver(
  baseUrl: string,
  body: string,
  options: { signature?: string | null; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  const signature = options.signature === undefined ? signatureOf(body, appSecret) : options.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  const response = await fetch(`${baseUrl}/webhooks/whatsapp`, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export interface StoredEvent {
  subject: string;
  msgId: string | undefined;
  traceparent: string | undefined;
  payload: Record<string, unknown>;
}

/** Every message one stream of the namespace holds, read straight from JetStream. */
export async function storedEvents(namespace: string, stream: StreamKey): Promise<StoredEvent[]> {
  const nc = await connect({ servers: testNatsUrl() });
  try {
    const events: StoredEvent[] = [];
    for await (const message of storedMessages(await jetstreamManager(nc), streamNameOf(namespace, stream))) {
      events.push({
        subject: message.subject,
        msgId: message.header.get('Nats-Msg-Id') || undefined,
        traceparent: message.header.get('traceparent') || undefined,
        payload: message.json(),
      });
    }
    return events;
  } finally {
    await nc.close();
  }
}

export async function metricsText(baseUrl: string) {
  return (await fetch(`${baseUrl}/metrics`)).text();
}
