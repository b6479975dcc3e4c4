import { afterEach, describe, expect, it } from 'vitest';
import { notificationOf, reminder, startReceiver, startSimulator, waitFor, type Started } from './support.ts';

let sim: Started | undefined;
let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
afterEach(async () => {
  await sim?.stop();
  await receiver?.close();
  sim = undefined;
  receiver = undefined;
});

const metadata = { display_phone_number: '15550001111', phone_number_id: '106540352242922' };

async function withReceiver(env: Record<string, string> = {}) {
  receiver = await startReceiver();
  sim = await startSimulator({
    SIMULATOR_WEBHOOK_URL: receiver.url,
    SIMULATOR_PAIR_INTERVAL_MS: '0',
    SIMULATOR_WEBHOOK_SENT_DELAY_MS: '100000',
    ...env,
  });
  return { sim, receiver };
}

/** The notification the callback received with this field, once it has arrived. */
const arrived = (field: string) =>
  waitFor(
    () =>
      receiver!.received.find(
        (entry) => entry.body.entry[0].changes[0].field === field && !entry.body.entry[0].changes[0].value.statuses,
      )?.body,
  );

describe('inbound events on demand', () => {
  it("when a user writes STOP, then Meta's text message notification is posted and returned", async () => {
    const { sim } = await withReceiver();
    const response = await sim.admin('POST', '/_sim/inbound/text', {
      from: '+91 98765 43210',
      body: 'STOP',
      name: 'Asha',
    });
    expect(response.status).toBe(202);
    expect(response.body.payload).toEqual(
      notificationOf('messages', {
        messaging_product: 'whatsapp',
        metadata,
        contacts: [{ profile: { name: 'Asha' }, wa_id: '919876543210' }],
        messages: [
          {
            from: '919876543210',
            id: expect.stringMatching(/^wamid\./),
            timestamp: expect.stringMatching(/^\d{10}$/),
            type: 'text',
            text: { body: 'STOP' },
          },
        ],
      }),
    );
    expect(await arrived('messages')).toEqual(response.body.payload);
  });

  it('when a user taps a quick reply, then the button message answers the last template they were sent', async () => {
    const { sim } = await withReceiver();
    const wamid = (await sim.send(reminder('919876543211'))).body.messages[0].id;
    const response = await sim.admin('POST', '/_sim/inbound/button', {
      from: '919876543211',
      payload: 'PAID',
      text: 'Paid',
    });
    expect(response.status).toBe(202);
    expect(response.body.payload.entry[0].changes[0].value.messages).toEqual([
      {
        context: { from: '15550001111', id: wamid },
        from: '919876543211',
        id: expect.any(String),
        timestamp: expect.any(String),
        type: 'button',
        button: { payload: 'PAID', text: 'Paid' },
      },
    ]);
    const reply = await sim.admin('POST', '/_sim/inbound/button-reply', {
      from: '919876543211',
      id: 'cancel',
      title: 'Cancel',
      contextMessageId: 'wamid.given',
    });
    expect(reply.body.payload.entry[0].changes[0].value.messages[0]).toMatchObject({
      type: 'interactive',
      context: { id: 'wamid.given' },
      interactive: { type: 'button_reply', button_reply: { id: 'cancel', title: 'Cancel' } },
    });
    expect((await sim.admin('POST', '/_sim/inbound/button', { from: '919800000000', payload: 'PAID' })).status).toBe(
      409,
    );
  });

  it('when a user answers a template with a text and a list pick, then both carry the context, and a re-delivered reply posts the same bytes again', async () => {
    const { sim, receiver } = await withReceiver();
    const wamid = (await sim.send(reminder('919876543215'))).body.messages[0].id;
    const text = await sim.admin('POST', '/_sim/inbound/text', {
      from: '919876543215',
      body: 'When is it due?',
      contextMessageId: wamid,
      deliveries: 2,
    });
    expect(text.body.payload.entry[0].changes[0].value.messages).toEqual([
      {
        context: { from: '15550001111', id: wamid },
        from: '919876543215',
        id: expect.stringMatching(/^wamid\./),
        timestamp: expect.stringMatching(/^\d{10}$/),
        type: 'text',
        text: { body: 'When is it due?' },
      },
    ]);
    const textId = text.body.payload.entry[0].changes[0].value.messages[0].id;
    const copies = await waitFor(() => {
      const found = receiver.received.filter(
        (entry) => entry.body.entry[0].changes[0].value.messages?.[0]?.id === textId,
      );
      return found.length === 2 ? found : undefined;
    });
    expect(copies[0]!.body).toEqual(copies[1]!.body);

    const list = await sim.admin('POST', '/_sim/inbound/list-reply', {
      from: '919876543215',
      id: 'branch-12',
      title: 'MG Road branch',
      description: 'Open 9 to 5',
    });
    expect(list.body.payload.entry[0].changes[0].value.messages[0]).toMatchObject({
      type: 'interactive',
      context: { id: wamid },
      interactive: {
        type: 'list_reply',
        list_reply: { id: 'branch-12', title: 'MG Road branch', description: 'Open 9 to 5' },
      },
    });
    expect(
      (await sim.admin('POST', '/_sim/inbound/text', { from: '919876543215', body: 'hi', deliveries: 9 })).status,
    ).toBe(400);
  });

  it('when a user stops marketing messages, then a user_preferences notification is posted', async () => {
    const { sim } = await withReceiver();
    const response = await sim.admin('POST', '/_sim/user-preferences', { waId: '919876543212', value: 'stop' });
    expect(response.body.payload.entry[0].changes[0]).toEqual({
      field: 'user_preferences',
      value: {
        messaging_product: 'whatsapp',
        metadata,
        contacts: [{ wa_id: '919876543212' }],
        user_preferences: [
          {
            wa_id: '919876543212',
            detail: expect.any(String),
            category: 'marketing_messages',
            value: 'stop',
            timestamp: expect.any(Number),
          },
        ],
      },
    });
    expect((await arrived('user_preferences')).entry[0].changes[0].value.user_preferences[0].value).toBe('stop');
    expect((await sim.admin('GET', '/_sim/recipients/919876543212')).body).toMatchObject({ marketingStopped: true });
  });

  it('when a template is paused, then the status update is posted and the template can no longer be sent', async () => {
    const { sim } = await withReceiver();
    const response = await sim.admin('POST', '/_sim/template-status', {
      name: 'gold_loan_reminder',
      language: 'en',
      event: 'PAUSED',
      reason: 'LOW_QUALITY',
    });
    expect(response.body.payload.entry[0]).toEqual({
      id: '102290129340398',
      time: expect.any(Number),
      changes: [
        {
          field: 'message_template_status_update',
          value: {
            event: 'PAUSED',
            message_template_id: expect.any(Number),
            message_template_name: 'gold_loan_reminder',
            message_template_language: 'en',
            reason: 'LOW_QUALITY',
            message_template_category: 'UTILITY',
          },
        },
      ],
    });
    expect((await sim.send(reminder('919876543213'))).body.error.code).toBe(132015);
    expect(
      (await sim.admin('POST', '/_sim/template-status', { name: 'nope', language: 'en', event: 'APPROVED' })).status,
    ).toBe(404);
  });

  it('posts account-level errors as value.errors', async () => {
    const { sim } = await withReceiver();
    const response = await sim.admin('POST', '/_sim/account-errors', { code: 131042 });
    expect(response.body.payload.entry[0].changes[0].value.errors).toEqual([
      {
        code: 131042,
        title: 'Business eligibility payment issue',
        message: 'Business eligibility payment issue',
        error_data: { details: expect.any(String) },
        href: expect.any(String),
      },
    ]);
  });

  it('when webhooks are off, then an inbound event is refused with 409', async () => {
    sim = await startSimulator();
    expect((await sim.admin('POST', '/_sim/inbound/text', { from: '919876543214', body: 'hi' })).status).toBe(409);
    expect((await sim.admin('POST', '/_sim/inbound/text', { from: 'x', body: 'hi' })).status).toBe(400);
  });
});

