import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

describe('POST /v1/api-keys with Idempotency-Key', () => {
  it('when a mint is retried, then the replay answers the id and prefix without the key, and the idempotency table never held the key', async () => {
    const mint = () =>
      harness.request({
        method: 'POST',
        url: '/v1/api-keys',
        headers: { 'idempotency-key': 'mint-1' },
        payload: { name: 'partner', role: 'viewer' },
      });
    const first = await mint();
    expect(first.statusCode).toBe(201);
    const minted = first.json() as { id: string; prefix: string; key: string };
    expect(minted.key).toMatch(/^ek_/);

    const replayed = await mint();
    expect(replayed.statusCode).toBe(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.json()).toMatchObject({ id: minted.id, prefix: minted.prefix });
    expect(replayed.json()).not.toHaveProperty('key');

    const sql = postgres(harness.config.DATABASE_URL, { max: 1, onnotice: () => undefined });
    try {
      const rows = await sql`select * from campaign.idempotency_keys`;
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(minted.key);
      expect(JSON.stringify(rows)).not.toContain(minted.key.slice(minted.prefix.length));
    } finally {
      await sql.end();
    }
    // The key still works: only its stored answer lost the secret.
    expect((await harness.request({ url: '/v1/contacts', key: minted.key })).statusCode).toBe(200);
  });
});
