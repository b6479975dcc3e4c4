import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '@ektola/platform/clock';
import { notFound } from '@ektola/platform/errors';
import type { DispatchQuery, TemplateCatalog, Transactions } from '../../domain/ports.ts';
import { requestTestSend } from '../../domain/test-send.ts';
import { presentMessage } from './presenters.ts';
import { errorSchema, idParams, messageSchema } from './schemas.ts';

export interface TestSendRouteDependencies {
  transactions: Transactions;
  templates: Pick<TemplateCatalog, 'get'>;
  dispatch: DispatchQuery;
  clock: Clock;
  /** How much slower a FLAGGED sender sends, which lowers its weight in choosing the test's number. */
  flaggedFactor: number;
}

const tags = ['campaigns'];
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

const testSendBody = z
  .object({
    phone: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number such as +919876543210')
      .describe('E.164, such as +919876543210'),
  })
  .strict();

const testSendAccepted = z.object({
  messageId: z.string().describe('Poll GET /v1/test-sends/{messageId} for its status'),
  campaignId: z.string(),
  phone: z.string(),
  contactId: z
    .string()
    .nullable()
    .describe("The contact whose values filled the template; null: the mapping's defaults"),
});

const messageIdParams = z.object({ messageId: z.uuid() });

export function testSendRoutes(app: FastifyInstance, deps: TestSendRouteDependencies) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/v1/campaigns/:id/test-send',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary:
          "Send the campaign's template to one number now, with that contact's values (or the mapping's defaults), through the dispatcher's normal path; not a run. 409 contact_opted_out, template_not_approved, missing_value",
        params: idParams,
        body: testSendBody,
        response: { 202: testSendAccepted, ...errors, 409: errorSchema },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await requestTestSend(deps, { campaignId: request.params.id, phone: request.body.phone })),
  );

  api.get(
    '/v1/test-sends/:messageId',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary:
          'A test send as the dispatcher keeps it: PENDING until it is sent, then SENT, DELIVERED, READ or FAILED with Meta’s error; 404 before the dispatcher stored it',
        params: messageIdParams,
        response: { 200: messageSchema, ...errors, 503: errorSchema },
      },
    },
    async (request) => {
      const message = await deps.dispatch.message(request.params.messageId);
      // A test send is the one message of a run of its own that carries its id; any other message is not one.
      if (message.runId !== message.id) throw notFound('test send', request.params.messageId);
      return presentMessage(message);
    },
  );
}
