import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { eventually } from '@ektola/platform/testing';
import { startCallbackWorld, type CallbackWorld } from './support.ts';

let world: CallbackWorld;

beforeAll(async () => {
  world = await startCallbackWorld({ CALLBACKS_PER_ENDPOINT: '4' });
});

afterAll(async () => {
  await world?.stop();
});

const receivedAt = (path: string) => world.receiver.received.filter((callback) => callback.path === path);

describe('callback deliveries', () => {
  it('when messages reach statuses and a run completes, then a subscribed endpoint gets each event signed, with its ids', async () => {
    await world.subscribe('/all', ['message.sent', 'message.delivered', 'message.read', 'run.completed']);
    await world.subscribe('/failures', ['message.failed']);
    const sent = await world.publishStatus({ status: 'SENT' });
    await world.publishStatus({ ...sent, status: 'DELIVERED' });
    await world.publishStatus({ ...sent, status: 'READ' });
    await world.publishStatus({ ...sent, status: 'FAILED', error: { code: 131026, title: 'Message undeliverable' } });
    const runId = await world.publishRunCompleted(sent.runId);

    await eventually(async () => receivedAt('/all').length === 4 && receivedAt('/failures').length === 1, 20_000, 100);
    const all = receivedAt('/all');
    expect(all.every((callback) => callback.verified)).toBe(true);
    expect(all.map((callback) => callback.type).sort()).toEqual([
      'message.delivered',
      'message.read',
      'message.sent',
      'run.completed',
    ]);
    expect(all.find((callback) => callback.type === 'message.read')?.data).toMatchObject({
      messageId: sent.messageId,
      runId: sent.runId,
      campaignId: sent.campaignId,
      contactId: sent.contactId,
      phone: sent.phone,
      status: 'READ',
    });
    expect(all.find((callback) => callback.type === 'run.completed')?.data).toMatchObject({ runId });
    expect(receivedAt('/failures')[0]?.data).toMatchObject({ error: { code: 131026, title: 'Message undeliverable' } });
  });

  it('when the receiver is down for a while, then every event arrives once it is back, with the ids it would have had', async () => {
    const { endpoint } = await world.subscribe('/outage', ['message.sent']);
    await world.receiver.down();
    const published = await Promise.all(Array.from({ length: 40 }, () => world.publishStatus({ status: 'SENT' })));
    await eventually(
      async () => {
        const { deliveries } = await world.admin.deliveries(endpoint?.id ?? '', 'pending');
        return deliveries.length === 40 && deliveries.every((delivery) => delivery.attempts.length >= 2);
      },
      20_000,
      100,
    );
    await world.receiver.up();
    await eventually(
      async () => new Set(receivedAt('/outage').map((callback) => callback.id)).size === 40,
      30_000,
      100,
    );
    const types = receivedAt('/outage').map((callback) => callback.data.messageId);
    expect(new Set(types)).toEqual(new Set(published.map((payload) => payload.messageId)));
    // The receiver holds a callback before the service has recorded its answer.
    await eventually(
      async () => (await world.admin.deliveries(endpoint?.id ?? '', 'succeeded')).deliveries.length === 40,
      10_000,
      100,
    );
    const { deliveries } = await world.admin.deliveries(endpoint?.id ?? '', 'succeeded');
    expect(deliveries).toHaveLength(40);
    const attempts = deliveries[0]?.attempts ?? [];
    expect(attempts.at(0)).toMatchObject({ httpStatus: 0 });
    expect(attempts.at(0)?.error).not.toBe('');
    expect(attempts.at(-1)).toMatchObject({ httpStatus: 200 });
    expect(attempts.at(-1)?.attemptedAt).not.toBe('');
  });

  it('when an endpoint answers 410, then it is disabled and gets nothing more', async () => {
    const { endpoint } = await world.subscribe('/gone', ['message.delivered']);
    world.receiver.answer('/gone', { status: 410 });
    await world.publishStatus({ status: 'DELIVERED' });
    await eventually(async () => !(await world.admin.get(endpoint?.id ?? '')).enabled, 20_000, 100);
    expect(await world.admin.get(endpoint?.id ?? '')).toMatchObject({ enabled: false, disabledReason: 'gone' });
    const { deliveries } = await world.admin.deliveries(endpoint?.id ?? '');
    expect(deliveries.map((delivery) => [delivery.status, delivery.attempts[0]?.httpStatus])).toEqual([
      ['failed', 410],
    ]);
  });

  it('when an endpoint answers another 4xx, then the delivery fails at once; a manual retry delivers it', async () => {
    const { endpoint } = await world.subscribe('/bad', ['message.read']);
    world.receiver.answer('/bad', { status: 400 });
    await world.publishStatus({ status: 'READ' });
    const id = endpoint?.id ?? '';
    await eventually(async () => (await world.admin.deliveries(id, 'failed')).deliveries.length === 1, 20_000, 100);
    const [failed] = (await world.admin.deliveries(id, 'failed')).deliveries;
    expect(failed?.attempts).toHaveLength(1);
    expect(failed?.attempts[0]?.latencyMs).toBeGreaterThanOrEqual(0);

    world.receiver.answer('/bad', { status: 204 });
    await world.admin.retry(id, failed?.id ?? '');
    await eventually(async () => receivedAt('/bad').length === 1, 20_000, 100);
    expect(receivedAt('/bad')[0]?.id).toBe(failed?.eventId);
  });

  it('when the secret is rotated, then during the overlap a receiver holding either secret verifies', async () => {
    const { endpoint, secret: old } = await world.subscribe('/rotate', ['ping']);
    const { secret: fresh, endpoint: rotated } = await world.admin.rotate(endpoint?.id ?? '');
    expect(fresh).not.toBe(old);
    expect(rotated?.previousSecretExpiresAt).not.toBe('');

    world.receiver.trust('/rotate', old);
    await world.admin.ping(endpoint?.id ?? '');
    await eventually(async () => receivedAt('/rotate').length === 1, 20_000, 100);
    world.receiver.trust('/rotate', fresh);
    await world.admin.ping(endpoint?.id ?? '');
    await eventually(async () => receivedAt('/rotate').length === 2, 20_000, 100);
    expect(receivedAt('/rotate').map((callback) => [callback.type, callback.verified])).toEqual([
      ['ping', true],
      ['ping', true],
    ]);
    expect(() => new Webhook(fresh)).not.toThrow();
  });

  it('when one endpoint answers slowly, then another endpoint gets all its events without waiting on it', async () => {
    await world.subscribe('/slow', ['message.skipped']);
    await world.subscribe('/fast', ['message.skipped']);
    world.receiver.answer('/slow', { delayMs: 1_000 });
    await Promise.all(
      Array.from({ length: 60 }, () => world.publishStatus({ status: 'SKIPPED', skipReason: 'opted_out' })),
    );
    await eventually(async () => receivedAt('/fast').length === 60, 20_000, 50);
    // Four at a time and a second each: the slow endpoint cannot have taken more than a few rounds.
    expect(receivedAt('/slow').length).toBeLessThan(60);
    expect(receivedAt('/fast')[0]?.data).toMatchObject({ status: 'SKIPPED', reason: 'opted_out' });
  });
});
