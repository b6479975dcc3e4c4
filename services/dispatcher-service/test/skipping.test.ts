import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  runCancelled,
  streamNameOf,
  suppressionChanged,
  whatsappStatus,
  type ConsumerName,
  type StreamKey,
} from '@ektola/platform/events';
import { createEventPublisher, type EventPublisher } from '@ektola/platform/nats';
import { eventually, storedMessages, testNatsUrl } from '@ektola/platform/testing';
import { contacts, type FakeContact } from './fake-campaign-query.ts';
import { phoneNumberId, startWorld, waitForStats, type World } from './support.ts';

/** `count` contacts with UUIDs for ids, as the campaign-service's are, in id order and distinct per prefix. */
const uuidContacts = (count: number, prefix: string) =>
  contacts(count, prefix).map((member, index) => ({
    ...member,
    contactId: `00000000-0000-4000-8000-${prefix}${String(index).padStart(8, '0')}`,
  }));

describe('messages that must not be sent end SKIPPED', () => {
  let world: World;
  let dispatcher: Awaited<ReturnType<World['startDispatcher']>>;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let publisher: EventPublisher;
  let serial = 0;

  beforeAll(async () => {
    world = await startWorld();
    // About 4 sends a second, so a run of a few dozen keeps PENDING messages long enough to act on.
    dispatcher = await world.startDispatcher({ WHATSAPP_RATE_LIMIT: 'true', WHATSAPP_MPS: '5' });
    nc = await connect({ servers: testNatsUrl() });
    jsm = await jetstreamManager(nc);
    publisher = createEventPublisher({ js: jetstream(nc), namespace: world.namespace });
  });

  afterAll(async () => {
    await nc?.close();
    dispatcher?.query.close();
    await dispatcher?.stop();
    await world?.stop();
  });

  const suppress = (
    contact: FakeContact,
    change: { suppressed: boolean; reason: 'opted_out' | 'contact_deleted'; occurredAt: Date },
  ) =>
    publisher.publish(
      suppressionChanged,
      {
        contactId: contact.contactId,
        phone: contact.phone,
        suppressed: change.suppressed,
        reason: change.reason,
        occurredAt: change.occurredAt.toISOString(),
      },
      { msgId: `test:suppression:${(serial += 1)}` },
    );

  /** Every event the durable consumer was given is acknowledged: it has handled what was published. */
  const caughtUp = (stream: StreamKey, durable: ConsumerName) =>
    eventually(async () => {
      const name = streamNameOf(world.namespace, stream);
      const [info, consumer] = await Promise.all([jsm.streams.info(name), jsm.consumers.info(name, durable)]);
      return (
        consumer.num_pending === 0 &&
        consumer.num_ack_pending === 0 &&
        consumer.ack_floor.stream_seq >= info.state.last_seq
      );
    }, 30_000);

  const messagesOf = (runId: string) =>
    world.sql<Array<{ id: string; contact_id: string; phone: string; status: string; skip_reason: string | null }>>`
      select id, contact_id, phone, status, skip_reason from dispatch.messages where run_id = ${runId} order by id`;

  const sentTo = (phone: string) => world.simulator.api.lastMessageTo(phone.slice(1));

  /** The run's run.completed event, read from the few events of this test's RUNS stream. */
  async function completedEvent(runId: string) {
    for await (const message of storedMessages(jsm, streamNameOf(world.namespace, 'RUNS'))) {
      if (message.subject !== `${world.namespace}.run.completed.v1`) continue;
      const event = message.json<{ runId: string; counts: Record<string, number> }>();
      if (event.runId === runId) return event;
    }
    return undefined;
  }

  it('when contacts are suppressed while their messages wait, then those messages end SKIPPED with the reason, the simulator never sees their phones, and the run completes counting them', async () => {
    const audience = uuidContacts(30, '6100');
    const runId = await world.requestRun(audience);
    await waitForStats(
      dispatcher.query,
      runId,
      (stats) => stats.total === 30 && stats.sent + stats.delivered + stats.read >= 1,
    );

    // Claims go in message-id order, so the last three ids are the last to be sent.
    const waiting = (await messagesOf(runId)).slice(-3);
    expect(waiting.map((message) => message.status)).toEqual(['PENDING', 'PENDING', 'PENDING']);
    const [optedOut, deleted, claimedLater] = waiting.map((message) =>
      audience.find((member) => member.contactId === message.contact_id)!,
    );
    await suppress(optedOut!, { suppressed: true, reason: 'opted_out', occurredAt: new Date() });
    await suppress(deleted!, { suppressed: true, reason: 'contact_deleted', occurredAt: new Date() });
    // Committed as the consumer's first statement commits it, without its message being skipped yet:
    // the claim itself must see the suppression.
    await world.sql`
      insert into dispatch.suppressions (contact_id, phone, suppressed, reason, occurred_at)
      values (${claimedLater!.contactId}, ${claimedLater!.phone}, true, 'opted_out', now())`;

    const stats = await waitForStats(dispatcher.query, runId, (current) => current.completed, 60_000);
    expect(stats).toMatchObject({ total: 30, pending: 0, sending: 0, failed: 0, skipped: 3 });
    expect(stats.sent + stats.delivered + stats.read).toBe(27);

    const byContact = new Map((await messagesOf(runId)).map((message) => [message.contact_id, message]));
    expect(byContact.get(optedOut!.contactId)).toMatchObject({ status: 'SKIPPED', skip_reason: 'opted_out' });
    expect(byContact.get(deleted!.contactId)).toMatchObject({ status: 'SKIPPED', skip_reason: 'contact_deleted' });
    expect(byContact.get(claimedLater!.contactId)).toMatchObject({ status: 'SKIPPED', skip_reason: 'opted_out' });
    for (const contact of [optedOut!, deleted!, claimedLater!]) expect(sentTo(contact.phone)).toBeUndefined();
    expect(world.simulatorStats().messageKeys.duplicates).toBe(0);

    const listed = await dispatcher.query.list({ runId, status: 'SKIPPED' });
    expect(listed.messages).toHaveLength(3);
    expect(listed.messages.map((message) => message.skipReason).sort()).toEqual([
      'contact_deleted',
      'opted_out',
      'opted_out',
    ]);
    for (const message of listed.messages) expect(message.skippedAt).not.toBe('');

    await eventually(async () => (await completedEvent(runId))?.counts.skipped === 3, 10_000);
  });

  it('when an opt-in follows an opt-out, then later runs send to the contact again; an older event arriving late and an opt-in after a deletion change nothing', async () => {
    const [returning, deleted, lateArrival] = uuidContacts(3, '6200');
    const start = Date.now();
    await suppress(returning!, { suppressed: true, reason: 'opted_out', occurredAt: new Date(start) });
    await suppress(returning!, { suppressed: false, reason: 'opted_out', occurredAt: new Date(start + 2_000) });
    // Published after the opt-in but made before it: the opt-in stands.
    await suppress(returning!, { suppressed: true, reason: 'opted_out', occurredAt: new Date(start + 1_000) });
    await suppress(deleted!, { suppressed: true, reason: 'contact_deleted', occurredAt: new Date(start) });
    await suppress(deleted!, { suppressed: false, reason: 'opted_out', occurredAt: new Date(start + 2_000) });
    // The newer opt-out arrives first, then an older opt-in: the contact stays suppressed.
    await suppress(lateArrival!, { suppressed: true, reason: 'opted_out', occurredAt: new Date(start + 2_000) });
    await suppress(lateArrival!, { suppressed: false, reason: 'opted_out', occurredAt: new Date(start + 1_000) });
    await caughtUp('SUPPRESSIONS', 'dispatcher-suppression');

    const rows = await world.sql<Array<{ contact_id: string; suppressed: boolean; reason: string }>>`
      select contact_id, suppressed, reason from dispatch.suppressions
       where contact_id in ${world.sql([returning!.contactId, deleted!.contactId, lateArrival!.contactId])} order by contact_id`;
    expect(rows.map(({ suppressed, reason }) => ({ suppressed, reason }))).toEqual([
      { suppressed: false, reason: 'opted_out' },
      { suppressed: true, reason: 'contact_deleted' },
      { suppressed: true, reason: 'opted_out' },
    ]);

    const runId = await world.requestRun([returning!, deleted!, lateArrival!]);
    const stats = await waitForStats(dispatcher.query, runId, (current) => current.completed, 30_000);
    expect(stats).toMatchObject({ total: 3, skipped: 2, pending: 0, sending: 0 });
    const byContact = new Map((await messagesOf(runId)).map((message) => [message.contact_id, message]));
    expect(byContact.get(returning!.contactId)?.status).not.toBe('SKIPPED');
    expect(sentTo(returning!.phone)).toBeDefined();
    expect(byContact.get(deleted!.contactId)).toMatchObject({ status: 'SKIPPED', skip_reason: 'contact_deleted' });
    expect(byContact.get(lateArrival!.contactId)).toMatchObject({ status: 'SKIPPED', skip_reason: 'opted_out' });
    expect(sentTo(deleted!.phone)).toBeUndefined();
    expect(sentTo(lateArrival!.phone)).toBeUndefined();
  });

  it('when a throttled run is cancelled halfway, then its waiting messages end SKIPPED (run_cancelled), none of them is sent, and the run completes with counts that add up', async () => {
    const runId = await world.requestRun(uuidContacts(40, '6300'));
    await waitForStats(
      dispatcher.query,
      runId,
      (stats) => stats.total === 40 && stats.sent + stats.delivered + stats.read >= 5,
    );
    await publisher.publish(
      runCancelled,
      { runId, campaignId: randomUUID(), cancelledAt: new Date().toISOString() },
      { msgId: `test:cancel:${runId}` },
    );

    const stats = await waitForStats(dispatcher.query, runId, (current) => current.completed, 30_000);
    expect(stats.pending + stats.sending).toBe(0);
    expect(stats.skipped).toBeGreaterThan(0);
    expect(stats.sent + stats.delivered + stats.read + stats.failed + stats.skipped).toBe(40);

    const messages = await messagesOf(runId);
    const skipped = messages.filter((message) => message.status === 'SKIPPED');
    expect(skipped).toHaveLength(stats.skipped);
    for (const message of skipped) {
      expect(message.skip_reason).toBe('run_cancelled');
      expect(world.simulator.api.stats.sendsOf(message.id)).toBe(0);
    }
    for (const message of messages.filter((other) => other.status !== 'SKIPPED'))
      expect(world.simulator.api.stats.sendsOf(message.id)).toBe(1);
    const [run] = await world.sql<
      Array<{ cancelled_at: Date | null }>
    >`select cancelled_at from dispatch.runs where id = ${runId}`;
    expect(run?.cancelled_at).not.toBeNull();

    const event = await eventually(async () => completedEvent(runId), 10_000);
    expect(event.counts).toMatchObject({ pending: 0, sending: 0, skipped: stats.skipped });
  });

  it('when a run is cancelled before its run.requested arrives, then it completes empty and the request stores nothing', async () => {
    const runId = randomUUID();
    await publisher.publish(
      runCancelled,
      { runId, campaignId: randomUUID(), cancelledAt: new Date().toISOString() },
      { msgId: `test:cancel:${runId}` },
    );
    await waitForStats(dispatcher.query, runId, (stats) => stats.completed, 30_000);

    await world.requestRun(uuidContacts(5, '6400'), runId);
    await caughtUp('RUNS', 'dispatcher-run-requested');
    expect(await dispatcher.query.stats(runId)).toMatchObject({ total: 0, skipped: 0, completed: true });
    expect(await messagesOf(runId)).toEqual([]);
    expect(world.campaign.streamCalls.filter((call) => call.runId === runId)).toEqual([]);
  });

  it('when a status webhook arrives for a SKIPPED message, then it stays SKIPPED and the skipped count of the run does not move', async () => {
    const runId = await world.requestRun(uuidContacts(10, '6500'));
    await waitForStats(dispatcher.query, runId, (stats) => stats.total === 10);
    await publisher.publish(
      runCancelled,
      { runId, campaignId: randomUUID(), cancelledAt: new Date().toISOString() },
      { msgId: `test:cancel:${runId}` },
    );
    await waitForStats(dispatcher.query, runId, (stats) => stats.completed, 30_000);
    // Claims go in id order at about 4 a second: the last message was still waiting when the cancel came.
    const message = (await messagesOf(runId)).at(-1);
    expect(message?.status).toBe('SKIPPED');
    const before = await dispatcher.query.stats(runId);

    for (const status of ['sent', 'delivered', 'read', 'failed'] as const) {
      await publisher.publish(
        whatsappStatus,
        {
          wamid: `wamid.late-${message!.id}`,
          status,
          occurredAt: new Date().toISOString(),
          recipientId: message!.phone.slice(1),
          phoneNumberId,
          bizOpaqueCallbackData: message!.id,
          errors: status === 'failed' ? [{ code: 131026, title: 'Message undeliverable' }] : [],
        },
        { msgId: `test:late:${message!.id}:${status}` },
      );
    }
    await caughtUp('WHATSAPP', 'dispatcher-status');
    const [after] = await world.sql<Array<{ status: string; wamid: string | null; delivered_at: Date | null }>>`
      select status, wamid, delivered_at from dispatch.messages where id = ${message!.id}`;
    expect(after).toMatchObject({ status: 'SKIPPED', delivered_at: null });
    // The run's other messages may still move from SENT to READ meanwhile; the skipped count does not.
    expect((await dispatcher.query.stats(runId)).skipped).toBe(before.skipped);
  });

  it('when a message of unknown outcome belongs to a contact who opted out since, then reconciliation does not send it again but fails it, and the run completes', async () => {
    const audience = uuidContacts(10, '6600');
    const runId = await world.requestRun(audience);
    await waitForStats(dispatcher.query, runId, (stats) => stats.total === 10);
    // As a process killed mid-call leaves it: SENDING, its lease run out, no answer recorded.
    const [unknown] = await world.sql<Array<{ id: string; contact_id: string }>>`
      update dispatch.messages set status = 'SENDING', attempts = 1, lease_until = now() - interval '1 second'
       where id = (select id from dispatch.messages where run_id = ${runId} and status = 'PENDING' order by id desc limit 1)
      returning id, contact_id`;
    const contact = audience.find((member) => member.contactId === unknown!.contact_id)!;
    await suppress(contact, { suppressed: true, reason: 'opted_out', occurredAt: new Date() });

    const stats = await waitForStats(dispatcher.query, runId, (current) => current.completed, 30_000);
    expect(stats).toMatchObject({ total: 10, pending: 0, sending: 0, failed: 1, skipped: 0 });
    const message = await dispatcher.query.message(unknown!.id);
    expect(message).toMatchObject({ status: 'FAILED', attempts: 1, skipReason: '' });
    expect(message.errorMessage).toMatch(/not sent again \(opted_out\)/);
    expect(world.simulator.api.stats.sendsOf(unknown!.id)).toBe(0);
  });
});
