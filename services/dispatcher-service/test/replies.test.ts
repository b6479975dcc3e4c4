import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageReplied, streamNameOf, subjectOf, whatsappInbound, type PayloadOf } from '@ektola/platform/events';
import { createEventPublisher, jetstream, jetstreamManager } from '@ektola/platform/nats';
import { eventually, storedMessages, testNatsUrl } from '@ektola/platform/testing';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { contacts } from './fake-campaign-query.ts';
import { phoneNumberId, startWorld, waitForStats, type World } from './support.ts';

const waId = (phone: string) => phone.slice(1);

describe('replies customers send', () => {
  let world: World;
  let dispatcher: Awaited<ReturnType<World['startDispatcher']>>;
  let nc: NatsConnection;

  beforeAll(async () => {
    world = await startWorld();
    dispatcher = await world.startDispatcher();
    nc = await connect({ servers: testNatsUrl() });
  });

  afterAll(async () => {
    await nc?.close();
    dispatcher?.query.close();
    await dispatcher?.stop();
    await world?.stop();
  });

  /** message.replied events in the MESSAGES stream, by reply id. */
  async function repliedEvents(): Promise<Map<string, PayloadOf<typeof messageReplied>>> {
    const jsm = await jetstreamManager(nc);
    const subject = subjectOf(world.namespace, messageReplied);
    const events = new Map<string, PayloadOf<typeof messageReplied>>();
    for await (const message of storedMessages(jsm, streamNameOf(world.namespace, 'MESSAGES'))) {
      if (message.subject !== subject) continue;
      const payload = message.json<PayloadOf<typeof messageReplied>>();
      expect(events.has(payload.replyId), `message.replied for ${payload.replyId} published once`).toBe(false);
      events.set(payload.replyId, payload);
    }
    return events;
  }

  it('when recipients answer a campaign message (a quick reply delivered three times, interactive, text), then each is stored once with its message, the message is flagged replied, its status stays, and message.replied is published once each', async () => {
    const audience = contacts(4, '8700');
    const runId = await world.requestRun(audience);
    await waitForStats(dispatcher.query, runId, (stats) => stats.read === 4, 60_000);
    const messages = await world.sql<Array<{ id: string; contact_id: string; phone: string; wamid: string }>>`
      select id, contact_id, phone, wamid from dispatch.messages where run_id = ${runId} order by contact_id`;
    const [first, second, third, fourth] = messages;

    const button = await world.admin('POST', '/_sim/inbound/button', {
      from: waId(first!.phone),
      payload: 'PAID',
      text: 'Paid',
      contextMessageId: first!.wamid,
      deliveries: 3,
    });
    await world.admin('POST', '/_sim/inbound/button-reply', {
      from: waId(second!.phone),
      id: 'PAID',
      title: 'Paid',
      contextMessageId: second!.wamid,
    });
    await world.admin('POST', '/_sim/inbound/list-reply', {
      from: waId(third!.phone),
      id: 'branch-12',
      title: 'MG Road',
      contextMessageId: third!.wamid,
    });
    await world.admin('POST', '/_sim/inbound/text', {
      from: waId(third!.phone),
      body: 'Thanks',
      contextMessageId: third!.wamid,
    });
    // Not an answer to anything of ours: kept for the conversation only.
    await world.admin('POST', '/_sim/inbound/text', { from: waId(fourth!.phone), body: 'Hello?' });

    const stored = await eventually(
      async () => {
        const rows = await world.sql<
          Array<{ wamid: string; type: string; text: string; payload: string | null; message_id: string | null }>
        >`select wamid, type, text, payload, message_id from dispatch.replies order by received_at, wamid`;
        return rows.length === 5 ? rows : undefined;
      },
      30_000,
      100,
    );
    const buttonId = button.payload.entry[0].changes[0].value.messages[0].id as string;
    expect(stored.filter((row) => row.wamid === buttonId)).toEqual([
      { wamid: buttonId, type: 'button', text: 'Paid', payload: 'PAID', message_id: first!.id },
    ]);
    expect(stored.map((row) => row.type).sort()).toEqual([
      'button',
      'interactive.button_reply',
      'interactive.list_reply',
      'text',
      'text',
    ]);
    expect(stored.filter((row) => row.message_id === null).map((row) => row.text)).toEqual(['Hello?']);

    const flags = await world.sql<Array<{ contact_id: string; status: string; replied: boolean }>>`
      select contact_id, status, replied_at is not null as replied from dispatch.messages
       where run_id = ${runId} order by contact_id`;
    expect(flags.map((row) => [row.status, row.replied])).toEqual([
      ['READ', true],
      ['READ', true],
      ['READ', true],
      ['READ', false],
    ]);

    const events = await eventually(
      async () => {
        const found = await repliedEvents();
        return found.size === 4 ? found : undefined;
      },
      10_000,
      100,
    );
    expect(events.get(buttonId)).toMatchObject({
      messageId: first!.id,
      runId,
      contactId: first!.contact_id,
      phone: first!.phone,
      type: 'button',
      text: 'Paid',
      payload: 'PAID',
    });

    const { reports } = await dispatcher.query.replyReports([runId]);
    expect(reports).toEqual([
      {
        runId,
        replied: 3,
        byButton: [
          { payload: 'PAID', text: 'Paid', count: 2 },
          { payload: 'branch-12', text: 'MG Road', count: 1 },
        ],
      },
    ]);
    const statuses = ['SENT', 'DELIVERED', 'READ'];
    expect(await dispatcher.query.repliedRecipients({ runId, statuses }, true)).toEqual(
      [first, second, third].map((message) => message!.contact_id),
    );
    expect(await dispatcher.query.repliedRecipients({ runId, statuses }, false)).toEqual([fourth!.contact_id]);
  });

  it('when a reply arrives before the wamid of the message it answers is recorded, then it waits for it and is linked once it is', async () => {
    const [contact] = contacts(1, '8720');
    const runId = await world.requestRun([{ ...contact!, contactId: 'early-reply-contact' }]);
    await waitForStats(dispatcher.query, runId, (stats) => stats.read === 1, 60_000);
    // As if the send result and the sent status were still on their way: the message has no wamid yet.
    const [message] = await world.sql<Array<{ id: string; wamid: string }>>`
      update dispatch.messages m set wamid = null from (select id, wamid from dispatch.messages where run_id = ${runId}) old
       where m.id = old.id returning m.id, old.wamid`;
    const jsm = await jetstreamManager(nc);
    const stream = streamNameOf(world.namespace, 'WHATSAPP');
    const before = (await jsm.consumers.info(stream, 'dispatcher-inbound')).num_redelivered;
    await createEventPublisher({ js: jetstream(nc), namespace: world.namespace }).publish(
      whatsappInbound,
      {
        messageId: 'wamid.EARLY-REPLY',
        from: contact!.phone,
        phoneNumberId,
        occurredAt: new Date().toISOString(),
        type: 'button',
        text: 'Paid',
        buttonPayload: 'PAID',
        replyToWamid: message!.wamid,
      },
      { msgId: 'wamid.EARLY-REPLY' },
    );
    await eventually(
      async () => (await jsm.consumers.info(stream, 'dispatcher-inbound')).num_redelivered > before,
      30_000,
      100,
    );
    expect(await world.sql`select 1 from dispatch.replies where wamid = 'wamid.EARLY-REPLY'`).toEqual([]);

    await world.sql`update dispatch.messages set wamid = ${message!.wamid} where id = ${message!.id}`;
    const [linked] = await eventually(
      async () => {
        const rows = await world.sql<Array<{ message_id: string | null }>>`
          select message_id from dispatch.replies where wamid = 'wamid.EARLY-REPLY'`;
        return rows.length === 1 && rows;
      },
      30_000,
      100,
    );
    expect(linked!.message_id).toBe(message!.id);
    expect((await repliedEvents()).get('wamid.EARLY-REPLY')).toMatchObject({ messageId: message!.id, runId });
  });

  it("when a contact's conversation is listed in pages, then both directions come in time order, each entry once", async () => {
    const contact = { ...contacts(1, '8710')[0]!, contactId: 'conversation-contact' };
    const audience = [contact];
    const runs = [await world.requestRun(audience)];
    await waitForStats(dispatcher.query, runs[0]!, (stats) => stats.read === 1, 60_000);
    const [message] = await world.sql<Array<{ id: string; wamid: string }>>`
      select id, wamid from dispatch.messages where run_id = ${runs[0]!}`;
    await world.admin('POST', '/_sim/inbound/button', {
      from: waId(contact.phone),
      payload: 'PAID',
      contextMessageId: message!.wamid,
    });
    await eventually(
      async () => (await world.sql`select 1 from dispatch.replies where message_id = ${message!.id}`).length === 1,
      30_000,
      100,
    );
    // Meta's timestamps are whole seconds: the next campaign message starts in a later second than the reply.
    const [reply] = await world.sql<Array<{ received_at: Date }>>`
      select received_at from dispatch.replies where message_id = ${message!.id}`;
    await eventually(async () => Date.now() >= reply!.received_at.getTime() + 1_000, 5_000, 50);
    runs.push(await world.requestRun(audience));
    await waitForStats(dispatcher.query, runs[1]!, (stats) => stats.completed, 60_000);

    const entries = [];
    let pageToken = '';
    do {
      const page = await dispatcher.query.conversation({
        contactId: contact.contactId,
        phone: contact.phone,
        pageSize: 1,
        pageToken,
      });
      expect(page.entries.length).toBeLessThanOrEqual(1);
      entries.push(...page.entries);
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(entries.map((entry) => [entry.direction, entry.runId])).toEqual([
      ['outbound', runs[0]],
      ['inbound', runs[0]],
      ['outbound', runs[1]],
    ]);
    expect(entries[0]).toMatchObject({
      templateName: 'gold_loan_reminder',
      status: 'READ',
      repliedAt: expect.any(String),
    });
    expect(entries[1]).toMatchObject({ type: 'button', payload: 'PAID', inReplyTo: message!.id });

    const replies = await dispatcher.query.replies({ campaignId: entries[0]!.campaignId });
    expect(replies.replies.map((reply) => [reply.messageId, reply.payload])).toEqual([[message!.id, 'PAID']]);
    await expect(
      dispatcher.query.conversation({ contactId: contact.contactId, phone: contact.phone, pageToken: 'x' }),
    ).rejects.toMatchObject({
      kind: 'invalid',
    });
  });
});
