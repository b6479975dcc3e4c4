import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageStatusChanged, subjectOf, type MessageStatusItem } from '@ektola/platform/events';
import { eventually, testNatsUrl } from '@ektola/platform/testing';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { contacts } from './fake-campaign-query.ts';
import { startWorld, waitForStats, type World } from './support.ts';

type StatusEvent = MessageStatusItem;

describe('message.status_changed', () => {
  let world: World;
  let dispatcher: Awaited<ReturnType<World['startDispatcher']>>;
  let nc: NatsConnection;
  let subscription: Subscription;
  const events: StatusEvent[] = [];

  beforeAll(async () => {
    world = await startWorld();
    nc = await connect({ servers: testNatsUrl() });
    subscription = nc.subscribe(subjectOf(world.namespace, messageStatusChanged));
    void (async () => {
      for await (const message of subscription)
        events.push(...messageStatusChanged.schema.parse(message.json()).statuses);
    })();
    dispatcher = await world.startDispatcher();
  });

  afterAll(async () => {
    subscription?.unsubscribe();
    await nc?.close();
    dispatcher?.query.close();
    await dispatcher?.stop();
    await world?.stop();
  });

  it('when a run is sent, delivered and read, then each message announces SENT, DELIVERED and READ with its run, campaign, contact and phone', async () => {
    const audience = contacts(20, '8600');
    const runId = await world.requestRun(audience);
    await waitForStats(dispatcher.query, runId, (current) => current.read === 20, 60_000);
    const ofRun = () => events.filter((event) => event.runId === runId);
    await eventually(async () => ofRun().filter((event) => event.status === 'READ').length === 20, 20_000, 100);

    const byStatus = (status: StatusEvent['status']) => ofRun().filter((event) => event.status === status);
    expect(new Set(byStatus('SENT').map((event) => event.messageId)).size).toBe(20);
    expect(new Set(byStatus('DELIVERED').map((event) => event.messageId)).size).toBe(20);
    const messages = await world.sql<Array<{ id: string; contact_id: string; phone: string; campaign_id: string }>>`
      select id, contact_id, phone, campaign_id from dispatch.messages where run_id = ${runId}`;
    for (const read of byStatus('READ')) {
      const message = messages.find((row) => row.id === read.messageId);
      expect(read).toMatchObject({
        contactId: message?.contact_id,
        phone: message?.phone,
        campaignId: message?.campaign_id,
      });
    }
    expect(new Set(byStatus('READ').map((event) => event.contactId))).toEqual(
      new Set(audience.map((contact) => contact.contactId)),
    );
  });

  it('when a run reaches a contact already suppressed, then its message, stored SKIPPED at fan-out, announces SKIPPED with the reason once', async () => {
    const audience = contacts(5, '8601');
    const suppressed = audience[2]!;
    await world.sql`
      insert into dispatch.suppressions (contact_id, phone, suppressed, reason, occurred_at)
      values (${suppressed.contactId}, ${suppressed.phone}, true, 'opted_out', now())`;
    const runId = await world.requestRun(audience);
    await waitForStats(dispatcher.query, runId, (current) => current.read === 4, 60_000);
    const skipped = () => events.filter((event) => event.runId === runId && event.status === 'SKIPPED');
    await eventually(async () => skipped().length > 0, 20_000, 100);

    const [message] = await world.sql<Array<{ id: string }>>`
      select id from dispatch.messages where run_id = ${runId} and contact_id = ${suppressed.contactId}`;
    expect(skipped()).toEqual([
      expect.objectContaining({
        messageId: message?.id,
        contactId: suppressed.contactId,
        phone: suppressed.phone,
        skipReason: 'opted_out',
      }),
    ]);
    expect(await world.sql`select id from dispatch.status_announcements`).toHaveLength(0);
  });
});
