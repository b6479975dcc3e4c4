import { messageReplied } from '@ektola/platform/events';
import type { EventPublisher } from '@ektola/platform/nats';
import type { ReplyEvents } from '../domain/ports.ts';

/** message.replied with the reply's wamid as its msgId, so a repeat publishes nothing new. */
export function createNatsReplyEvents(publisher: EventPublisher): ReplyEvents {
  return {
    async replied(reply) {
      await publisher.publish(
        messageReplied,
        {
          replyId: reply.wamid,
          messageId: reply.messageId,
          runId: reply.runId,
          campaignId: reply.campaignId,
          contactId: reply.contactId,
          phone: reply.phone,
          type: reply.type,
          text: reply.text,
          payload: reply.payload,
          repliedAt: reply.receivedAt.toISOString(),
        },
        { msgId: `message.replied:${reply.wamid}` },
      );
    },
  };
}
