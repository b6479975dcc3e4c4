import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whatsappStatus, whatsappStatusBatch, type PayloadOf } from '@ektola/platform/events';
import { createEventPublisher, jetstream } from '@ektola/platform/nats';
import { eventually, testNatsUrl } from '@ektola/platform/testing';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { contacts } from './fake-campaign-query.ts';
import { phoneNumberId, startWorld, waitForStats, type World } from './support.ts';

type Status = 'sent' | 'delivered' | 'read' | 'failed';
type Batch = PayloadOf<typeof whatsappStatusBatch>;

/** Everything a status writes on a message, updated_at included: equal snapshots mean the row was not touched. */
const snapshot = (world: World, runId: string) =>
  world.sql<
    Array<{
      id: string;
      status: string;
      sent_at: Date | null;
      delivered_at: Date | null;
      read_at: Date | null;
      failed_at: Date | null;
      error_code: number | null;
      updated_at: Date;
    }>
  >`select id, status, sent_at, delivered_at, read_at, failed_at, error_code, updated_at
      from dispatch.messages where run_id = ${runId} order by id`;

describe('status notifications', () => {
  let world: World;
  let dispatcher: Awaited<ReturnType<World['startDispatcher']>>;
  let nc: NatsConnection;

  beforeAll(async () => {
    world = await startWorld({
      simulator: { SIMULATOR_WEBHOOK_DUPLICATE_SHARE: '1', SIMULATOR_WEBHOOK_OUT_OF_ORDER_SHARE: '1' },
    });
    dispatcher = await world.startDispatcher();
    nc = await connect({ servers: testNatsUrl() });
  });

  afterAll(async () => {
    await nc?.close();
    dispatcher?.query.close();
    await dispatcher?.stop();
    await world?.stop();
  });

  it('when Meta delivers every status twice and out of order, then every message ends READ and the counts say so', async () => {
    const runId = await world.requestRun(contacts(200, '8400'));
    const stats = await waitForStats(dispatcher.query, runId, (current) => current.read === 200, 60_000);
    expect(stats).toMatchObject({
      total: 200,
      pending: 0,
      sending: 0,
      sent: 0,
      delivered: 0,
      read: 200,
      failed: 0,
      completed: true,
    });
    expect(await world.statusCounts(runId)).toEqual({ READ: 200 });
  });

  it('when statuses arrive reversed and repeated under fresh msgIds, then each message ends in its furthest state (SENT < FAILED < DELIVERED < READ) and nothing moves back', async () => {
    const runId = await world.requestRun(contacts(6, '8500'));
    await waitForStats(dispatcher.query, runId, (current) => current.completed);
    // Let the simulator's own statuses settle first, then rewind the messages to SENT by hand.
    await waitForStats(dispatcher.query, runId, (current) => current.read === 6, 30_000);
    const messages = await world.sql<Array<{ id: string; wamid: string }>>`
      update dispatch.messages set status = 'SENT', delivered_at = null, read_at = null
       where run_id = ${runId} returning id, wamid`;
    messages.sort((a, b) => a.id.localeCompare(b.id));

    const publisher = createEventPublisher({ js: jetstream(nc), namespace: world.namespace });
    const sequences: Status[][] = [
      ['read', 'delivered', 'sent', 'read', 'sent'],
      ['delivered', 'sent', 'delivered'],
      ['failed', 'delivered'],
      ['delivered', 'failed', 'read'],
      ['sent', 'failed', 'sent'],
      ['read', 'failed'],
    ];
    const expected = ['READ', 'DELIVERED', 'DELIVERED', 'READ', 'FAILED', 'READ'];
    let serial = 0;
    for (const [index, sequence] of sequences.entries()) {
      const message = messages[index]!;
      for (const status of sequence) {
        serial += 1;
        await publisher.publish(
          whatsappStatus,
          {
            wamid: message.wamid,
            status,
            occurredAt: new Date().toISOString(),
            recipientId: '918500000000',
            phoneNumberId,
            // Half carry our message id, half only the wamid: both must find the message.
            ...(index % 2 === 0 ? { bizOpaqueCallbackData: message.id } : {}),
            errors: status === 'failed' ? [{ code: 131026, title: 'Message undeliverable' }] : [],
          },
          { msgId: `test:${serial}` },
        );
      }
    }
    await eventually(async () => {
      const rows = await world.sql<Array<{ id: string; status: string }>>`
        select id, status from dispatch.messages where run_id = ${runId} order by id`;
      return rows.map((row) => row.status).join() === expected.join() ? rows : undefined;
    }, 30_000);
    const [failed] = await world.sql<
      Array<{ error_code: number }>
    >`select error_code from dispatch.messages where id = ${messages[4]!.id}`;
    expect(failed?.error_code).toBe(131026);
  });

  it('when a status arrives before its message has a wamid, then it is retried and applied once the SENT is written', async () => {
    const runId = await world.requestRun(contacts(1, '8600'));
    await waitForStats(dispatcher.query, runId, (current) => current.read === 1, 30_000);
    const [message] = await world.sql<Array<{ id: string }>>`
      update dispatch.messages set status = 'SENDING', wamid = null, delivered_at = null, read_at = null
       where run_id = ${runId} returning id`;
    const publisher = createEventPublisher({ js: jetstream(nc), namespace: world.namespace });
    await publisher.publish(
      whatsappStatus,
      {
        wamid: 'wamid.written-later',
        status: 'delivered',
        occurredAt: new Date().toISOString(),
        recipientId: '918600000000',
        phoneNumberId,
        errors: [],
      },
      { msgId: 'test:early' },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const [before] = await world.sql<
      Array<{ status: string }>
    >`select status from dispatch.messages where id = ${message!.id}`;
    expect(before?.status).toBe('SENDING');

    await world.sql`update dispatch.messages set status = 'SENT', wamid = 'wamid.written-later' where id = ${message!.id}`;
    await eventually(async () => {
      const [row] = await world.sql<
        Array<{ status: string }>
      >`select status from dispatch.messages where id = ${message!.id}`;
      return row?.status === 'DELIVERED';
    }, 30_000);
  });

  it('when Meta reports whole-second times earlier than our sub-second send time, then no time of a message runs backwards', async () => {
    const runId = await world.requestRun(contacts(3, '8700'));
    await waitForStats(dispatcher.query, runId, (current) => current.read === 3, 30_000);
    // Sent at .700 of a second: Meta's statuses carry the whole second, which reads as 0.7 s earlier.
    const sentAt = new Date(Math.floor(Date.now() / 1000) * 1000 + 700);
    const reported = new Date(Math.floor(sentAt.getTime() / 1000) * 1000).toISOString();
    const messages = await world.sql<Array<{ id: string; wamid: string }>>`
      update dispatch.messages set status = 'SENT', sent_at = ${sentAt}, delivered_at = null, read_at = null
       where run_id = ${runId} returning id, wamid`;
    messages.sort((a, b) => a.id.localeCompare(b.id));
    const publisher = createEventPublisher({ js: jetstream(nc), namespace: world.namespace });
    const sequences: Status[][] = [['delivered', 'read'], ['read'], ['failed']];
    for (const [index, sequence] of sequences.entries()) {
      for (const status of sequence) {
        await publisher.publish(
          whatsappStatus,
          {
            wamid: messages[index]!.wamid,
            status,
            occurredAt: reported,
            recipientId: '918700000000',
            phoneNumberId,
            errors: status === 'failed' ? [{ code: 131026, title: 'Message undeliverable' }] : [],
          },
          { msgId: `test:seconds:${messages[index]!.id}:${status}` },
        );
      }
    }
    const rows = await eventually(async () => {
      const current = await world.sql<
        Array<{
          status: string;
          sent_at: Date;
          delivered_at: Date | null;
          read_at: Date | null;
          failed_at: Date | null;
        }>
      >`
        select status, sent_at, delivered_at, read_at, failed_at from dispatch.messages where run_id = ${runId} order by id`;
      return current.map((row) => row.status).join() === 'READ,READ,FAILED' ? current : undefined;
    }, 30_000);
    for (const row of rows) expect(row.sent_at).toEqual(sentAt);
    for (const row of rows.slice(0, 2)) {
      expect(row.delivered_at!.getTime()).toBeGreaterThanOrEqual(row.sent_at.getTime());
      expect(row.read_at!.getTime()).toBeGreaterThanOrEqual(row.delivered_at!.getTime());
    }
    expect(rows[2]!.failed_at!.getTime()).toBeGreaterThanOrEqual(rows[2]!.sent_at.getTime());

    const shown = await dispatcher.query.message(messages[0]!.id);
    expect(Date.parse(shown.deliveredAt)).toBeGreaterThanOrEqual(Date.parse(shown.sentAt));
    expect(Date.parse(shown.readAt)).toBeGreaterThanOrEqual(Date.parse(shown.deliveredAt));
  });

  it('when a batch is applied and then delivered again, and older statuses follow, then the second delivery and the older statuses change nothing', async () => {
    const runId = await world.requestRun(contacts(4, '8900'));
    await waitForStats(dispatcher.query, runId, (current) => current.read === 4, 30_000);
    const messages = await world.sql<Array<{ id: string; wamid: string }>>`
      update dispatch.messages set status = 'SENT', delivered_at = null, read_at = null
       where run_id = ${runId} returning id, wamid`;
    messages.sort((a, b) => a.id.localeCompare(b.id));
    const publisher = createEventPublisher({ js: jetstream(nc), namespace: world.namespace });
    const status = (index: number, value: Status): Batch['statuses'][number] => ({
      wamid: messages[index]!.wamid,
      status: value,
      occurredAt: new Date().toISOString(),
      recipientId: '918900000000',
      phoneNumberId,
      ...(index % 2 === 0 ? { bizOpaqueCallbackData: messages[index]!.id } : {}),
      errors: value === 'failed' ? [{ code: 131026, title: 'Message undeliverable' }] : [],
    });
    const batch: Batch = {
      statuses: [
        status(0, 'read'),
        status(0, 'delivered'),
        status(2, 'sent'),
        status(2, 'delivered'),
        status(3, 'failed'),
      ],
    };
    await publisher.publish(whatsappStatusBatch, batch, { msgId: 'test:batch' });
    const applied = await eventually(async () => {
      const rows = await snapshot(world, runId);
      return rows.map((row) => row.status).join() === 'READ,SENT,DELIVERED,FAILED' ? rows : undefined;
    }, 30_000);
    expect(applied[3]?.error_code).toBe(131026);

    // The same batch again under another msgId (JetStream's redelivery, or Meta's under a new grouping),
    // then statuses behind what each message reached.
    await publisher.publish(whatsappStatusBatch, batch, { msgId: 'test:batch-again' });
    await publisher.publish(
      whatsappStatusBatch,
      { statuses: [status(0, 'sent'), status(0, 'delivered'), status(2, 'sent'), status(3, 'sent')] },
      { msgId: 'test:batch-older' },
    );
    // One status consumer applies batches in order: once this one shows, the two before it were applied.
    await publisher.publish(whatsappStatusBatch, { statuses: [status(1, 'delivered')] }, { msgId: 'test:marker' });
    const after = await eventually(async () => {
      const rows = await snapshot(world, runId);
      return rows[1]?.status === 'DELIVERED' ? rows : undefined;
    }, 30_000);
    for (const index of [0, 2, 3]) expect(after[index]).toEqual(applied[index]);
  });

  it('when a batch holds a status whose message is not written yet, then the batch comes back and its status is applied once the SENT is', async () => {
    const runId = await world.requestRun(contacts(2, '8910'));
    await waitForStats(dispatcher.query, runId, (current) => current.read === 2, 30_000);
    const [known, late] = (
      await world.sql<Array<{ id: string; wamid: string }>>`
        update dispatch.messages set status = 'SENT', delivered_at = null, read_at = null
         where run_id = ${runId} returning id, wamid`
    ).sort((a, b) => a.id.localeCompare(b.id));
    await world.sql`update dispatch.messages set status = 'SENDING', wamid = null where id = ${late!.id}`;
    const publisher = createEventPublisher({ js: jetstream(nc), namespace: world.namespace });
    const statusOf = (wamid: string) => ({
      wamid,
      status: 'delivered' as const,
      occurredAt: new Date().toISOString(),
      recipientId: '918910000000',
      phoneNumberId,
      errors: [],
    });
    await publisher.publish(
      whatsappStatusBatch,
      { statuses: [statusOf(known!.wamid), statusOf('wamid.batch-written-later')] },
      { msgId: 'test:batch-early' },
    );
    await eventually(async () => {
      const [row] = await world.sql<
        Array<{ status: string }>
      >`select status from dispatch.messages where id = ${known!.id}`;
      return row?.status === 'DELIVERED';
    }, 30_000);
    await world.sql`update dispatch.messages set status = 'SENT', wamid = 'wamid.batch-written-later' where id = ${late!.id}`;
    await eventually(async () => {
      const [row] = await world.sql<
        Array<{ status: string }>
      >`select status from dispatch.messages where id = ${late!.id}`;
      return row?.status === 'DELIVERED';
    }, 30_000);
  });
});
