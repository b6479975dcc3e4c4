import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageStatusItem } from '@ektola/platform/events';
import { createEventPublisher, jetstream, type EventPublisher } from '@ektola/platform/nats';
import { testNatsUrl } from '@ektola/platform/testing';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createPostgresRunCancellationStore } from '../src/adapters/postgres-run-cancellation-store.ts';
import { createPostgresSendStore } from '../src/adapters/postgres-send-store.ts';
import { createPostgresSuppressionStore } from '../src/adapters/postgres-suppression-store.ts';
import { createStatusRelay, statusOutbox } from '../src/adapters/postgres-status-outbox.ts';
import { phoneNumberId, startWorld, type World } from './support.ts';

interface Publication {
  msgId: string;
  statuses: MessageStatusItem[];
  duplicate: boolean;
}

/** The real publisher, keeping what it published; `afterwards` runs once JetStream acknowledged. */
function recording(real: EventPublisher, publications: Publication[], afterwards = () => {}): EventPublisher {
  const publish: EventPublisher['publish'] = async (event, payload, options) => {
    const receipt = await real.publish(event, payload, options);
    publications.push({
      msgId: options.msgId,
      statuses: (payload as { statuses: MessageStatusItem[] }).statuses,
      duplicate: receipt.duplicate,
    });
    afterwards();
    return receipt;
  };
  return {
    publish,
    publishAll: (event, items) => Promise.all(items.map((item) => publish(event, item.payload, item))),
  };
}

const failing: EventPublisher = {
  publish: () => Promise.reject(new Error('NATS is unreachable')),
  publishAll: () => Promise.reject(new Error('NATS is unreachable')),
};

