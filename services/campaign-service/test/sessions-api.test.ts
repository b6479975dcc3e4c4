import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@ektola/platform/logger';
import { createDatabase, type Sql } from '@ektola/platform/postgres';
import { createPostgresSessionStore } from '../src/adapters/postgres-session-store.ts';
import { startHarness, type Harness } from './harness.ts';

let harness: Harness;
let sql: Sql;

beforeAll(async () => {
  harness = await startHarness({ TRUSTED_PROXIES: '127.0.0.1' });
  const logger = createLogger({ service: 'campaign-service', level: 'silent' });
  sql = createDatabase({ url: harness.database.url, logger, applicationName: 'sessions-test' });
});

afterAll(async () => {
  await sql?.end({ timeout: 5 });
  await harness?.close();
});

const origin = 'http://localhost:8080';

async function signIn(apiKey: string, headers: Record<string, string> = {}) {
  const response = await harness.request({
    method: 'POST',
    url: '/v1/sessions',
    key: null,
    headers: { host: 'localhost:8080', origin, ...headers },
    payload: { apiKey },
  });
  const setCookie = String(response.headers['set-cookie'] ?? '');
  return { response, setCookie, cookie: setCookie.split(';')[0]! };
}

async function mint(role: 'admin' | 'operator' | 'viewer') {
  const response = await harness.request({ method: 'POST', url: '/v1/api-keys', payload: { name: role, role } });
  return response.json() as { id: string; key: string };
}

const withCookie = (cookie: string, extra: Record<string, string> = {}) => ({
  key: null,
  headers: { host: 'localhost:8080', cookie, ...extra },
});

describe('sessions', () => {
  it('when an API key signs in, then an HttpOnly SameSite=Strict cookie with an expiry stands for it', async () => {
    const { response, setCookie, cookie } = await signIn(harness.adminKey);
    expect(response.statusCode).toBe(201);
    expect(setCookie).toMatch(/^ektola_session=eks_[\w-]+; Path=\/v1; HttpOnly; SameSite=Strict; Max-Age=28800$/);
    expect(response.json()).toMatchObject({ apiKey: { role: 'admin' } });

    const current = await harness.request({ url: '/v1/sessions/current', ...withCookie(cookie) });
    expect(current.statusCode).toBe(200);
    expect(current.json()).toMatchObject({ apiKey: { role: 'admin' } });
    expect(Date.parse(current.json().expiresAt)).toBeGreaterThan(Date.now());
    expect((await harness.request({ url: '/v1/contacts', ...withCookie(cookie) })).statusCode).toBe(200);
  });

  it('when the token is stored, then only its hash is kept', async () => {
    const { cookie } = await signIn(harness.adminKey);
    const token = cookie.split('=')[1]!;
    const rows = await sql`select token_hash from campaign.sessions`;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((row) => row.token_hash === token)).toBe(false);
  });

  it('when reached over HTTPS through a trusted proxy, then the cookie is Secure', async () => {
    const { setCookie } = await signIn(harness.adminKey, {
      'x-forwarded-proto': 'https',
      origin: 'https://localhost:8080',
    });
    expect(setCookie).toMatch(/; Secure$/);
  });

  it('when the key is wrong, then it is a 401 naming body.apiKey and no cookie is set', async () => {
    const { response } = await signIn('ek_not-a-key');
    expect(response.statusCode).toBe(401);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.json().error.details).toEqual([{ path: 'body.apiKey', message: 'is not a valid API key' }]);
  });

  it('when the body has no key, then it is a 400 naming body.apiKey', async () => {
    const response = await harness.request({ method: 'POST', url: '/v1/sessions', key: null, payload: {} });
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.json().error.details)).toContain('body.apiKey');
  });

  it('when a cookie-authenticated write comes from another origin or none, then it is refused', async () => {
    const { cookie } = await signIn(harness.adminKey);
    const payload = { phone: '9876512345' };
    const foreign = await harness.request({
      method: 'POST',
      url: '/v1/contacts',
      payload,
      ...withCookie(cookie, { origin: 'https://evil.example' }),
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('cross_site_request');
    const none = await harness.request({ method: 'POST', url: '/v1/contacts', payload, ...withCookie(cookie) });
    expect(none.statusCode).toBe(403);
    const own = await harness.request({
      method: 'POST',
      url: '/v1/contacts',
      payload,
      ...withCookie(cookie, { origin }),
    });
    expect(own.statusCode).toBe(201);
  });

  it('when a viewer signs in, then its session has the viewer role and may not write', async () => {
    const viewer = await mint('viewer');
    const { cookie } = await signIn(viewer.key);
    const current = await harness.request({ url: '/v1/sessions/current', ...withCookie(cookie) });
    expect(current.json().apiKey.role).toBe('viewer');
    const write = await harness.request({
      method: 'POST',
      url: '/v1/contacts',
      payload: { phone: '9876512346' },
      ...withCookie(cookie, { origin }),
    });
    expect(write.statusCode).toBe(403);
    expect(write.json().error.code).toBe('forbidden');
  });

  it('when signed out, then the old cookie is refused and cleared', async () => {
    const { cookie } = await signIn(harness.adminKey);
    const out = await harness.request({
      method: 'DELETE',
      url: '/v1/sessions/current',
      ...withCookie(cookie, { origin }),
    });
    expect(out.statusCode).toBe(204);
    expect(out.headers['set-cookie']).toMatch(/^ektola_session=; .*Max-Age=0/);
    const after = await harness.request({ url: '/v1/contacts', ...withCookie(cookie) });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.message).toContain('sign in again');
  });

  it('when the key behind a session is revoked, then the session stops working at once', async () => {
    const operator = await mint('operator');
    const { cookie } = await signIn(operator.key);
    expect((await harness.request({ url: '/v1/contacts', ...withCookie(cookie) })).statusCode).toBe(200);
    await harness.request({ method: 'DELETE', url: `/v1/api-keys/${operator.id}` });
    expect((await harness.request({ url: '/v1/contacts', ...withCookie(cookie) })).statusCode).toBe(401);
  });

  it('when a session has expired, then it is refused and housekeeping can forget it', async () => {
    const { cookie } = await signIn(harness.adminKey);
    await sql`update campaign.sessions set expires_at = now() - interval '1 second'`;
    expect((await harness.request({ url: '/v1/contacts', ...withCookie(cookie) })).statusCode).toBe(401);
    expect(await createPostgresSessionStore(sql).deleteExpired(new Date(), 1_000)).toBeGreaterThan(0);
    expect(await sql`select 1 from campaign.sessions`).toHaveLength(0);
  });

  it('when a Bearer key asks for its session or signs out, then it is a 404: a key has no session', async () => {
    expect((await harness.request({ url: '/v1/sessions/current' })).statusCode).toBe(404);
    expect((await harness.request({ method: 'DELETE', url: '/v1/sessions/current' })).statusCode).toBe(404);
  });
});
