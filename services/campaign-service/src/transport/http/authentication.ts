import type { FastifyInstance } from 'fastify';
import { DomainError } from '@ektola/platform/errors';
import { allows, type ApiKeyIdentity } from '../../domain/api-key.ts';
import type { CampaignMetrics } from '../campaign-metrics.ts';
import './request-context.ts';

const bearer = /^Bearer\s+(\S+)\s*$/i;

/**
 * Every /v1 request carries `Authorization: Bearer <api key>`: 401 without a valid, unrevoked key,
 * 403 when the key's role may not call the route. Runs first, so rate limiting can count per key.
 */
export function addAuthentication(
  app: FastifyInstance,
  authenticate: (key: string) => Promise<ApiKeyIdentity | undefined>,
  metrics: CampaignMetrics,
) {
  app.addHook('onRequest', async (request, reply) => {
    const match = bearer.exec(request.headers.authorization ?? '');
    const identity = match ? await authenticate(match[1]!) : undefined;
    if (match) metrics.apiKeyLookup(identity ? 'valid' : 'unknown');
    if (!identity) {
      reply.header('www-authenticate', 'Bearer realm="ektola"');
      throw new DomainError(
        'unauthenticated',
        match ? 'the API key is not valid or was revoked' : 'send an API key as Authorization: Bearer <key>',
        {
          code: 'unauthenticated',
        },
      );
    }
    request.apiKey = identity;
    const permission = request.routeOptions.config.permission;
    if (!permission || !allows(identity.role, permission)) {
      throw new DomainError(
        'forbidden',
        `a ${identity.role} key may not ${request.method} ${request.routeOptions.url ?? request.url}`,
        { code: 'forbidden' },
      );
    }
  });
}
