import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '@ektola/platform/errors';
import { createKeywordMatcher } from './keywords.ts';
import { createNotificationTranslator } from './notification-events.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/${name}.json`, import.meta.url), 'utf8'));

const now = new Date('2026-03-05T10:00:00.000Z');
const translate = createNotificationTranslator({
  matchKeyword: createKeywordMatcher({ optOut: ['STOP', 'UNSUBSCRIBE', 'STOP ALL'], optIn: ['START', 'SUBSCRIBE'] }),
  clock: { now: () => now },
});

const summary = (name: string | unknown) => {
  const translation = translate(typeof name === 'string' ? fixture(name) : name);
  return {
    events: translation.events.map((item) => ({ event: item.event.name, msgId: item.msgId, payload: item.payload })),
    items: Object.fromEntries(translation.items),
    unknownFields: translation.unknownFields,
    ...(translation.rejected.length > 0
      ? { rejected: translation.rejected.map((item) => ({ reason: item.reason, path: item.path })) }
      : {}),
  };
};

const rejection = (body: unknown) => {
  try {
    translate(body);
  } catch (error) {
    if (isDomainError(error)) return { kind: error.kind, details: error.details };
    throw error;
  }
  throw new Error('expected the notification to be rejected');
};

const wamid = 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3N0EyQUJDMjFEQzZCQUMzODMA';

