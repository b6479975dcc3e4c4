import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDomainError } from '@ektola/platform/errors';
import { createUndiciCallbackSender } from '../src/adapters/undici-callback-sender.ts';
import { startCallbackWorld, type CallbackWorld } from './support.ts';

let world: CallbackWorld;

beforeAll(async () => {
  world = await startCallbackWorld({ CALLBACKS_ALLOW_PRIVATE_NETWORKS: 'false', CALLBACKS_ALLOW_HTTP: 'false' });
});

afterAll(async () => {
  await world?.stop();
});

async function refusal(url: string) {
  try {
    await world.admin.create({ url, events: ['ping'] });
  } catch (error) {
    if (isDomainError(error)) return { kind: error.kind, fields: error.details.map((detail) => detail.path) };
    throw error;
  }
  return undefined;
}

describe('endpoint address safety', () => {
  it('when the URL is plain http and http is not allowed, then it is refused naming body.url', async () => {
    expect(await refusal('http://hooks.example.com/ektola')).toEqual({ kind: 'invalid', fields: ['body.url'] });
  });

  it.each([
    'https://127.0.0.1/hook',
    'https://localhost/hook',
    'https://169.254.169.254/latest',
    'https://[::1]/hook',
    'https://10.0.0.8/hook',
  ])('when the URL reaches a private address (%s), then it is refused naming body.url', async (url) => {
    expect(await refusal(url)).toEqual({ kind: 'invalid', fields: ['body.url'] });
  });

  it('when a host resolves to a private address at connect time, then nothing is sent', async () => {
    const sender = createUndiciCallbackSender({ timeoutMs: 2_000, allowPrivateNetworks: false });
    try {
      const byName = await sender.send({
        url: world.receiver.url('/rebound').replace('127.0.0.1', 'localhost'),
        headers: {},
        body: '{}',
      });
      const byAddress = await sender.send({ url: world.receiver.url('/rebound'), headers: {}, body: '{}' });
      expect([byName.kind, byAddress.kind]).toEqual(['no_answer', 'no_answer']);
      expect(world.receiver.received.filter((callback) => callback.path === '/rebound')).toHaveLength(0);
    } finally {
      await sender.close();
    }
  });

  it('when private networks are allowed, then the same sender reaches the local receiver', async () => {
    const sender = createUndiciCallbackSender({ timeoutMs: 2_000, allowPrivateNetworks: true });
    try {
      const body = JSON.stringify({ id: 'evt_local', type: 'ping', createdAt: new Date().toISOString(), data: {} });
      const result = await sender.send({ url: world.receiver.url('/local'), headers: {}, body });
      expect(result).toMatchObject({ kind: 'answered', status: 200 });
    } finally {
      await sender.close();
    }
  });
});
