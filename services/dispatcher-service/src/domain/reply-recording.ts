import type { InboundMessage, ReplyEvents, ReplyStore, StoredReply } from './ports.ts';

/** What the webhook-service's whatsapp.inbound carries, as the dispatcher reads it. */
export interface InboundEvent {
  messageId: string;
  from: string;
  phoneNumberId: string;
  occurredAt: string;
  type: string;
  text?: string | undefined;
  buttonPayload?: string | undefined;
  replyToWamid?: string | undefined;
  profileName?: string | undefined;
}

/** The inbound event as a message to store: a quick-reply's payload or an interactive reply's id is its payload. */
export const inboundMessageOf = (event: InboundEvent): InboundMessage => ({
  wamid: event.messageId,
  phone: event.from,
  phoneNumberId: event.phoneNumberId,
  type: event.type,
  text: event.text,
  payload: event.buttonPayload,
  contextWamid: event.replyToWamid || undefined,
  profileName: event.profileName,
  receivedAt: new Date(event.occurredAt),
});

type CampaignReply = StoredReply & { messageId: string; runId: string; campaignId: string };

const answersCampaignMessage = (reply: StoredReply): reply is CampaignReply =>
  reply.messageId !== undefined && reply.runId !== undefined && reply.campaignId !== undefined;

/**
 * A customer's message: stored once (Meta re-delivers), linked to the campaign message it answers, and,
 * when it answers one, announced as message.replied after the store committed. The announcement is
 * recorded, so a redelivery after a crash between the two publishes it then, and never again after.
 *
 * A reply whose context names no message of ours may be early rather than foreign: the wamid of the
 * message it answers is written by the send result or its `sent` status, on other consumers. While
 * `waitForContext` holds, such a reply is not stored (undefined: try again later); after that it is
 * stored for the conversation, answering nothing.
 */
export function createReplyRecording(options: { store: ReplyStore; events: ReplyEvents }) {
  return async function recordInbound(
    event: InboundEvent,
    { waitForContext }: { waitForContext: boolean },
  ): Promise<StoredReply | undefined> {
    const message = inboundMessageOf(event);
    const reply = await options.store.record(message, {
      linkedOnly: waitForContext && message.contextWamid !== undefined,
    });
    if (!reply) return undefined;
    if (answersCampaignMessage(reply) && !reply.eventPublished) {
      await options.events.replied(reply);
      await options.store.markPublished(reply.wamid);
      return { ...reply, eventPublished: true };
    }
    return reply;
  };
}

export type RecordInbound = ReturnType<typeof createReplyRecording>;