describe("Meta's documented notifications", () => {
  it('when a sent status arrives, then one status event carries the callback data, conversation and pricing', () => {
    expect(summary('status-sent')).toEqual({
      events: [
        {
          event: 'whatsapp.status',
          msgId: `${wamid}:sent`,
          payload: {
            wamid,
            status: 'sent',
            occurredAt: '2025-06-18T16:22:53.000Z',
            recipientId: '16505551234',
            phoneNumberId: '106540352242922',
            bizOpaqueCallbackData: '4f0e9c52-5b8a-4c1e-9f6e-2b7d8a1c3e50',
            errors: [],
            pricing: { billable: true, pricingModel: 'PMP', category: 'marketing' },
            conversationId: '016be5fd3b3f6e1e0ab7a7bdbd1e3b6d',
          },
        },
      ],
      items: { status: 1 },
      unknownFields: [],
    });
  });

  it.each([
    ['status-delivered', 'delivered'],
    ['status-read', 'read'],
  ])('when %s arrives, then its message id is <wamid>:%s', (name, status) => {
    const [event] = summary(name).events;
    expect(event?.msgId).toBe(`${wamid}:${status}`);
    expect(event?.payload).toMatchObject({ status, bizOpaqueCallbackData: '4f0e9c52-5b8a-4c1e-9f6e-2b7d8a1c3e50' });
  });

  it('when a failed status arrives, then its errors carry code, title, message and details', () => {
    const [event] = summary('status-failed').events;
    expect(event?.payload).toMatchObject({
      status: 'failed',
      errors: [
        {
          code: 131050,
          title: expect.stringContaining('stop receiving marketing messages'),
          message: expect.stringContaining('stop receiving marketing messages'),
          details: expect.stringContaining('stop receiving marketing messages'),
        },
      ],
    });
    expect(event?.payload).not.toHaveProperty('pricing.billable');
  });

  it('when a user writes a text, then one inbound event with the E.164 sender and profile name, and no preference change', () => {
    expect(summary('inbound-text')).toMatchObject({
      events: [
        {
          event: 'whatsapp.inbound',
          msgId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
          payload: {
            from: '+16505551234',
            type: 'text',
            text: 'Does it come in another color?',
            profileName: 'Sheena Nelson',
            occurredAt: '2025-06-08T20:59:43.000Z',
          },
        },
      ],
      items: { inbound: 1 },
    });
  });

  it('when a user taps an "Unsubscribe" quick reply, then an inbound event with the payload and an opt-out follow', () => {
    const { events, items } = summary('inbound-button');
    expect(events.map((item) => item.event)).toEqual(['whatsapp.inbound', 'contact.opted_out']);
    expect(events[0]?.payload).toMatchObject({
      type: 'button',
      text: 'Unsubscribe',
      buttonPayload: 'Unsubscribe',
      replyToWamid: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA',
    });
    expect(events[1]).toEqual({
      event: 'contact.opted_out',
      msgId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=:opt_out',
      payload: {
        phone: '+16505551234',
        reason: 'keyword',
        sourceId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
        occurredAt: '2025-06-16T00:07:59.000Z',
      },
    });
    expect(items).toEqual({ inbound: 1, opted_out: 1 });
  });

  it.each([
    ['inbound-interactive-button-reply', 'interactive.button_reply', 'Cancel', 'cancel-button'],
    ['inbound-interactive-list-reply', 'interactive.list_reply', 'Priority Mail Express', 'priority_express'],
  ])(
    'when %s arrives, then the reply title and id are carried as text and payload',
    (name, type, text, buttonPayload) => {
      const { events } = summary(name);
      expect(events).toHaveLength(1);
      expect(events[0]?.payload).toMatchObject({
        type,
        text,
        buttonPayload,
        replyToWamid: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=',
      });
    },
  );

  it.each([
    ['user-preferences-stop', 'contact.opted_out', 'stop', '2024-11-15T21:20:00.000Z'],
    ['user-preferences-resume', 'contact.opted_in', 'resume', '2024-11-15T21:22:01.000Z'],
  ])('when %s arrives, then it becomes %s for the E.164 number', (name, event, value, occurredAt) => {
    const sourceId = `user_preferences:16505551234:${value}:${occurredAt}`;
    expect(summary(name).events).toEqual([
      { event, msgId: sourceId, payload: { phone: '+16505551234', reason: 'user_preferences', sourceId, occurredAt } },
    ]);
  });

  it('when a template is approved, then a template status event names it, with the numeric id as text and the entry time', () => {
    expect(summary('template-status-approved').events).toEqual([
      {
        event: 'whatsapp.template_status',
        msgId: 'template:102290129340398:1689556908129832:APPROVED:2025-02-12T00:43:44.000Z',
        payload: {
          event: 'APPROVED',
          metaTemplateId: '1689556908129832',
          name: 'order_confirmation',
          language: 'en-US',
          reason: 'NONE',
          category: 'MARKETING',
          occurredAt: '2025-02-12T00:43:44.000Z',
        },
      },
    ]);
  });

  it('when a template is rejected, then the reason is carried and the rejection details Meta adds are ignored', () => {
    expect(summary('template-status-rejected').events[0]?.payload).toEqual({
      event: 'REJECTED',
      metaTemplateId: '1689556908129835',
      name: 'abandoned_cart',
      language: 'en',
      reason: 'INVALID_FORMAT',
      category: 'MARKETING',
      occurredAt: '2025-06-30T01:39:08.000Z',
    });
  });

  it('when Meta reports an account-level error, then an account error event names the number and the code', () => {
    const { events, items } = summary('account-errors');
    expect(items).toEqual({ account_error: 1 });
    expect(events[0]?.payload).toEqual({
      phoneNumberId: '106540352242922',
      businessAccountId: '102290129340398',
      error: {
        code: 130429,
        title: 'Rate limit hit',
        message: '(#130429) Rate limit hit',
        details: 'Cloud API message throughput has been reached.',
      },
      occurredAt: now.toISOString(),
    });
    expect(summary('account-errors').events[0]?.msgId).toBe(events[0]?.msgId);
  });

  it('when the field is one EkTola does not read, then nothing is published and the field is counted', () => {
    expect(summary('unknown-field')).toEqual({
      events: [],
      items: { unknown_field: 1 },
      unknownFields: ['business_capability_update'],
    });
  });
});

