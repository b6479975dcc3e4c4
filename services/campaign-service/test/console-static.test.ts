import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

let harness: Harness;
let build: string;
const asset = '/assets/index-Bx7Yq2kP.js';

beforeAll(async () => {
  build = mkdtempSync(join(tmpdir(), 'console-build-'));
  mkdirSync(join(build, 'assets'));
  writeFileSync(join(build, 'index.html'), `<!doctype html><script type="module" src="${asset}"></script>`);
  writeFileSync(join(build, asset), 'console.log(1)');
  writeFileSync(join(build, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  harness = await startHarness({ CONSOLE_DIR: build });
});

afterAll(async () => {
  await harness?.close();
  rmSync(build, { recursive: true, force: true });
});

const get = (url: string) => harness.request({ url, key: null });

describe('the console at /', () => {
  it('when / is asked for, then index.html answers, never cached, under a strict CSP', async () => {
    const response = await get('/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain(asset);
    expect(response.headers['cache-control']).toBe('no-cache');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('when a hashed asset is asked for, then it is cached for a year as immutable', async () => {
    const response = await get(asset);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['content-security-policy']).toBeDefined();
  });

  it('when an unhashed file is asked for, then it is revalidated every time', async () => {
    expect((await get('/favicon.svg')).headers['cache-control']).toBe('no-cache');
  });

  it('when a client route is reloaded, then index.html answers so the console can route it', async () => {
    for (const url of ['/campaigns', '/runs/0b0c9a31-2f7a-4b7e-9d0e-0f2f3c1d2e3f', '/contacts?tag=vip']) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.body, url).toContain(asset);
    }
  });

  it('when an unknown path under the API, docs or ops is asked for, then it is the API 404, not the console', async () => {
    for (const url of [
      '/v1/nothing',
      '/docs/nothing',
      '/healthz/x',
      '/readyz/x',
      '/metrics/x',
      '/assets/gone-Ab12Cd34.js',
    ]) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code, url).toBe('not_found');
    }
  });

  it('when the API, docs and ops are asked for, then they answer as before', async () => {
    expect((await get('/v1/contacts')).statusCode).toBe(401);
    expect((await get('/docs/json')).statusCode).toBe(200);
    expect((await get('/healthz')).statusCode).toBe(200);
  });
});
