import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request as httpRequest, type ClientRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

let harness: Harness;
let baseUrl: string;
let admin: postgres.Sql;
let spoolDirectory: string;
const jsonLimit = 4 * 1024;

beforeAll(async () => {
  // Uploads are written to the temporary directory while they arrive: a private one, to see what is left.
  spoolDirectory = await mkdtemp(join(tmpdir(), 'ektola-upload-limits-'));
  process.env.TMPDIR = spoolDirectory;
  harness = await startHarness({ JSON_BODY_LIMIT_BYTES: String(jsonLimit) });
  baseUrl = `http://127.0.0.1:${(harness.app.http.server.address() as AddressInfo).port}`;
  admin = postgres('postgres://postgres@127.0.0.1:5432/postgres', { max: 1, onnotice: () => undefined });
});

afterAll(async () => {
  await admin?.end();
  await harness?.close();
  await rm(spoolDirectory, { recursive: true, force: true });
});

const csv = (text: string) =>
  harness.request({
    method: 'POST',
    url: '/v1/contacts/upload',
    headers: { 'content-type': 'text/csv' },
    payload: text,
  });
const contactCount = async () =>
  (await harness.request({ url: '/v1/contacts?limit=500' })).json().items.length as number;

describe('CSV size limits', () => {
  it('when a record is longer than 64 KiB, then the upload is a 413 naming its line and nothing is imported', async () => {
    const before = await contactCount();
    const response = await csv(`phone,name\n9876500101,Asha\n9876500102,${'x'.repeat(70 * 1024)}\n9876500103,Ravi\n`);
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toMatchObject({
      code: 'payload_too_large',
      message: expect.stringContaining('line 3'),
    });
    expect(await contactCount()).toBe(before);
  });

  it('when the header has more than 1,000 columns, then the upload is a 413', async () => {
    const header = ['phone', ...Array.from({ length: 1_000 }, (_, index) => `c${index}`)].join(',');
    const response = await csv(`${header}\n9876500104${','.repeat(1_000)}\n`);
    expect(response.statusCode).toBe(413);
    expect(response.json().error.message).toContain('1001 columns');
  });

  it('when a cell holds a NUL character, then that row is rejected with its line and the others import; in the header it is a 400', async () => {
    const response = await csv('phone,name\n9876500105,A\u0000sha\n9876500106,Ravi\n');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      imported: 1,
      rejected: [{ line: 2, reason: 'contains a NUL character (U+0000)' }],
    });
    expect((await csv('phone,na\u0000me\n9876500107,Asha\n')).statusCode).toBe(400);
  });

  it('when a JSON body is over JSON_BODY_LIMIT_BYTES, then it is a 413', async () => {
    const response = await harness.request({
      method: 'POST',
      url: '/v1/contacts',
      payload: { phone: '9876500108', name: 'x'.repeat(jsonLimit) },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('payload_too_large');
  });

  it('when a client over real HTTP keeps sending a record far over the limit, then it reads the 413 instead of a reset connection', async () => {
    const cell = Buffer.alloc(64 * 1024, 'x');
    const response = await fetch(`${baseUrl}/v1/contacts/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.adminKey}`, 'content-type': 'text/csv' },
      body: new Blob([Buffer.from('phone,name\n9876500109,'), ...Array.from({ length: 32 }, () => cell)]),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });
});

describe('the spooled upload', () => {
  it('when uploads end imported, refused or rejected, then none of them is left in the temporary directory', async () => {
    expect((await csv('phone,name\n9876509901,Asha\n')).statusCode).toBe(200);
    expect((await csv(`phone,name\n9876509902,${'x'.repeat(70 * 1024)}\n`)).statusCode).toBe(413);
    expect((await csv('name\nAsha\n')).statusCode).toBe(400);
    expect(await readdir(spoolDirectory)).toEqual([]);
  });

  it('when a client goes away part-way through its upload, then nothing of it is imported and nothing is left behind', async () => {
    const before = await contactCount();
    const client = httpRequest(`${baseUrl}/v1/contacts/upload`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${harness.adminKey}`,
        'content-type': 'text/csv',
        'transfer-encoding': 'chunked',
      },
    });
    client.on('error', () => undefined);
    client.write('phone,name\n9876509911,Asha\n9876509912,Ravi\n');
    client.flushHeaders();
    // The rows have reached the service's file by now; the end of the body never comes.
    await new Promise((resolve) => setTimeout(resolve, 200));
    client.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await contactCount()).toBe(before);
    expect(await readdir(spoolDirectory)).toEqual([]);
  });
});

/** An upload whose body arrives in parts: the header row now, the rest when `finish` is called. */
function slowUpload(index: number) {
  let client!: ClientRequest;
  const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
    client = httpRequest(`${baseUrl}/v1/contacts/upload`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${harness.adminKey}`,
        'content-type': 'text/csv',
        'transfer-encoding': 'chunked',
      },
    });
    client.on('error', reject);
    client.on('response', (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
  });
  client.write('phone,name\n');
  client.write(`98765${String(index).padStart(3, '0')}01,First\n`);
  client.flushHeaders();
  return {
    answered,
    finish() {
      client.end(`98765${String(index).padStart(3, '0')}02,Second\n`);
    },
  };
}

describe('slow uploads', () => {
  it('when 20 clients trickle their uploads at once, then no connection waits in a transaction for them, other requests are served, and every upload imports once finished', async () => {
    const uploads = Array.from({ length: 20 }, (_, index) => slowUpload(index));
    const ofService = admin`datname = ${harness.database.name} and application_name = 'campaign-service'`;
    const connections = () =>
      admin<Array<{ total: number }>>`select count(*)::int as total from pg_stat_activity where ${ofService}`;
    // Transactions open and idle, each named by its backend and start: one the service held across the whole
    // window would be waiting on the uploads. Its own short ones (the outbox relay's polls) may be caught
    // in passing by one look and must not count.
    const idleTransactions = async () =>
      (
        await admin<Array<{ id: string }>>`
          select pid || ':' || xact_start as id from pg_stat_activity
          where ${ofService} and state like 'idle in transaction%'`
      ).map((row) => row.id);
    let idleEarly = new Set<string>();
    const samples: Array<{ total: number }> = [];
    try {
      // While every client is still sending: sample the service's connections and ask for something that needs PostgreSQL.
      for (let sample = 0; sample < 10; sample += 1) {
        samples.push((await connections())[0]!);
        // By the third look every upload has reached the service.
        if (sample === 2) idleEarly = new Set(await idleTransactions());
        const list = await fetch(`${baseUrl}/v1/contacts?limit=1`, {
          headers: { authorization: `Bearer ${harness.adminKey}` },
          signal: AbortSignal.timeout(15_000),
        });
        expect(list.status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect((await idleTransactions()).filter((id) => idleEarly.has(id))).toEqual([]);
      expect(Math.max(...samples.map((sample) => sample.total))).toBeLessThanOrEqual(10);
    } finally {
      for (const upload of uploads) upload.finish();
    }
    const answers = await Promise.all(uploads.map((upload) => upload.answered));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect(answers.map((answer) => JSON.parse(answer.body).imported)).toEqual(Array(20).fill(2));
  });
});