describe('what Meta may send beyond the documented examples', () => {
  const withStatus = (status: Record<string, unknown>) => ({
    object: 'whatsapp_business_account',
    entry: [
      { id: '1', changes: [{ field: 'messages', value: { metadata: { phone_number_id: '2' }, statuses: [status] } }] },
    ],
  });

  it('when a status EkTola does not track arrives (a played voice note), then it is counted, not published', () => {
    expect(summary(withStatus({ id: 'wamid.x', status: 'played', timestamp: '1', recipient_id: '1' }))).toMatchObject({
      events: [],
      items: { untracked_status: 1 },
    });
  });

  it('when a user writes STOP, then both the inbound message and an opt-out are published', () => {
    const body = fixture('inbound-text') as {
      entry: Array<{ changes: Array<{ value: { messages: Array<{ text: { body: string } }> } }> }>;
    };
    const message = body.entry[0]?.changes[0]?.value.messages[0];
    if (message) message.text.body = 'stop';
    expect(summary(body).events.map((item) => item.event)).toEqual(['whatsapp.inbound', 'contact.opted_out']);
  });

  it('when the envelope has no entry list, then it is rejected naming body.entry', () => {
    expect(rejection({ object: 'whatsapp_business_account' })).toEqual({
      kind: 'invalid',
      details: [expect.objectContaining({ path: 'body.entry' })],
    });
  });

  it('when a status lacks its id, then that status alone is left out, named by its path and problem', () => {
    const translation = translate(withStatus({ status: 'sent', timestamp: '1', recipient_id: '1' }));
    expect(translation.events).toEqual([]);
    expect(translation.rejected).toEqual([
      {
        reason: 'invalid_status',
        path: 'body.entry.0.changes.0.value.statuses.0',
        problems: [expect.objectContaining({ path: 'body.entry.0.changes.0.value.statuses.0.id' })],
      },
    ]);
  });

  it('when one of three statuses is malformed, then the other two become events and the third is rejected', () => {
    const body = withStatus({
      id: 'wamid.a',
      status: 'delivered',
      timestamp: '1750263773',
      recipient_id: '16505551234',
    });
    const value = body.entry[0]!.changes[0]!.value as { statuses: unknown[] };
    value.statuses.push({ id: 'wamid.b', status: 'sent', timestamp: 'yesterday', recipient_id: '16505551234' });
    value.statuses.push({ id: 'wamid.c', status: 'read', timestamp: 1750263774, recipient_id: '16505551234' });
    expect(summary(body)).toMatchObject({
      events: [{ msgId: 'wamid.a:delivered' }, { msgId: 'wamid.c:read' }],
      items: { status: 2 },
      rejected: [{ reason: 'invalid_status', path: 'body.entry.0.changes.0.value.statuses.1' }],
    });
  });

  it('when an inbound sender is not a phone number, then that message is rejected and nothing is published for it', () => {
    const body = JSON.parse(
      JSON.stringify(fixture('inbound-text')).replaceAll('"from":"16505551234"', '"from":"not-a-number"'),
    );
    expect(summary(body)).toMatchObject({
      events: [],
      rejected: [{ reason: 'invalid_message', path: 'body.entry.0.changes.0.value.messages.0' }],
    });
  });

  it('when an entry, a change and a preference are malformed, then each is rejected with its own reason and the valid change still counts', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        { changes: [] },
        {
          id: '1',
          changes: [
            { value: {} },
            { field: 'messages', value: { statuses: [] } },
            {
              field: 'user_preferences',
              value: {
                user_preferences: [{ wa_id: 'x', category: 'marketing_messages', value: 'stop', timestamp: 1 }],
              },
            },
            { field: 'message_template_status_update', value: { event: 'APPROVED' } },
            {
              field: 'messages',
              value: {
                metadata: { phone_number_id: '2' },
                statuses: [{ id: 'wamid.d', status: 'sent', timestamp: '1', recipient_id: '1' }],
              },
            },
          ],
        },
      ],
    };
    expect(summary(body)).toMatchObject({
      events: [{ msgId: 'wamid.d:sent' }],
      rejected: [
        { reason: 'invalid_entry', path: 'body.entry.0' },
        { reason: 'invalid_change', path: 'body.entry.1.changes.0' },
        { reason: 'invalid_change', path: 'body.entry.1.changes.1.value' },
        { reason: 'invalid_preference', path: 'body.entry.1.changes.2.value.user_preferences.0' },
        { reason: 'invalid_template_status', path: 'body.entry.1.changes.3.value' },
      ],
    });
  });

  it('when the object is not a WhatsApp business account, then it is acknowledged and counted', () => {
    expect(summary({ object: 'page', entry: [] })).toMatchObject({ events: [], items: { unknown_object: 1 } });
  });
});
