import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  appSecret,
  festiveOffer,
  notificationOf,
  reminder,
  startReceiver,
  startSimulator,
  waitFor,
  type Started,
} from './support.ts';

let sim: Started | undefined;
let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
afterEach(async () => {
  await sim?.stop();
  await receiver?.close();
  sim = undefined;
  receiver = undefined;
});

/** Short delays and no limits, so a test sees a message's whole lifecycle at once. */
const quick = (url: string, extra: Record<string, string> = {}) => ({
  SIMULATOR_WEBHOOK_URL: url,
  SIMULATOR_PAIR_INTERVAL_MS: '0',
  SIMULATOR_WEBHOOK_SENT_DELAY_MS: '0',
  SIMULATOR_WEBHOOK_DELIVERED_DELAY_MS: '5',
  SIMULATOR_WEBHOOK_READ_DELAY_MS: '5',
  SIMULATOR_WEBHOOK_RETRY_INITIAL_MS: '10',
  ...extra,
});

const verifies = (raw: string, header: string | undefined, secret: string) => {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
};

describe('status webhooks', () => {
  it('when a message is accepted, then sent, delivered and read arrive, signed over the exact bytes with the app secret', async () => {
    receiver = await startReceiver();
    sim = await startSimulator(quick(receiver.url));
    const sent = await sim.send(reminder('919876543210', 'run-1:contact-1'));
    const wamid = sent.body.messages[0].id;
    await waitFor(() => receiver!.statuses().length >= 3);

    for (const notification of receiver.received) {
      expect(verifies(notification.raw, notification.headers['x-hub-signature-256'] as string, appSecret)).toBe(true);
      expect(verifies(notification.raw, notification.headers['x-hub-signature-256'] as string, 'another-secret')).toBe(
        false,
      );
      expect(notification.headers['content-type']).toBe('application/json');
    }
    const first = receiver.received[0]!.body;
    expect(first).toEqual(
      notificationOf('messages', {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: '15550001111', phone_number_id: '106540352242922' },
        statuses: [
          {
            id: wamid,
            status: 'sent',
            timestamp: expect.stringMatching(/^\d{10}$/),
            recipient_id: '919876543210',
            biz_opaque_callback_data: 'run-1:contact-1',
            conversation: {
              id: expect.stringMatching(/^[0-9a-f]{32}$/),
              expiration_timestamp: expect.stringMatching(/^\d{10}$/),
              origin: { type: 'utility' },
            },
            pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'utility' },
          },
        ],
      }),
    );
    expect(receiver.statuses().map((status: { status: string }) => status.status)).toEqual([
      'sent',
      'delivered',
      'read',
    ]);
    expect(receiver.statuses()[2]).toEqual({
      id: wamid,
      status: 'read',
      timestamp: expect.any(String),
      recipient_id: '919876543210',
      biz_opaque_callback_data: 'run-1:contact-1',
    });
    await waitFor(async () => (await sim!.stats()).webhooks.delivered === 3);
  });

  it('when the callback answers 500, then the same bytes are posted again until it answers 200', async () => {
    receiver = await startReceiver((index) => (index < 2 ? 500 : 200));
    sim = await startSimulator(
      quick(receiver.url, {
        SIMULATOR_WEBHOOK_READ_SHARE: '0',
        SIMULATOR_WEBHOOK_DELIVERED_DELAY_MS: '0',
        SIMULATOR_WEBHOOK_BATCH_SIZE: '10',
      }),
    );
    await sim.send(reminder('919876543211'));
    await waitFor(() => receiver!.received.length >= 3);
    expect(new Set(receiver.received.map((entry) => entry.raw)).size).toBe(1);
    expect(
      receiver.received[0]!.body.entry[0].changes[0].value.statuses.map((status: { status: string }) => status.status),
    ).toEqual(['sent', 'delivered']);
    const stats = await waitFor(async () => {
      const current = await sim!.stats();
      return current.webhooks.delivered === 1 && current;
    });
    expect(stats.webhooks).toMatchObject({ delivered: 1, statusesDelivered: 2, retried: 2, failed: 0 });
  });

  it('when the callback never answers 200, then delivery stops after the configured attempts and counts as failed', async () => {
    receiver = await startReceiver(() => 503);
    sim = await startSimulator(
      quick(receiver.url, {
        SIMULATOR_WEBHOOK_READ_SHARE: '0',
        SIMULATOR_WEBHOOK_DELIVERED_DELAY_MS: '0',
        SIMULATOR_WEBHOOK_BATCH_SIZE: '10',
        SIMULATOR_WEBHOOK_MAX_ATTEMPTS: '3',
      }),
    );
    await sim.send(reminder('919876543212'));
    const stats = await waitFor(async () => {
      const current = await sim!.stats();
      return current.webhooks.failed === 1 && current;
    });
    expect(stats.webhooks).toMatchObject({ delivered: 0, retried: 2, failed: 1 });
    expect(receiver.received).toHaveLength(3);
  });

  it('when messages fail, then failed arrives alone with the chosen code and no pricing', async () => {
    receiver = await startReceiver();
    sim = await startSimulator(
      quick(receiver.url, { SIMULATOR_WEBHOOK_FAILURE_SHARE: '1', SIMULATOR_WEBHOOK_FAILURE_CODES: '131049' }),
    );
    await sim.send(reminder('919876543213', 'k-fail'));
    const [status] = await waitFor(() => receiver!.statuses().length >= 1 && receiver!.statuses());
    expect(status).toEqual({
      id: expect.any(String),
      status: 'failed',
      timestamp: expect.any(String),
      recipient_id: '919876543213',
      biz_opaque_callback_data: 'k-fail',
      errors: [
        {
          code: 131049,
          title: expect.any(String),
          message: expect.any(String),
          error_data: { details: expect.any(String) },
          href: expect.any(String),
        },
      ],
    });
  });

  it('when a share is duplicated, out of order or read without delivered, then the callback sees exactly that', async () => {
    receiver = await startReceiver();
    sim = await startSimulator(
      quick(receiver.url, {
        SIMULATOR_WEBHOOK_READ_SHARE: '0',
        SIMULATOR_WEBHOOK_DUPLICATE_SHARE: '1',
        SIMULATOR_WEBHOOK_DELIVERED_DELAY_MS: '60',
      }),
    );
    const duplicated = (await sim.send(reminder('919876543214'))).body.messages[0].id;
    await waitFor(() => receiver!.statuses().filter((status: { id: string }) => status.id === duplicated).length >= 3);
    expect(receiver.statuses().map((status: { status: string }) => status.status)).toEqual([
      'sent',
      'delivered',
      'delivered',
    ]);

    await sim.admin('PATCH', '/_sim/config', { webhooks: { duplicateShare: 0, outOfOrderShare: 1 } });
    const reordered = (await sim.send(reminder('919876543215'))).body.messages[0].id;
    await waitFor(() => receiver!.statuses().filter((status: { id: string }) => status.id === reordered).length >= 2);
    expect(
      receiver
        .statuses()
        .filter((status: { id: string }) => status.id === reordered)
        .map((status: { status: string }) => status.status),
    ).toEqual(['delivered', 'sent']);

    await sim.admin('PATCH', '/_sim/config', {
      webhooks: { outOfOrderShare: 0, readShare: 1, readWithoutDeliveredShare: 1 },
    });
    const readOnly = (await sim.send(reminder('919876543216'))).body.messages[0].id;
    await waitFor(() => receiver!.statuses().filter((status: { id: string }) => status.id === readOnly).length >= 2);
    expect(
      receiver
        .statuses()
        .filter((status: { id: string }) => status.id === readOnly)
        .map((status: { status: string }) => status.status),
    ).toEqual(['sent', 'read']);
  });

  it('when batching is on, then several statuses share one POST', async () => {
    receiver = await startReceiver();
    sim = await startSimulator(
      quick(receiver.url, {
        SIMULATOR_WEBHOOK_READ_SHARE: '0',
        SIMULATOR_WEBHOOK_BATCH_SIZE: '50',
        SIMULATOR_WEBHOOK_BATCH_WINDOW_MS: '100',
      }),
    );
    await Promise.all(
      Array.from({ length: 20 }, (_, index) => sim!.send(reminder(`91987650${String(index).padStart(4, '0')}`))),
    );
    await waitFor(() => receiver!.statuses().length >= 40);
    expect(receiver.received.length).toBeLessThan(40);
    expect(
      Math.max(...receiver.received.map((entry) => entry.body.entry[0].changes[0].value.statuses.length)),
    ).toBeGreaterThan(1);
  });

  it('when a user stopped marketing messages or is not on WhatsApp, then their messages fail with 131050 or 131026', async () => {
    receiver = await startReceiver();
    sim = await startSimulator(quick(receiver.url));
    await sim.admin('PUT', '/_sim/recipients/919876543217', { failWith: 131026 });
    await sim.admin('POST', '/_sim/user-preferences', { waId: '919876543218', value: 'stop' });
    await sim.send(reminder('919876543217'));
    await sim.send(festiveOffer('919876543218'));
    const failures = await waitFor(() => {
      const failed = receiver!.statuses().filter((status: { status: string }) => status.status === 'failed');
      return failed.length >= 2 && failed;
    });
    expect(Object.fromEntries(failures.map((status: any) => [status.recipient_id, status.errors[0].code]))).toEqual({
      '919876543217': 131026,
      '919876543218': 131050,
    });
  });

  it('when a user is set to fail once, then only the next accepted message fails and the one after it is delivered', async () => {
    receiver = await startReceiver();
    sim = await startSimulator(quick(receiver.url));
    await sim.admin('PUT', '/_sim/recipients/919876543219', { failWith: { code: 131049, times: 1 } });
    const first = await sim.send(reminder('919876543219'));
    const failed = await waitFor(() =>
      receiver!.statuses().find((status: { status: string }) => status.status === 'failed'),
    );
    const second = await sim.send(reminder('919876543219'));
    const delivered = await waitFor(() =>
      receiver!.statuses().find((status: { status: string }) => status.status === 'delivered'),
    );
    expect([failed.id, failed.errors[0].code]).toEqual([first.body.messages[0].id, 131049]);
    expect(delivered.id).toBe(second.body.messages[0].id);
    expect(receiver.statuses().filter((status: { status: string }) => status.status === 'failed')).toHaveLength(1);
  });
});
