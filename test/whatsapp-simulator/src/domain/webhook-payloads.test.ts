import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { conversationOf } from './conversation.ts';
import {
  accountUpdateNotification,
  numberQualityNotification,
  statusEntry,
  statusNotification,
  templateStatusNotification,
  userPreferenceNotification,
  type StatusEvent,
} from './webhook-payloads.ts';
import { signatureOf } from './webhook-signature.ts';

const number = { wabaId: '102290129340398', phoneNumberId: '106540352242922', displayPhoneNumber: '15550001111' };
const event: StatusEvent = {
  messageId: 'wamid.X',
  status: 'delivered',
  timestampSec: 1_750_263_776,
  recipientId: '919876543210',
  bizOpaque: 'k1',
  category: 'utility',
  conversationId: 'c1',
  conversationExpiresSec: 1_750_350_180,
};

describe('status notifications', () => {
  it('writes delivered with conversation and pricing, timestamps as strings', () => {
    expect(statusEntry(event)).toEqual({
      id: 'wamid.X',
      status: 'delivered',
      timestamp: '1750263776',
      recipient_id: '919876543210',
      biz_opaque_callback_data: 'k1',
      conversation: { id: 'c1', expiration_timestamp: '1750350180', origin: { type: 'utility' } },
      pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'utility' },
    });
  });

  it('writes read bare and failed with errors[] and no pricing', () => {
    const { bizOpaque: _omitted, ...withoutKey } = event;
    expect(statusEntry({ ...withoutKey, status: 'read' })).toEqual({
      id: 'wamid.X',
      status: 'read',
      timestamp: '1750263776',
      recipient_id: '919876543210',
    });
    const failed = statusEntry({ ...event, status: 'failed', errorCode: 131050 });
    expect(failed).not.toHaveProperty('pricing');
    expect(failed.errors).toEqual([
      expect.objectContaining({
        code: 131050,
        title: expect.any(String),
        message: expect.any(String),
        error_data: { details: expect.any(String) },
      }),
    ]);
  });

  it('puts several statuses of one number in one notification', () => {
    const payload = statusNotification(number, [event, { ...event, status: 'read' }]);
    expect(payload.object).toBe('whatsapp_business_account');
    expect(payload.entry[0]!.id).toBe(number.wabaId);
    expect(payload.entry[0]!.changes[0]!.field).toBe('messages');
    const value = payload.entry[0]!.changes[0]!.value;
    expect(value.metadata).toEqual({ display_phone_number: '15550001111', phone_number_id: '106540352242922' });
    expect(value.statuses).toHaveLength(2);
  });
});

describe('other notifications', () => {
  it('writes a user preference with a numeric timestamp', () => {
    const value = userPreferenceNotification(number, {
      waId: '919876543210',
      value: 'stop',
      timestampSec: 1_731_705_600,
    }).entry[0]!.changes[0]!;
    expect(value.field).toBe('user_preferences');
    expect(value.value.user_preferences).toEqual([
      {
        wa_id: '919876543210',
        detail: 'User requested to stop marketing messages',
        category: 'marketing_messages',
        value: 'stop',
        timestamp: 1_731_705_600,
      },
    ]);
  });

  it('writes a template status update with a numeric template id and entry time', () => {
    const payload = templateStatusNotification(number.wabaId, {
      event: 'PAUSED',
      templateId: '1689556908129832',
      name: 'a',
      language: 'en',
      category: 'MARKETING',
      timeSec: 1_739_321_024,
    });
    expect(payload.entry[0]).toEqual({
      id: number.wabaId,
      time: 1_739_321_024,
      changes: [
        {
          field: 'message_template_status_update',
          value: {
            event: 'PAUSED',
            message_template_id: 1_689_556_908_129_832,
            message_template_name: 'a',
            message_template_language: 'en',
            reason: 'NONE',
            message_template_category: 'MARKETING',
          },
        },
      ],
    });
  });
});

describe('signatureOf', () => {
  it('is the hex HMAC-SHA256 of the exact bytes with the app secret', () => {
    const body = '{"a": 1}';
    expect(signatureOf(body, 's3cret')).toBe(`sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`);
    expect(signatureOf(body, 'other')).not.toBe(signatureOf(body, 's3cret'));
  });
});

describe('conversationOf', () => {
  it('keeps one id per user and category for the 24-hour window', () => {
    const first = conversationOf('919876543210', 'utility', 1_000);
    expect(first.id).toMatch(/^[0-9a-f]{32}$/);
    expect(conversationOf('919876543210', 'utility', 2_000).id).toBe(first.id);
    expect(conversationOf('919876543210', 'marketing', 2_000).id).not.toBe(first.id);
    expect(first.expiresSec).toBe(86_400);
  });
});

describe("Meta's number and account notifications", () => {
  it('when a limit changes, then old_limit comes with it and both limit fields carry the new one', () => {
    expect(
      numberQualityNotification(number, {
        event: 'UPGRADE',
        oldLimit: 'TIER_2K',
        currentLimit: 'TIER_10K',
        timeSec: 1739321024,
      }),
    ).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          time: 1739321024,
          changes: [
            {
              value: {
                display_phone_number: '15550001111',
                event: 'UPGRADE',
                old_limit: 'TIER_2K',
                current_limit: 'TIER_10K',
                max_daily_conversations_per_business: 'TIER_10K',
              },
              field: 'phone_number_quality_update',
            },
          ],
        },
      ],
    });
  });

  it('when an account update has restrictions or a violation, then Meta’s date format and info objects are used', () => {
    const restricted = accountUpdateNotification(number.wabaId, {
      event: 'ACCOUNT_RESTRICTION',
      restrictions: [{ type: 'RESTRICTED_ADD_PHONE_NUMBER_ACTION', expiresSec: 1776607160 }],
      timeSec: 1739321024,
    });
    expect(restricted.entry[0]!.changes[0]!.value).toEqual({
      event: 'ACCOUNT_RESTRICTION',
      restriction_info: [
        { restriction_type: 'RESTRICTED_ADD_PHONE_NUMBER_ACTION', expiration: '2026-04-19T13:59:20+0000' },
      ],
    });
    const violation = accountUpdateNotification(number.wabaId, {
      event: 'ACCOUNT_VIOLATION',
      violationType: 'SCAM',
      timeSec: 1739321024,
    });
    expect(violation.entry[0]!.changes[0]!.value).toEqual({
      event: 'ACCOUNT_VIOLATION',
      violation_info: { violation_type: 'SCAM' },
    });
  });
});
