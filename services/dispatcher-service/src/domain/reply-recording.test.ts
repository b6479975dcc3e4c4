import { describe, expect, it } from 'vitest';
import type { InboundMessage, StoredReply } from './ports.ts';
import { createReplyRecording, inboundMessageOf } from './reply-recording.ts';

const event = {
  messageId: 'wamid.IN1',
  from: '+919876543210',
  phoneNumberId: '106540352242922',
  occurredAt: '2026-12-02T10:00:00.000Z',
  type: 'button',
  text: 'Pay now',
  buttonPayload: 'PAY',
  replyToWamid: 'wamid.OUT1',
  profileName: 'Asha',
};

const campaignMessage = {
  messageId: '11111111-1111-4111-8111-111111111111',
  runId: '22222222-2222-4222-8222-222222222222',
  campaignId: '33333333-3333-4333-8333-333333333333',
  contactId: '44444444-4444-4444-8444-444444444444',
};

function world(link: Partial<StoredReply>, published = new Set<string>()) {
  const order: string[] = [];
  const record = createReplyRecording({
    store: {
      async record(message: InboundMessage) {
        order.push(`store ${message.wamid}`);
        return {
          ...message,
          messageId: undefined,
          runId: undefined,
          campaignId: undefined,
          contactId: undefined,
          ...link,
          eventPublished: published.has(message.wamid),
        };
      },
      async markPublished(wamid) {
        order.push(`mark ${wamid}`);
        published.add(wamid);
      },
    },
    events: {
      async replied(reply) {
        order.push(`publish ${reply.wamid} for ${reply.messageId}`);
      },
    },
  });
  return { record, order };
}

describe('inboundMessageOf', () => {
  it('when the event carries a quick reply, then its payload, text, context and time are kept', () => {
    expect(inboundMessageOf(event)).toEqual({
      wamid: 'wamid.IN1',
      phone: '+919876543210',
      phoneNumberId: '106540352242922',
      type: 'button',
      text: 'Pay now',
      payload: 'PAY',
      contextWamid: 'wamid.OUT1',
      profileName: 'Asha',
      receivedAt: new Date('2026-12-02T10:00:00.000Z'),
    });
  });

  it('when the event has no context, then the message answers nothing', () => {
    expect(inboundMessageOf({ ...event, replyToWamid: undefined }).contextWamid).toBeUndefined();
    expect(inboundMessageOf({ ...event, replyToWamid: '' }).contextWamid).toBeUndefined();
  });
});

describe('createReplyRecording', () => {
  it('when a reply answers a campaign message, then it is stored, then announced, then marked announced', async () => {
    const { record, order } = world(campaignMessage);
    const stored = await record(event);
    expect(order).toEqual(['store wamid.IN1', `publish wamid.IN1 for ${campaignMessage.messageId}`, 'mark wamid.IN1']);
    expect(stored).toMatchObject({ ...campaignMessage, eventPublished: true });
  });

  it('when Meta re-delivers an announced reply, then it is not announced again', async () => {
    const { record, order } = world(campaignMessage, new Set(['wamid.IN1']));
    await record(event);
    expect(order).toEqual(['store wamid.IN1']);
  });

  it('when a message answers nothing of ours, then it is stored for the conversation and nothing is announced', async () => {
    const { record, order } = world({});
    const stored = await record({ ...event, replyToWamid: 'wamid.NOT-OURS' });
    expect(order).toEqual(['store wamid.IN1']);
    expect(stored.messageId).toBeUndefined();
  });
});
