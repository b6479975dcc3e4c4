import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiKeyRegistry } from '../../domain/ports.ts';
import { presentApiKey } from './presenters.ts';
import {
  apiKeySchema,
  createApiKeyBody,
  errorSchema,
  idParams,
  mintedApiKeySchema,
  pageOf,
  pageQuery,
} from './schemas.ts';

const tags = ['api keys'];

/** A replay of a mint answers the key's record without the key: only its SHA-256 is kept anywhere. */
const withoutSecret = (payload: string) => {
  const { key: _secret, ...record } = JSON.parse(payload) as Record<string, unknown>;
  return JSON.stringify(record);
};
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

export function apiKeyRoutes(app: FastifyInstance, deps: { apiKeys: ApiKeyRegistry }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/v1/api-keys',
    {
      config: { permission: 'admin', storedAnswer: withoutSecret },
      schema: {
        tags,
        summary: 'Mint an API key; the key is shown only in this answer',
        description:
          'A retry with the same Idempotency-Key answers the same record without `key`, which is never stored.',
        body: createApiKeyBody,
        response: { 201: mintedApiKeySchema, ...errors },
      },
    },
    async (request, reply) => {
      const { record, key } = await deps.apiKeys.mint(request.body);
      request.log.info({ apiKeyId: record.id, role: record.role }, 'api key minted');
      return reply.code(201).send({ ...presentApiKey(record), key });
    },
  );

  api.get(
    '/v1/api-keys',
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary: 'List API keys (never the keys themselves)',
        querystring: pageQuery,
        response: { 200: pageOf(apiKeySchema), ...errors },
      },
    },
    async (request) => {
      const page = await deps.apiKeys.list(request.query);
      return { items: page.items.map(presentApiKey), nextCursor: page.nextCursor };
    },
  );

  api.delete(
    '/v1/api-keys/:id',
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary: 'Revoke an API key; it stops working at once',
        params: idParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const record = await deps.apiKeys.revoke(request.params.id);
      request.log.info({ apiKeyId: record.id }, 'api key revoked');
      return reply.code(204).send(null);
    },
  );
}
