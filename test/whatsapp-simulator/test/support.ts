import { createServer, type IncomingHttpHeaders } from 'node:http';
import { afterEach } from 'vitest';
import { once } from 'node:events';
import { parseConfig } from '@ektola/platform/config';
import type { Clock } from '@ektola/platform/clock';
import { configSchema, createSimulator, type SimulatorDeps } from '../src/simulator.ts';

export const token = 'test-access-token';
export const appSecret = 'test-app-secret';
export const phoneNumberId = '106540352242922';
export const wabaId = '102290129340398';

export interface Started {
  url: string;
  send(
    body: unknown,
    options?: { token?: string | null; phoneNumberId?: string; signal?: AbortSignal },
  ): Promise<{ status: number; body: any }>;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  stats(): Promise<any>;
  stop(): Promise<void>;
}

/** The simulator in this process on a free port, with test credentials and whatever else a test sets. */
export async function startSimulator(env: Record<string, string> = {}, deps: SimulatorDeps = {}): Promise<Started> {
  const config = parseConfig(configSchema, {
    PORT: '0',
    LOG_LEVEL: 'silent',
    WHATSAPP_ACCESS_TOKEN: token,
    WHATSAPP_APP_SECRET: appSecret,
    ...env,
  });
  const simulator = createSimulator(config, deps);
  const { url } = await simulator.start();
  const json = async (response: Response) => {
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const admin = async (method: string, path: string, body?: unknown) =>
    json(
      await fetch(`${url}${path}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      }),
    );
  return {
    url,
    async send(body, options = {}) {
      const bearer = options.token === undefined ? token : options.token;
      return json(
        await fetch(`${url}/v23.0/${options.phoneNumberId ?? phoneNumberId}/messages`, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: {
            'content-type': 'application/json',
            ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
          },
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      );
    },
    admin,
    async stats() {
      return (await admin('GET', '/_sim/stats')).body;
    },
    stop: () => simulator.stop(),
  };
}

/** A response's JSON, loosely typed: tests compare it with the exact shape they expect. */
export const bodyOf = (response: Response): Promise<any> => response.json();

/** A gold_loan_reminder send as the dispatcher writes it. */
export const reminder = (to: string, key?: string, parameters = ['Asha', '₹12,500']) => ({
  messaging_product: 'whatsapp',
  to,
  type: 'template',
  ...(key === undefined ? {} : { biz_opaque_callback_data: key }),
  template: {
    name: 'gold_loan_reminder',
    language: { code: 'en' },
    components: [{ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) }],
  },
});

/** A festive_offer send (image header, URL button; a marketing template), with extra components if given. */
export const festiveOffer = (to: string, extra: unknown[] = []) => ({
  messaging_product: 'whatsapp',
  to,
  type: 'template',
  template: {
    name: 'festive_offer',
    language: { code: 'en' },
    components: [
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://example.com/diwali.jpg' } }] },
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Asha' },
          { type: 'text', text: '0.79%' },
        ],
      },
      { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'diwali' }] },
      ...extra,
    ],
  },
});

/** The envelope every notification of the test business comes in, around one change. */
export const notificationOf = (field: string, value: unknown) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: wabaId, changes: [{ field, value }] }],
});

/** A clock a test moves by hand, for windows and expiry without waiting. */
export function manualClock(startMs = Date.UTC(2026, 2, 5, 4, 0, 0)) {
  let nowMs = startMs;
  const clock: Clock & { advance(ms: number): void } = {
    now: () => new Date(nowMs),
    advance(ms) {
      nowMs += ms;
    },
  };
  return clock;
}

export interface Received {
  raw: string;
  headers: IncomingHttpHeaders;
  body: any;
}

/** A webhook callback on a free port that records the exact bytes and answers what `status` says. */
export async function startReceiver(status: (index: number) => number = () => 200) {
  const received: Received[] = [];
  let index = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({ raw, headers: request.headers, body: JSON.parse(raw) });
      response.writeHead(status(index++)).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/webhooks/whatsapp`,
    received,
    /** Every status in every notification so far, in arrival order. */
    statuses: () =>
      received.flatMap((entry) =>
        entry.body.entry.flatMap((item: any) => item.changes.flatMap((change: any) => change.value.statuses ?? [])),
      ),
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/**
 * For a test file whose tests each start a simulator posting to a receiver: `start` starts both
 * (webhooks pointed at the receiver), and both stop after each test.
 */
export function simulatorWithReceiver() {
  let running: { sim: Started; receiver: Receiver } | undefined;
  afterEach(async () => {
    await running?.sim.stop();
    await running?.receiver.close();
    running = undefined;
  });
  return {
    async start(env: Record<string, string> = {}, deps: SimulatorDeps = {}) {
      const receiver = await startReceiver();
      running = { receiver, sim: await startSimulator({ SIMULATOR_WEBHOOK_URL: receiver.url, ...env }, deps) };
      return running;
    },
    /** The receiver of the running test. */
    get receiver(): Receiver {
      if (!running) throw new Error('start() first');
      return running.receiver;
    },
  };
}
