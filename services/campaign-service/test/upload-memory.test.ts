import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  deleteNamespaceStreams,
  eventually,
  freePort,
  startServiceProcess,
  testGrpcTokenEnv,
  testNatsUrl,
  uniqueNamespace,
  type ServiceProcess,
  type TestDatabase,
} from '@ektola/platform/testing';

const entry = new URL('../src/main.ts', import.meta.url).pathname;
const namespace = uniqueNamespace();
const adminKey = `test-admin-${randomUUID()}`;
let database: TestDatabase;
let service: ServiceProcess;
let baseUrl: string;

beforeAll(async () => {
  database = await createTestDatabase('campaign_test');
  const [port, grpcPort] = [await freePort(), await freePort()];
  baseUrl = `http://127.0.0.1:${port}`;
  service = startServiceProcess(entry, {
    DATABASE_URL: database.url,
    NATS_URL: testNatsUrl(),
    EKTOLA_NAMESPACE: namespace,
    HOST: '127.0.0.1',
    PORT: String(port),
    GRPC_PORT: String(grpcPort),
    EKTOLA_ADMIN_API_KEY: adminKey,
    LOG_LEVEL: 'warn',
    // Room for an upload larger than what the collector lets pile up (below).
    UPLOAD_LIMIT_BYTES: String(256 * 1024 * 1024),
    ...testGrpcTokenEnv['campaign-service'],
  });
  await eventually(async () => (await fetch(`${baseUrl}/readyz`)).status === 200, 60_000, 250);
});

afterAll(async () => {
  service?.kill();
  await service?.exited;
  await database?.drop();
  await deleteNamespaceStreams(namespace);
});

/** The service process's resident set, as the kernel counts it. */
async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)![1]) * 1024;
}

/** Streams `phone,name\n<phone>,` and then `cellBytes` of one cell, 64 KiB at a time, honouring backpressure. */
function uploadOneHugeCell(cellBytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let status: number | undefined;
    const client = httpRequest(`${baseUrl}/v1/contacts/upload`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${adminKey}`,
        'content-type': 'text/csv',
        'content-length': String(22 + cellBytes),
      },
    });
    client.on('response', (response) => {
      status = response.statusCode;
      response.resume();
      response.on('end', () => resolve(status!));
    });
    // Once the answer is in, the server may stop reading what is still on its way.
    client.on('error', (error) => (status === undefined ? reject(error) : resolve(status)));
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const send = () => {
      while (sent < cellBytes) {
        sent += chunk.length;
        if (!client.write(chunk)) return void client.once('drain', send);
      }
      client.end();
    };
    client.write('phone,name\n9876500201,');
    send();
  });
}

describe('memory while a CSV arrives', () => {
  // The upload is written to disk as it arrives, then parsed: its 160 MiB pass through the service, and
  // the socket's chunks are reclaimed in bulk once about 64 MB of them are unclaimed (V8 collects on
  // memory held outside its heap), so RSS rises by that much whatever the upload's size. A service
  // holding the body, or the parser holding the cell, would grow by the upload's size.
  it('when one cell of 160 MiB is uploaded, then the service answers 413 and its RSS stays within 80 MiB of where it was', async () => {
    const pid = service.child.pid!;
    // One ordinary upload first, so what a first upload loads is in the baseline.
    const warm = await fetch(`${baseUrl}/v1/contacts/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'text/csv' },
      body: 'phone,name\n9876500200,Asha\n',
    });
    expect(warm.status).toBe(200);
    const before = await rssBytes(pid);

    let peak = before;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await rssBytes(pid));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const status = await uploadOneHugeCell(160 * 1024 * 1024);
    // Whatever the service still reads of the body after answering counts too.
    await new Promise((resolve) => setTimeout(resolve, 500));
    sampling = false;
    await sampler;

    expect(status).toBe(413);
    expect(peak - before).toBeLessThan(80 * 1024 * 1024);
  });
});
