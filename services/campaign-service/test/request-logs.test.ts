import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

let harness: Harness;
const lines: string[] = [];

beforeAll(async () => {
  const capture = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  harness = await startHarness({ LOG_LEVEL: 'info' }, {}, capture);
});

afterAll(async () => {
  await harness?.close();
});

describe('request logs', () => {
  it('when a query string carries a phone number, then no log line carries it, while the path and parameter names are logged', async () => {
    lines.length = 0;
    for (const url of [
      '/v1/contacts?search=%2B919876543210',
      '/v1/contacts?phone=%2B919876543210&limit=5',
      '/v1/contacts?search=919876543210&limit=abc',
    ]) {
      await harness.request({ url });
    }
    await harness.request({ url: '/v1/nowhere?phone=+919876543210' });
    const written = lines.join('');
    expect(written).not.toContain('9876543210');
    const requests = lines
      .map((line) => JSON.parse(line) as { msg?: string; req?: { url: string } })
      .filter((line) => line.msg === 'incoming request');
    expect(requests.map((line) => line.req!.url)).toEqual([
      '/v1/contacts?search=…',
      '/v1/contacts?phone=…&limit=…',
      '/v1/contacts?search=…&limit=…',
      '/v1/nowhere?phone=…',
    ]);
  });
});