describe('status outbox', () => {
  let world: World;
  let nc: NatsConnection;
  let publisher: EventPublisher;

  beforeAll(async () => {
    world = await startWorld({ webhooks: false });
    // Started once for its schema and streams; the stores and the relay below are driven by hand.
    const dispatcher = await world.startDispatcher({ MESSAGE_STATUS_EVENTS: 'false' });
    dispatcher.query.close();
    await dispatcher.stop();
    nc = await connect({ servers: testNatsUrl() });
    publisher = createEventPublisher({ js: jetstream(nc), namespace: world.namespace });
  });

  afterAll(async () => {
    await nc?.close();
    await world?.stop();
  });

  async function run(cancelled = false) {
    const runId = randomUUID();
    await world.sql`
      insert into dispatch.runs (id, campaign_id, template_id, phone_number_id)
      values (${runId}, ${randomUUID()}, ${randomUUID()}, ${phoneNumberId})`;
    const message = async (status: 'PENDING' | 'SENDING', leaseUntil: Date | null = null) => {
      const id = randomUUID();
      const contactId = `outbox-${id}`;
      await world.sql`
        insert into dispatch.messages (id, run_id, campaign_id, contact_id, phone, phone_number_id, template_name,
                                       template_language, components, status, attempts, lease_until)
        select ${id}, ${runId}, campaign_id, ${contactId}, ${`+9199${id.slice(0, 8).replace(/\D/g, '0')}`},
               ${phoneNumberId}, 'gold_loan', 'en', '[]'::jsonb, ${status}, ${status === 'SENDING' ? 1 : 0},
               ${leaseUntil}
          from dispatch.runs where id = ${runId}`;
      return { id, contactId };
    };
    if (cancelled) await world.sql`update dispatch.runs set cancelled_at = now() where id = ${runId}`;
    return { runId, message };
  }

  it('when the dispatcher dies between writing SKIPPED and FAILED and publishing them, then the relay publishes each (message, status) once, and a relay dying after its publish repeats the same msgIds, which JetStream stores once', async () => {
    let woken = 0;
    // Nothing is announced at the commit: the relay the outbox wakes never runs, as if the process died.
    const outbox = statusOutbox(() => (woken += 1));
    const nothingAnnounced = async () => {
      throw new Error('SKIPPED and FAILED must not be announced at the commit');
    };
    const sends = createPostgresSendStore(world.sql, nothingAnnounced, outbox);

    const open = await run();
    const optedOut = await open.message('PENDING');
    const rejected = await open.message('SENDING');
    await createPostgresSuppressionStore(world.sql, nothingAnnounced, outbox).record({
      contactId: optedOut.contactId,
      phone: '+919900000001',
      suppressed: true,
      reason: 'opted_out',
      occurredAt: new Date(),
    });
    await sends.record(
      [{ id: rejected.id, attempt: 1, to: 'FAILED', code: 131026, message: 'undeliverable', deadLetter: false }],
      phoneNumberId,
    );

    const cancelled = await run();
    const waiting = await cancelled.message('PENDING');
    await createPostgresRunCancellationStore(world.sql, phoneNumberId, outbox).cancel({
      runId: cancelled.runId,
      campaignId: randomUUID(),
      cancelledAt: new Date(),
    });
    const stopped = await run(true);
    const pending = await stopped.message('PENDING');
    const unknown = await stopped.message('SENDING', new Date(Date.now() - 60_000));
    const claim = await sends.claim([pending.id, unknown.id], 10, 30_000, new Date());
    expect(claim).toMatchObject({
      claimed: [],
      skipped: [{ id: pending.id, reason: 'run_cancelled' }],
      abandoned: [unknown.id],
    });

    expect(woken).toBe(4);
    const owed = await world.sql`select message_id, status from dispatch.status_announcements`;
    expect(owed).toHaveLength(5);

    // NATS down: the pass fails and every announcement stays.
    await expect(
      createStatusRelay({ sql: world.sql, publisher: failing }).relay(new AbortController().signal),
    ).rejects.toThrow('NATS is unreachable');
    expect(await world.sql`select id from dispatch.status_announcements`).toHaveLength(5);

    // Published, then the relay dies before deleting: the rows stay.
    const publications: Publication[] = [];
    const dying = recording(publisher, publications, () => {
      throw new Error('killed after the publish');
    });
    await expect(
      createStatusRelay({ sql: world.sql, publisher: dying }).relay(new AbortController().signal),
    ).rejects.toThrow('killed after the publish');
    expect(await world.sql`select id from dispatch.status_announcements`).toHaveLength(5);

    const again: Publication[] = [];
    await createStatusRelay({ sql: world.sql, publisher: recording(publisher, again) }).relay(
      new AbortController().signal,
    );
    expect(await world.sql`select id from dispatch.status_announcements`).toHaveLength(0);
    // A pass with nothing owed publishes nothing.
    await createStatusRelay({ sql: world.sql, publisher: recording(publisher, again) }).relay(
      new AbortController().signal,
    );

    // The repeat carries the same msgIds, and JetStream recognised each as stored.
    expect(publications.every((publication) => !publication.duplicate)).toBe(true);
    expect(again.map((publication) => publication.msgId).toSorted()).toEqual(
      publications.map((publication) => publication.msgId).toSorted(),
    );
    expect(again.every((publication) => publication.duplicate)).toBe(true);

    const stored = publications.flatMap((publication) => publication.statuses);
    const pairs = stored.map((item) => `${item.messageId}:${item.status}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    const byMessage = new Map(stored.map((item) => [item.messageId, item]));
    expect(byMessage.size).toBe(5);
    expect(byMessage.get(optedOut.id)).toMatchObject({
      runId: open.runId,
      contactId: optedOut.contactId,
      status: 'SKIPPED',
      skipReason: 'opted_out',
    });
    expect(byMessage.get(rejected.id)).toMatchObject({ runId: open.runId, status: 'FAILED', error: { code: 131026 } });
    expect(byMessage.get(waiting.id)).toMatchObject({
      runId: cancelled.runId,
      status: 'SKIPPED',
      skipReason: 'run_cancelled',
    });
    expect(byMessage.get(pending.id)).toMatchObject({
      runId: stopped.runId,
      status: 'SKIPPED',
      skipReason: 'run_cancelled',
    });
    expect(byMessage.get(unknown.id)).toMatchObject({
      runId: stopped.runId,
      contactId: unknown.contactId,
      status: 'FAILED',
      error: { code: 0 },
    });
  });
});
