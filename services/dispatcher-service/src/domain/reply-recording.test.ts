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
      async record(message: InboundMessage, { linkedOnly }) {
        if (linkedOnly && link.messageId === undefined) {
          order.push(`wait ${message.wamid}`);
          return undefined;
        }
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
    const stored = await record(event, { waitForContext: true });
    expect(order).toEqual(['store wamid.IN1', `publish wamid.IN1 for ${campaignMessage.messageId}`, 'mark wamid.IN1']);
    expect(stored).toMatchObject({ ...campaignMessage, eventPublished: true });
  });

  it('when Meta re-delivers an announced reply, then it is not announced again', async () => {
    const { record, order } = world(campaignMessage, new Set(['wamid.IN1']));
    await record(event, { waitForContext: true });
    expect(order).toEqual(['store wamid.IN1']);
  });

  it('when a context names no message of ours yet, then the reply waits while it may, and is then stored for the conversation unannounced', async () => {
    const { record, order } = world({});
    expect(await record({ ...event, replyToWamid: 'wamid.NOT-YET' }, { waitForContext: true })).toBeUndefined();
    const stored = await record({ ...event, replyToWamid: 'wamid.NOT-YET' }, { waitForContext: false });
    expect(order).toEqual(['wait wamid.IN1', 'store wamid.IN1']);
    expect(stored?.messageId).toBeUndefined();
  });

  it('when a message has no context, then it is stored at once, answering nothing', async () => {
    const { record, order } = world({});
    await record({ ...event, replyToWamid: undefined }, { waitForContext: true });
    expect(order).toEqual(['store wamid.IN1']);
  });
});
