import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@ektola/platform/testing';
import { startCallbackWorld, type CallbackWorld } from '../../callback-service/test/support.ts';
import { startHarness, type Harness } from './harness.ts';

let callbacks: CallbackWorld;
let harness: Harness;

beforeAll(async () => {
  callbacks = await startCallbackWorld();
  harness = await startHarness({ CALLBACK_GRPC_ADDRESS: `127.0.0.1:${callbacks.grpcPort}` });
});

afterAll(async () => {
  await harness?.close();
  await callbacks?.stop();
});

const json = <T>(response: { json(): unknown }) => response.json() as T;
interface Endpoint {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  secret?: string;
  previousSecretExpiresAt: string | null;
}

describe('/v1/webhook-endpoints', () => {
  it('when an admin subscribes a URL, then the endpoint comes back once with its whsec_ secret, and never again', async () => {
    const created = await harness.request({
      method: 'POST',
      url: '/v1/webhook-endpoints',
      payload: { url: callbacks.receiver.url('/api'), events: ['message.read', 'run.completed'], description: 'CRM' },
    });
    expect(created.statusCode).toBe(201);
    const endpoint = json<Endpoint>(created);
    expect(endpoint).toMatchObject({ events: ['message.read', 'run.completed'], enabled: true });
    expect(endpoint.secret).toMatch(/^whsec_/);

    const listed = json<{ items: Endpoint[] }>(await harness.request({ method: 'GET', url: '/v1/webhook-endpoints' }));
    expect(listed.items.map((item) => item.id)).toContain(endpoint.id);
    const one = await harness.request({ method: 'GET', url: `/v1/webhook-endpoints/${endpoint.id}` });
    expect(json<Endpoint>(one)).not.toHaveProperty('secret');
  });

  it('when the URL or the events are wrong, then the answer is a 400 naming the field', async () => {
    const badUrl = await harness.request({
      method: 'POST',
      url: '/v1/webhook-endpoints',
      payload: { url: 'not a url', events: ['ping'] },
    });
    expect(badUrl.statusCode).toBe(400);
    expect(JSON.stringify(badUrl.json())).toContain('body.url');
    const badEvent = await harness.request({
      method: 'POST',
      url: '/v1/webhook-endpoints',
      payload: { url: callbacks.receiver.url('/x'), events: ['message.exploded'] },
    });
    expect(badEvent.statusCode).toBe(400);
    expect(JSON.stringify(badEvent.json())).toContain('body.events');
  });

  it('when an endpoint is pinged, changed, rotated, retried and deleted, then each answer says what happened', async () => {
    const endpoint = json<Endpoint>(
      await harness.request({
        method: 'POST',
        url: '/v1/webhook-endpoints',
        payload: { url: callbacks.receiver.url('/manage'), events: ['message.sent'] },
      }),
    );
    callbacks.receiver.trust('/manage', endpoint.secret ?? '');
    const base = `/v1/webhook-endpoints/${endpoint.id}`;

    const ping = await harness.request({ method: 'POST', url: `${base}/test` });
    expect(ping.statusCode).toBe(202);
    await eventually(
      async () => callbacks.receiver.received.some((callback) => callback.path === '/manage'),
      20_000,
      100,
    );
    expect(callbacks.receiver.received.find((callback) => callback.path === '/manage')).toMatchObject({
      type: 'ping',
      verified: true,
    });

    const deliveries = await eventually(async () => {
      const page = json<{ items: Array<{ id: string; status: string; attempts: Array<{ httpStatus: number }> }> }>(
        await harness.request({ method: 'GET', url: `${base}/deliveries?status=succeeded` }),
      );
      return page.items.length === 1 ? page.items : undefined;
    });
    expect(deliveries[0]?.attempts[0]?.httpStatus).toBe(200);

    const retried = await harness.request({ method: 'POST', url: `${base}/deliveries/${deliveries[0]?.id}/retry` });
    expect(retried.statusCode).toBe(202);

    const patched = await harness.request({
      method: 'PATCH',
      url: base,
      payload: { events: ['message.sent', 'message.failed'], enabled: false },
    });
    expect(json<Endpoint>(patched)).toMatchObject({ events: ['message.sent', 'message.failed'], enabled: false });

    const rotated = json<Endpoint>(await harness.request({ method: 'POST', url: `${base}/rotate-secret` }));
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(endpoint.secret);
    expect(rotated.previousSecretExpiresAt).not.toBeNull();

    const badStatus = await harness.request({ method: 'GET', url: `${base}/deliveries?status=lost` });
    expect(badStatus.statusCode).toBe(400);
    expect(JSON.stringify(badStatus.json())).toContain('status');

    expect((await harness.request({ method: 'DELETE', url: base })).statusCode).toBe(204);
    expect((await harness.request({ method: 'GET', url: base })).statusCode).toBe(404);
  });

  it('when a viewer asks, then the endpoints are refused', async () => {
    const minted = await harness.request({
      method: 'POST',
      url: '/v1/api-keys',
      payload: { name: 'viewer', role: 'viewer' },
    });
    const key = json<{ key: string }>(minted).key;
    expect((await harness.request({ method: 'GET', url: '/v1/webhook-endpoints', key })).statusCode).toBe(403);
  });
});
