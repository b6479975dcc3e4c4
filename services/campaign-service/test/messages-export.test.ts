import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, freePort } from '@ektola/platform/testing';
import { startFakeDispatcher } from './fake-dispatcher.ts';
import { startHarness, type Harness } from './harness.ts';

/*
 * The CSV export honours backpressure end to end: while a client does not read, the campaign-service
 * stops asking the dispatcher's stream for more, so a run of any size exports in bounded memory.
 */

const exports = { batches: 400, written: 0 };
let harness: Harness;
let dispatcher: Awaited<ReturnType<typeof startFakeDispatcher>>;
let runId: string;

beforeAll(async () => {
  const dispatcherPort = await freePort();
  dispatcher = await startFakeDispatcher(dispatcherPort, new Map(), exports);
  harness = await startHarness({ DISPATCHER_GRPC_ADDRESS: `127.0.0.1:${dispatcherPort}` });
  const template = (
    await harness.request({
      method: 'POST',
      url: '/v1/templates',
      payload: {
        name: 'export_check',
        language: 'en',
        category: 'UTILITY',
        status: 'APPROVED',
        components: [{ type: 'BODY', text: 'Hello' }],
        variables: {},
      },
    })
  ).json();
  const campaign = (
    await harness.request({
      method: 'POST',
      url: '/v1/campaigns',
      payload: {
        name: 'Export',
        templateId: template.id,
        recurrence: 'ONCE',
        timezone: 'UTC',
        startAt: '2030-01-01T09:00:00Z',
        audience: { tags: ['loan'] },
      },
    })
  ).json();
  runId = crypto.randomUUID();
  const sql = postgres(harness.database.url, { max: 1, onnotice: () => undefined });
  try {
    await sql`insert into campaign.runs (id, campaign_id, template_id, period_key, scheduled_for, status)
              values (${runId}, ${campaign.id}, ${template.id}, 'once', '2030-01-01T09:00:00Z', 'REQUESTED')`;
  } finally {
    await sql.end({ timeout: 5 });
  }
});

afterAll(async () => {
  await harness?.close();
  await dispatcher?.stop();
});

describe('the CSV export under backpressure', () => {
  it('when the client pauses, then the dispatcher stream is held well short of the run, and resuming reads every row', async () => {
    const { port } = harness.app.http.server.address() as AddressInfo;
    const response = await new Promise<IncomingMessage>((resolve, reject) =>
      get(
        `http://127.0.0.1:${port}/v1/runs/${runId}/messages.csv`,
        { headers: { authorization: `Bearer ${harness.adminKey}` } },
        resolve,
      ).on('error', reject),
    );
    expect(response.statusCode).toBe(200);
    response.pause();
    // Held: the count stops moving while nobody reads.
    let seen = -1;
    await eventually(
      async () => {
        const stable = exports.written === seen;
        seen = exports.written;
        await new Promise((resolve) => setTimeout(resolve, 300));
        return stable && exports.written === seen;
      },
      30_000,
      0,
    );
    expect(exports.written).toBeLessThan(exports.batches / 2);

    let rows = -1;
    let tail = '';
    response.setEncoding('utf8');
    for await (const chunk of response as AsyncIterable<string>) {
      for (const character of chunk) if (character === '\n') rows++;
      tail = (tail + chunk).slice(-300);
    }
    expect(rows).toBe(exports.batches * 500);
    expect(exports.written).toBe(exports.batches);
    expect(tail.trimEnd().split('\r\n').at(-1)).toBe(
      `00000000-0000-4000-8000-${String(exports.batches * 500 - 1).padStart(12, '0')},contact-${exports.batches * 500 - 1},+9198${String(exports.batches * 500 - 1).padStart(8, '0')},,READ,,,,utility,true,2030-01-01T00:00:00.000Z,,,`,
    );
  }, 120_000);
});
