import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

const businessAccountId = '102290129340398';
const accessToken = 'sync-origin-token';

/** A server that answers every request with `body` and remembers the requests' authorization headers. */
async function startJsonServer(body: (origin: string) => unknown) {
  const authorizations: Array<string | undefined> = [];
  const server: Server = createServer((request, response) => {
    authorizations.push(request.headers.authorization);
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(body(origin())));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin: origin(),
    authorizations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const template = {
  id: '2001',
  name: 'elsewhere_test',
  language: 'en',
  status: 'APPROVED',
  category: 'UTILITY',
  components: [{ type: 'BODY', text: 'Hi' }],
};
let elsewhere: Awaited<ReturnType<typeof startJsonServer>>;
let meta: Awaited<ReturnType<typeof startJsonServer>>;
let harness: Harness;

beforeAll(async () => {
  elsewhere = await startJsonServer(() => ({ data: [] }));
  // Meta's first page links its next page to another host.
  meta = await startJsonServer(() => ({
    data: [template],
    paging: { next: `${elsewhere.origin}/v23.0/${businessAccountId}/message_templates?after=1` },
  }));
  harness = await startHarness({
    WHATSAPP_API_BASE_URL: `${meta.origin}/v23.0`,
    WHATSAPP_ACCESS_TOKEN: accessToken,
    WHATSAPP_BUSINESS_ACCOUNT_ID: businessAccountId,
  });
});

afterAll(async () => {
  await harness?.close();
  await Promise.all([meta?.close(), elsewhere?.close()]);
});

describe('POST /v1/templates/sync paging', () => {
  it('when paging.next points off the configured Cloud API origin, then the sync stops with a clear error, the other host never sees the token and nothing is written', async () => {
    const response = await harness.request({ method: 'POST', url: '/v1/templates/sync' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({
      code: 'untrusted_paging_link',
      message: expect.stringContaining(meta.origin),
    });
    expect(meta.authorizations).toEqual([`Bearer ${accessToken}`]);
    expect(elsewhere.authorizations).toEqual([]);
    expect((await harness.request({ url: '/v1/templates' })).json().items).toEqual([]);
  });
});
