import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@ektola/platform/testing';
import { startCallbackWorld, type CallbackWorld } from './support.ts';

let world: CallbackWorld;

beforeAll(async () => {
  world = await startCallbackWorld();
});

afterAll(async () => {
  await world?.stop();
});

describe('events no endpoint takes', () => {
  it('when a status arrives that no enabled endpoint subscribes to, then it is not kept, while one an endpoint takes is kept and delivered', async () => {
    await world.subscribe('/sent', ['message.sent']);
    const unsubscribed = await world.publishStatus({ status: 'DELIVERED' });
    const subscribed = await world.publishStatus({ status: 'SENT' });
    // One consumer takes both in order: once the second is delivered, the first was recorded or left.
    await eventually(async () => world.receiver.received.some((callback) => callback.path === '/sent'), 20_000, 100);

    const kept = await world.sql<Array<{ type: string; body: string }>>`select type, body from callbacks.events`;
    expect(kept.map((event) => event.type)).toEqual(['message.sent']);
    expect(kept[0]?.body).toContain(subscribed.messageId);
    expect(kept.some((event) => event.body.includes(unsubscribed.messageId))).toBe(false);
  });
});
