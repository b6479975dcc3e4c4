import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '@ektola/platform/errors';
import { allows, type ApiKeyIdentity } from '../../domain/api-key.ts';
import { crossSiteWrite, readSessionCookie, type SessionIdentity } from '../../domain/session.ts';
import type { CampaignMetrics } from '../campaign-metrics.ts';
import './request-context.ts';

const bearer = /^Bearer\s+(\S+)\s*$/i;

export interface Authenticators {
  apiKey: (key: string) => Promise<ApiKeyIdentity | undefined>;
  session: (token: string) => Promise<SessionIdentity | undefined>;
}

/** The origin the client addressed, as Fastify reads it (X-Forwarded-* only from trusted proxies). */
const ownOrigin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

/**
 * Every /v1 request carries `Authorization: Bearer <api key>` or the console's session cookie: 401
 * without a valid, unrevoked key or unexpired session, 403 when the key's role may not call the route.
 * A cookie-authenticated write must come from the console's own origin (SameSite=Strict plus an Origin
 * check stop cross-site request forgery). Runs first, so rate limiting can count per key.
 */
export function addAuthentication(app: FastifyInstance, authenticate: Authenticators, metrics: CampaignMetrics) {
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.public) return;
    const match = bearer.exec(request.headers.authorization ?? '');
    const token = match ? undefined : readSessionCookie(request.headers.cookie);
    let identity: ApiKeyIdentity | undefined;
    if (match) {
      identity = await authenticate.apiKey(match[1]!);
      metrics.apiKeyLookup(identity ? 'valid' : 'unknown');
    } else if (token) {
      const session = await authenticate.session(token);
      if (session) {
        identity = { id: session.id, name: session.name, role: session.role };
        request.session = { expiresAt: session.expiresAt };
      }
    }
    if (!identity) {
      reply.header('www-authenticate', 'Bearer realm="ektola"');
      throw new DomainError('unauthenticated', unauthenticatedMessage(match !== null, token !== undefined), {
        code: 'unauthenticated',
      });
    }
    if (request.session && crossSiteWrite(request.method, request.headers.origin, ownOrigin(request))) {
      throw new DomainError('forbidden', `a ${request.method} with the session cookie must come from this origin`, {
        code: 'cross_site_request',
        details: [{ path: 'headers.origin', message: `must be ${ownOrigin(request)}` }],
      });
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

function unauthenticatedMessage(sentKey: boolean, sentSession: boolean): string {
  if (sentKey) return 'the API key is not valid or was revoked';
  if (sentSession) return 'the session has ended or expired; sign in again';
  return 'send an API key as Authorization: Bearer <key>, or sign in at POST /v1/sessions';
}