describe('templates, stats and reset', () => {
  it('when a template is added, then it is listed and can be sent; a reset brings back the seed', async () => {
    sim = await startSimulator({ SIMULATOR_PAIR_INTERVAL_MS: '0' });
    const template = {
      name: 'emi_receipt',
      language: 'en_US',
      category: 'UTILITY',
      parameter_format: 'NAMED',
      components: [{ type: 'BODY', text: 'Received {{amount}}, thank you {{first_name}}.' }],
    };
    const added = await sim.admin('PUT', '/_sim/templates', template);
    expect(added.body.data).toEqual([
      { id: expect.stringMatching(/^\d+$/), name: 'emi_receipt', language: 'en_US', status: 'APPROVED' },
    ]);
    const send = await sim.send({
      messaging_product: 'whatsapp',
      to: '919876543215',
      type: 'template',
      template: {
        name: 'emi_receipt',
        language: { code: 'en_US' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Asha', parameter_name: 'first_name' },
              { type: 'text', text: '₹1', parameter_name: 'amount' },
            ],
          },
        ],
      },
    });
    expect(send.status).toBe(200);
    expect((await sim.admin('PUT', '/_sim/templates', { ...template, name: 'Bad Name' })).status).toBe(400);

    await sim.admin('PUT', '/_sim/faults/*', { errors: { rate: 1, code: 131000 } });
    expect((await sim.admin('POST', '/_sim/reset')).status).toBe(200);
    const names = (await sim.admin('GET', '/_sim/templates')).body.data.map((entry: { name: string }) => entry.name);
    expect(names).not.toContain('emi_receipt');
    expect(names).toContain('gold_loan_reminder');
    expect((await sim.admin('GET', '/_sim/faults')).body.faults).toEqual({});
    expect((await sim.stats()).accepted).toBe(0);
  });

  it('when the same message key is accepted twice, then it shows as a duplicate', async () => {
    sim = await startSimulator({ SIMULATOR_PAIR_INTERVAL_MS: '0' });
    await sim.send(reminder('919876543216', 'run-7:contact-3'));
    await sim.send(reminder('919876543216', 'run-7:contact-3'));
    await sim.send(reminder('919876543217', 'run-7:contact-4'));
    await sim.send(reminder('919876543218'));
    await sim.send(reminder('+919876543218'));
    const stats = await sim.stats();
    expect(stats.messageKeys).toEqual({
      distinct: 3,
      duplicates: 2,
      repeated: { 'run-7:contact-3': 2, '919876543218:gold_loan_reminder:en': 2 },
      repeatedTruncated: false,
    });
    expect((await sim.admin('GET', `/_sim/stats/messages/${encodeURIComponent('run-7:contact-4')}`)).body).toEqual({
      key: 'run-7:contact-4',
      sends: 1,
    });
  });

  it('shows and changes its settings at run time, refusing unknown ones', async () => {
    sim = await startSimulator();
    expect((await sim.admin('GET', '/_sim/config')).body).toMatchObject({
      wabaId: '102290129340398',
      settings: { limits: { throughputPerSecond: 80, pairIntervalMs: 6000 } },
    });
    const patched = await sim.admin('PATCH', '/_sim/config', {
      limits: { pairIntervalMs: 0, tierLimit: 250 },
      webhooks: { failureCodes: [{ code: 131026 }] },
    });
    expect(patched.body.settings.limits).toMatchObject({ pairIntervalMs: 0, tierLimit: 250 });
    expect(patched.body.settings.webhooks.failureCodes).toEqual([{ code: 131026, weight: 1 }]);
    expect((await sim.admin('PATCH', '/_sim/config', { limits: { speed: 1 } })).status).toBe(400);
  });

  it('serves the ops endpoints', async () => {
    sim = await startSimulator();
    expect((await fetch(`${sim.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${sim.url}/readyz`)).status).toBe(200);
    await sim.send(reminder('919876543219'));
    expect(await (await fetch(`${sim.url}/metrics`)).text()).toContain('simulator_sends{code="0"');
  });
});
