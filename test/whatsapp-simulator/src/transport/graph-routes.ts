import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CloudApi, SendOutcome } from '../cloud-api.ts';
import type { TemplateListQuery } from '../domain/template-catalog.ts';
import type { HeldRequests } from './held-requests.ts';

const versionPattern = /^v\d+\.\d+$/;

interface GraphParams {
  version: string;
  id: string;
}

/** Graph's answer to a path it does not serve, e.g. a missing or malformed version. */
export const unknownPath = (path: string) => ({
  error: { message: `Unknown path components: ${path}`, type: 'OAuthException', code: 2500, fbtrace_id: 'simulator' },
});

async function answer(request: FastifyRequest, reply: FastifyReply, outcome: SendOutcome, hung: HeldRequests) {
  if (outcome.kind === 'refuse') {
    // The closest a running server gets to refusing: the connection dies without an answer.
    reply.hijack();
    request.raw.socket.destroy();
    return;
  }
  if (outcome.kind === 'hang') {
    reply.hijack();
    await hung.hold(request.raw);
    return;
  }
  if (outcome.delayMs > 0) await hung.delay(outcome.delayMs);
  return reply.code(outcome.status).send(outcome.body);
}

const queryToken = (request: FastifyRequest) => (request.query as { access_token?: string }).access_token;

/** The Graph API endpoints EkTola calls, on the paths graph.facebook.com serves them. */
export function graphRoutes(app: FastifyInstance, api: CloudApi, hung: HeldRequests): void {
  app.post<{ Params: GraphParams }>('/:version/:id/messages', async (request, reply) => {
    if (!versionPattern.test(request.params.version)) return reply.code(400).send(unknownPath(request.url));
    const outcome = api.send({
      phoneNumberId: request.params.id,
      authorization: request.headers.authorization,
      queryToken: queryToken(request),
      body: request.body,
    });
    return answer(request, reply, outcome, hung);
  });

  app.post<{ Params: GraphParams }>('/:version/:id/message_templates', async (request, reply) => {
    if (!versionPattern.test(request.params.version)) return reply.code(400).send(unknownPath(request.url));
    const outcome = api.submitTemplate({
      wabaId: request.params.id,
      authorization: request.headers.authorization,
      queryToken: queryToken(request),
      body: request.body,
    });
    return answer(request, reply, outcome, hung);
  });

  app.get<{ Params: GraphParams; Querystring: Record<string, string | undefined> }>(
    '/:version/:id',
    async (request, reply) => {
      // Admin paths the admin API does not serve are its own 404s, not Graph's.
      if (request.params.version === '_sim') return reply.callNotFound();
      if (!versionPattern.test(request.params.version)) return reply.code(400).send(unknownPath(request.url));
      const outcome = api.describeNumber({
        phoneNumberId: request.params.id,
        authorization: request.headers.authorization,
        queryToken: queryToken(request),
        fields: request.query.fields,
      });
      return answer(request, reply, outcome, hung);
    },
  );

  app.get<{ Params: GraphParams; Querystring: Record<string, string | undefined> }>(
    '/:version/:id/message_templates',
    async (request, reply) => {
      if (!versionPattern.test(request.params.version)) return reply.code(400).send(unknownPath(request.url));
      const { limit, after, before, fields, name, status, category, language } = request.query;
      const query: TemplateListQuery = {
        ...(limit !== undefined && /^\d+$/.test(limit) ? { limit: Number(limit) } : {}),
        ...(after ? { after } : {}),
        ...(before ? { before } : {}),
        ...(fields ? { fields } : {}),
        ...(name ? { name } : {}),
        ...(status ? { status } : {}),
        ...(category ? { category } : {}),
        ...(language ? { language } : {}),
      };
      const host = request.headers.host ?? `${request.hostname}`;
      const outcome = api.listTemplates({
        wabaId: request.params.id,
        authorization: request.headers.authorization,
        queryToken: queryToken(request),
        query,
        pageUrl: `${request.protocol}://${host}${request.url}`,
      });
      return answer(request, reply, outcome, hung);
    },
  );
}
