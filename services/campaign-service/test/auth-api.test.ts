import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

let harness: Harness;
const rateLimit = 40;

beforeAll(async () => {
  harness = await startHarness({ RATE_LIMIT_PER_MINUTE: String(rateLimit) });
});

afterAll(async () => {
  await harness?.close();
});

async function mint(role: 'admin' | 'operator' | 'viewer') {
  const response = await harness.request({
    method: 'POST',
    url: '/v1/api-keys',
    payload: { name: `${role} key`, role },
  });
  expect(response.statusCode).toBe(201);
  return response.json() as { id: string; key: string; prefix: string; role: string };
}

describe('authentication', () => {
  it('when a request has no key, then it is a 401 with a Bearer challenge', async () => {
    const response = await harness.request({ url: '/v1/contacts', key: null });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(response.json().error.code).toBe('unauthenticated');
  });

  it('when the key is unknown, then it is a 401', async () => {
    expect((await harness.request({ url: '/v1/contacts', key: 'ek_not-a-key' })).statusCode).toBe(401);
  });

  it('when ops and docs are asked for without a key, then they answer', async () => {
    for (const url of ['/healthz', '/readyz', '/metrics', '/docs/json']) {
      expect((await harness.request({ url, key: null })).statusCode, url).toBe(200);
    }
  });
});

describe('roles', () => {
  it('when a viewer reads, then it may; when it writes, then it is a 403', async () => {
    const viewer = await mint('viewer');
    expect((await harness.request({ url: '/v1/contacts', key: viewer.key })).statusCode).toBe(200);
    const write = await harness.request({
      method: 'POST',
      url: '/v1/contacts',
      key: viewer.key,
      payload: { phone: '9876511111' },
    });
    expect(write.statusCode).toBe(403);
    expect(write.json().error.code).toBe('forbidden');
  });

  it('when an operator manages templates or keys, then it is a 403; contacts it may change', async () => {
    const operator = await mint('operator');
    const template = await harness.request({
      method: 'POST',
      url: '/v1/templates',
      key: operator.key,
      payload: { name: 'op_template', language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hi' }] },
    });
    expect(template.statusCode).toBe(403);
    expect((await harness.request({ method: 'POST', url: '/v1/templates/sync', key: operator.key })).statusCode).toBe(
      403,
    );
    expect((await harness.request({ url: '/v1/api-keys', key: operator.key })).statusCode).toBe(403);
    expect(
      (
        await harness.request({
          method: 'POST',
          url: '/v1/contacts',
          key: operator.key,
          payload: { phone: '9876511112' },
        })
      ).statusCode,
    ).toBe(201);
  });
});

describe('rate limiting', () => {
  it('when one key sends more requests than its limit in a minute, then the excess is a 429 while another key is unaffected', async () => {
    const [busy, calm] = [await mint('viewer'), await mint('viewer')];
    for (let index = 0; index < rateLimit; index += 1) {
      expect((await harness.request({ url: '/v1/contacts?limit=1', key: busy.key })).statusCode).toBe(200);
    }
    const limited = await harness.request({ url: '/v1/contacts?limit=1', key: busy.key });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect((await harness.request({ url: '/v1/contacts?limit=1', key: calm.key })).statusCode).toBe(200);
  });
});

describe('API keys', () => {
  it('when a key is minted, then it works, is listed without the secret, and stops working once revoked', async () => {
    const minted = await mint('operator');
    expect(minted.key).toMatch(/^ek_/);
    expect(minted.key.startsWith(minted.prefix)).toBe(true);
    expect((await harness.request({ url: '/v1/contacts', key: minted.key })).statusCode).toBe(200);

    const listed = (await harness.request({ url: '/v1/api-keys?limit=100' })).json();
    const entry = listed.items.find((item: { id: string }) => item.id === minted.id);
    expect(entry).toMatchObject({ role: 'operator', revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(minted.key);

    expect((await harness.request({ method: 'DELETE', url: `/v1/api-keys/${minted.id}` })).statusCode).toBe(204);
    expect((await harness.request({ url: '/v1/contacts', key: minted.key })).statusCode).toBe(401);
    const after = (await harness.request({ url: '/v1/api-keys?limit=100' })).json();
    expect(after.items.find((item: { id: string }) => item.id === minted.id).revokedAt).not.toBeNull();
  });

  it('when the role is unknown, then it is a 400 naming body.role', async () => {
    const response = await harness.request({
      method: 'POST',
      url: '/v1/api-keys',
      payload: { name: 'x', role: 'root' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].path).toBe('body.role');
  });

  it('when the key to revoke does not exist, then it is a 404', async () => {
    expect(
      (await harness.request({ method: 'DELETE', url: '/v1/api-keys/00000000-0000-4000-8000-000000000000' }))
        .statusCode,
    ).toBe(404);
  });

  it('when the last admin key would be revoked, then it is a 409; with a second admin key it is allowed', async () => {
    const keys = (await harness.request({ url: '/v1/api-keys?limit=100' })).json().items as Array<{
      id: string;
      role: string;
      revokedAt: string | null;
      name: string;
    }>;
    const bootstrap = keys.find((item) => item.name.startsWith('bootstrap admin'))!;
    const activeAdmins = keys.filter((item) => item.role === 'admin' && !item.revokedAt);
    for (const admin of activeAdmins.filter((item) => item.id !== bootstrap.id)) {
      await harness.request({ method: 'DELETE', url: `/v1/api-keys/${admin.id}` });
    }
    const refused = await harness.request({ method: 'DELETE', url: `/v1/api-keys/${bootstrap.id}` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('last_admin_key');

    const second = await mint('admin');
    expect(
      (await harness.request({ method: 'DELETE', url: `/v1/api-keys/${bootstrap.id}`, key: second.key })).statusCode,
    ).toBe(204);
    expect((await harness.request({ url: '/v1/contacts' })).statusCode).toBe(401);
    expect((await harness.request({ url: '/v1/api-keys', key: second.key })).statusCode).toBe(200);
  });
});
