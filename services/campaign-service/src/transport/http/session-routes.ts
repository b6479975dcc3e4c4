import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '@ektola/platform/clock';
import { DomainError } from '@ektola/platform/errors';
import { roles } from '../../domain/api-key.ts';
import type { ApiKeyRegistry, SessionStore } from '../../domain/ports.ts';
import { expiredSessionCookie, readSessionCookie, sessionCookie } from '../../domain/session.ts';
import { errorSchema } from './schemas.ts';

const tags = ['sessions'];
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

/** A request with a Bearer key has no session: the current session is then a 404, not the key. */
function currentSession(request: FastifyRequest) {
  if (!request.session || !request.apiKey) {
    throw new DomainError('not_found', 'this request carries a Bearer key, not a session cookie', {
      code: 'not_found',
    });
  }
  return { apiKey: request.apiKey, expiresAt: request.session.expiresAt };
}

export const createSessionBody = z.object({
  apiKey: z.string().min(1).max(512).describe('The API key to sign in with; it is not kept by the browser'),
});

export const sessionSchema = z.object({
  apiKey: z.object({ id: z.uuid(), name: z.string(), role: z.enum(roles) }),
  expiresAt: z.string().describe('When the session ends, however active it is'),
});

export interface SessionRouteDependencies {
  apiKeys: Pick<ApiKeyRegistry, 'authenticate'>;
  sessions: SessionStore;
  clock: Clock;
  sessionTtlMs: number;
}

/** HTTPS as the client saw it: X-Forwarded-Proto counts only from TRUSTED_PROXIES (Fastify's trustProxy). */
const overHttps = (request: FastifyRequest) => request.protocol === 'https';

/**
 * The console's sign-in: an API key exchanged for an HttpOnly, SameSite=Strict cookie with a
 * server-side expiry, so the browser never stores the key. Every other /v1 route accepts the cookie
 * as it accepts `Authorization: Bearer`.
 */
export function sessionRoutes(app: FastifyInstance, deps: SessionRouteDependencies) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/v1/sessions',
    {
      config: { permission: 'read', public: true },
      schema: {
        tags,
        summary: 'Sign in: exchange an API key for a session cookie',
        description:
          'Answers `Set-Cookie: ektola_session=…; HttpOnly; SameSite=Strict` (Secure over HTTPS). Requests that change something with the cookie must carry the console’s own `Origin`.',
        security: [],
        body: createSessionBody,
        response: { 201: sessionSchema, ...errors },
      },
    },
    async (request, reply) => {
      const identity = await deps.apiKeys.authenticate(request.body.apiKey);
      if (!identity) {
        throw new DomainError('unauthenticated', 'the API key is not valid or was revoked', {
          code: 'unauthenticated',
          details: [{ path: 'body.apiKey', message: 'is not a valid API key' }],
        });
      }
      const now = deps.clock.now();
      const expiresAt = new Date(now.getTime() + deps.sessionTtlMs);
      const token = await deps.sessions.start(identity.id, expiresAt);
      request.log.info({ apiKeyId: identity.id }, 'session started');
      return reply
        .code(201)
        .header('set-cookie', sessionCookie(token, { expiresAt, now, secure: overHttps(request) }))
        .header('cache-control', 'no-store')
        .send({ apiKey: identity, expiresAt: expiresAt.toISOString() });
    },
  );

  api.get(
    '/v1/sessions/current',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'Who is signed in, with which role (404 for a Bearer key, which has no session)',
        response: { 200: sessionSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { apiKey, expiresAt } = currentSession(request);
      reply.header('cache-control', 'no-store');
      return { apiKey: { id: apiKey.id, name: apiKey.name, role: apiKey.role }, expiresAt: expiresAt.toISOString() };
    },
  );

  api.delete(
    '/v1/sessions/current',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'Sign out: the session stops working at once and the cookie is cleared (404 for a Bearer key)',
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      currentSession(request);
      await deps.sessions.end(readSessionCookie(request.headers.cookie)!);
      request.log.info({ apiKeyId: request.apiKey?.id }, 'session ended');
      return reply
        .code(204)
        .header('set-cookie', expiredSessionCookie(overHttps(request)))
        .send(null);
    },
  );
}
