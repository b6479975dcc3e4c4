import { describe, expect, it } from 'vitest';
import { bodyOf, messageEvent, messageRepliedEvent, runCompletedEvent } from './callback-event.ts';

const status = {
  messageId: '0a4b6f4e-4c52-4f6b-9f3c-3b0f0b7b9a01',
  runId: '1a4b6f4e-4c52-4f6b-9f3c-3b0f0b7b9a01',
  campaignId: '2a4b6f4e-4c52-4f6b-9f3c-3b0f0b7b9a01',
  contactId: 'c-1',
  phone: '+919876543210',
  status: 'DELIVERED' as const,
  occurredAt: '2026-03-01T10:00:00.000Z',
};

describe('messageEvent', () => {
  it('when a message is delivered, then message.delivered carries its ids, phone, status and status time', () => {
    const event = messageEvent(status);
    expect(event.type).toBe('message.delivered');
    expect(event.data).toMatchObject({
      messageId: status.messageId,
      runId: status.runId,
      campaignId: status.campaignId,
      contactId: 'c-1',
      phone: '+919876543210',
      status: 'DELIVERED',
      statusAt: status.occurredAt,
    });
  });

  it('when the same status arrives again, then the event id is the same; another status gets another id', () => {
    expect(messageEvent(status).id).toBe(messageEvent({ ...status }).id);
    expect(messageEvent({ ...status, status: 'READ' }).id).not.toBe(messageEvent(status).id);
    expect(messageEvent(status).id).toMatch(/^evt_[0-9a-f]{32}$/);
  });

  it("when a message failed, then the event carries Meta's code and title; a skip carries its reason", () => {
    const failed = messageEvent({
      ...status,
      status: 'FAILED',
      error: { code: 131026, title: 'Message undeliverable' },
    });
    expect(failed.type).toBe('message.failed');
    expect(failed.data.error).toEqual({ code: 131026, title: 'Message undeliverable' });
    const skipped = messageEvent({ ...status, status: 'SKIPPED', skipReason: 'opted_out' });
    expect(skipped.type).toBe('message.skipped');
    expect(skipped.data.reason).toBe('opted_out');
  });
});

describe('bodyOf', () => {
  it('when serialised, then the body holds exactly id, type, createdAt and data', () => {
    const event = runCompletedEvent({
      runId: status.runId,
      campaignId: status.campaignId,
      completedAt: status.occurredAt,
      counts: { pending: 0, sending: 0, sent: 1, delivered: 2, read: 3, failed: 0, skipped: 0 },
    });
    expect(Object.keys(JSON.parse(bodyOf(event)) as object)).toEqual(['id', 'type', 'createdAt', 'data']);
  });
});

describe('messageRepliedEvent', () => {
  const reply = {
    replyId: 'wamid.HBgMOTE5ODc2NTQzMjEwFQIAEhgUM0E',
    messageId: status.messageId,
    runId: status.runId,
    campaignId: status.campaignId,
    contactId: 'c-1',
    phone: '+919876543210',
    type: 'button',
    text: 'Paid',
    payload: 'PAID',
    repliedAt: '2026-03-01T10:05:00.000Z',
  };

  it('when a customer answers a campaign message, then message.replied carries the message it answers and the reply', () => {
    const event = messageRepliedEvent(reply);
    expect(event.type).toBe('message.replied');
    expect(event.createdAt).toBe(reply.repliedAt);
    expect(event.data).toEqual({
      messageId: reply.messageId,
      runId: reply.runId,
      campaignId: reply.campaignId,
      contactId: 'c-1',
      phone: '+919876543210',
      replyId: reply.replyId,
      replyType: 'button',
      text: 'Paid',
      payload: 'PAID',
      repliedAt: reply.repliedAt,
    });
  });

  it('when Meta re-delivers the reply, then the event id is the same; another reply to the same message gets another', () => {
    expect(messageRepliedEvent({ ...reply }).id).toBe(messageRepliedEvent(reply).id);
    expect(messageRepliedEvent({ ...reply, replyId: 'wamid.other' }).id).not.toBe(messageRepliedEvent(reply).id);
  });
});
