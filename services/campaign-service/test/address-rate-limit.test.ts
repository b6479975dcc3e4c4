import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

const perAddress = 20;
let direct: Harness;
let behindProxy: Harness;

beforeAll(async () => {
  [direct, behindProxy] = await Promise.all([
    startHarness({ RATE_LIMIT_PER_ADDRESS_PER_MINUTE: String(perAddress) }),
    startHarness({ RATE_LIMIT_PER_ADDRESS_PER_MINUTE: String(perAddress), TRUSTED_PROXIES: '127.0.0.1/32' }),
  ]);
});

afterAll(async () => {
  await Promise.all([direct?.close(), behindProxy?.close()]);
});

async function unknownKeyLookups(harness: Harness): Promise<number> {
  const metrics = (await harness.request({ url: '/metrics', key: null })).body;
  return Number(/^ektola_api_key_lookups_total\{[^}]*result="unknown"[^}]*\} (\d+)/m.exec(metrics)?.[1] ?? 0);
}

describe('the rate limit per client address', () => {
  it('when one address sends many requests with unknown keys, then past the limit they are 429 with Retry-After and stop reaching the key lookup, whatever X-Forwarded-For it claims', async () => {
    const statuses: number[] = [];
    let limited;
    for (let index = 0; index < perAddress + 15; index += 1) {
      // An untrusted peer cannot move itself to a fresh bucket by naming another address.
      const response = await direct.request({
        url: '/v1/contacts',
        key: `ek_guess_${index}`,
        headers: { 'x-forwarded-for': `198.51.100.${index}` },
      });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) limited = response;
    }
    expect(statuses.slice(0, perAddress).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(perAddress).every((status) => status === 429)).toBe(true);
    expect(limited!.headers['retry-after']).toMatch(/^\d+$/);
    expect(limited!.json().error.code).toBe('rate_limited');
    expect(await unknownKeyLookups(direct)).toBe(perAddress);
  });

  it('when the address is limited, then a valid key from it waits too, while ops routes still answer', async () => {
    expect((await direct.request({ url: '/v1/contacts' })).statusCode).toBe(429);
    expect((await direct.request({ url: '/readyz', key: null })).statusCode).toBe(200);
  });
});

describe('trusted proxies', () => {
  it('when the peer is a trusted proxy, then X-Forwarded-For names the client and each client has its own bucket', async () => {
    const from = (client: string) =>
      behindProxy.request({ url: '/v1/contacts', key: 'ek_guess', headers: { 'x-forwarded-for': client } });
    for (let index = 0; index < perAddress; index += 1) expect((await from('203.0.113.7')).statusCode).toBe(401);
    expect((await from('203.0.113.7')).statusCode).toBe(429);
    expect((await from('203.0.113.8')).statusCode).toBe(401);
  });
});
