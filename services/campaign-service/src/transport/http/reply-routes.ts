import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CampaignRepository, ContactDirectory, DispatchQuery } from '../../domain/ports.ts';
import { presentConversationEntry, presentReply } from './presenters.ts';
import { errorSchema, idParams, pageOf, pageQuery } from './schemas.ts';

export interface ReplyRouteDependencies {
  contacts: Pick<ContactDirectory, 'get'>;
  campaigns: Pick<CampaignRepository, 'get'>;
  dispatch: Pick<DispatchQuery, 'conversation' | 'replies'>;
}

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 503: errorSchema };
const instant = z.string().nullable();

const conversationEntrySchema = z.object({
  direction: z.enum(['outbound', 'inbound']),
  id: z.string().describe("Our message id (outbound) or Meta's id of the contact's message (inbound)"),
  at: z.string().describe('When the message was created (outbound) or sent by the contact (inbound)'),
  runId: z.uuid().nullable(),
  campaignId: z.uuid().nullable(),
  templateName: z.string().nullable().describe('Outbound: the template sent'),
  status: z.string().nullable().describe('Outbound: PENDING … READ, FAILED or SKIPPED'),
  wamid: z.string().nullable(),
  sentAt: instant,
  deliveredAt: instant,
  readAt: instant,
  failedAt: instant,
  replied: z.boolean().nullable().describe('Outbound: whether the contact replied to it'),
  repliedAt: instant,
  type: z.string().nullable().describe('Inbound: text, button, interactive.button_reply, interactive.list_reply, …'),
  text: z.string().nullable().describe("Inbound: the text, the button's text or the interactive reply's title"),
  payload: z.string().nullable().describe("Inbound: the quick-reply button's payload or the interactive reply's id"),
  inReplyTo: z.uuid().nullable().describe('Inbound: the campaign message (outbound id) it answers'),
});

export const replySchema = z.object({
  id: z.string().describe("Meta's id of the customer's message"),
  phone: z.string(),
  type: z.string(),
  text: z.string().nullable(),
  payload: z.string().nullable(),
  messageId: z.uuid().nullable().describe('The campaign message it answers; null when it answers none of ours'),
  runId: z.uuid().nullable(),
  campaignId: z.uuid().nullable(),
  contactId: z.string().nullable(),
  profileName: z.string().nullable(),
  receivedAt: z.string(),
});

const repliesQuery = pageQuery.extend({
  campaignId: z.uuid().optional().describe("Only replies to this campaign's messages"),
  since: z.iso.datetime({ offset: true }).optional().describe('Only replies received at or after this instant'),
});

/** A contact's conversation both ways and the replies customers sent, asked of the dispatcher, which stores them. */
export function replyRoutes(app: FastifyInstance, deps: ReplyRouteDependencies) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/v1/contacts/:id/conversation',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['contacts'],
        summary: "A contact's messages both ways, oldest first: campaign messages sent and what the contact sent",
        params: idParams,
        querystring: pageQuery,
        response: { 200: pageOf(conversationEntrySchema), ...errors },
      },
    },
    async (request) => {
      const contact = await deps.contacts.get(request.params.id);
      const page = await deps.dispatch.conversation({
        contactId: contact.id,
        phone: contact.phone,
        pageSize: request.query.limit,
        pageToken: request.query.cursor ?? '',
      });
      return { items: page.entries.map(presentConversationEntry), nextCursor: page.nextPageToken || null };
    },
  );

  api.get(
    '/v1/replies',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['replies'],
        summary: 'Messages customers sent, oldest first; of one campaign and from an instant when asked',
        querystring: repliesQuery,
        response: { 200: pageOf(replySchema), ...errors },
      },
    },
    async (request) => {
      const { campaignId, since, limit, cursor } = request.query;
      if (campaignId) await deps.campaigns.get(campaignId);
      const page = await deps.dispatch.replies({
        campaignId: campaignId ?? '',
        since: since ? new Date(since).toISOString() : '',
        pageSize: limit,
        pageToken: cursor ?? '',
      });
      return { items: page.replies.map(presentReply), nextCursor: page.nextPageToken || null };
    },
  );
}
