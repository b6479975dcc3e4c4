import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { createJsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import {
  createHttpServer,
  rejectNulCharacters,
  retryReadsWhileUnavailable,
  retryWhileUnavailable,
  type UnavailableRetry,
} from '@ektola/platform/http';
import type { Logger } from '@ektola/platform/logger';
import { opsRoutes, type OpsRoutesOptions } from '@ektola/platform/ops';
import type { ApiKeyRegistry, IdempotencyKeys, SessionStore } from '../../domain/ports.ts';
import { apiKeyRoutes } from './api-key-routes.ts';
import { audienceRoutes, type AudienceRouteDependencies } from './audience-routes.ts';
import { addAddressRateLimit } from './address-rate-limit.ts';
import { addAuthentication } from './authentication.ts';
import { campaignRoutes, type CampaignRouteDependencies } from './campaign-routes.ts';
import { consoleRoutes } from './console-routes.ts';
import { guardrailRoutes, type GuardrailRouteDependencies } from './guardrail-routes.ts';
import { contactRoutes, type ContactRouteDependencies } from './contact-routes.ts';
import { addIdempotency } from './idempotency.ts';
import { overviewRoutes, type OverviewRouteDependencies } from './overview-routes.ts';
import { replyRoutes, type ReplyRouteDependencies } from './reply-routes.ts';
import { resultsRoutes, type ResultsRouteDependencies } from './results-routes.ts';
import { runRoutes, type RunRouteDependencies } from './run-routes.ts';
import { testSendRoutes } from './test-send-routes.ts';
import { senderRoutes, type SenderRouteDependencies } from './sender-routes.ts';
import { sessionRoutes } from './session-routes.ts';
import { templateRoutes, type TemplateRouteDependencies } from './template-routes.ts';
import { webhookEndpointRoutes, type WebhookEndpointRouteDependencies } from './webhook-endpoint-routes.ts';

export type ApiDependencies = ContactRouteDependencies &
  TemplateRouteDependencies &
  CampaignRouteDependencies &
  RunRouteDependencies &
  OverviewRouteDependencies &
  ResultsRouteDependencies &
  ReplyRouteDependencies &
  AudienceRouteDependencies &
  GuardrailRouteDependencies &
  SenderRouteDependencies &
  WebhookEndpointRouteDependencies & {
    logger: Logger;
    apiKeys: ApiKeyRegistry;
    sessions: SessionStore;
    /** The console's build (services/console/dist), served at `/`; none when unset or not built. */
    consoleDirectory: string | undefined;
    /** How long a console sign-in lasts. */
    sessionTtlMs: number;
    idempotency: IdempotencyKeys;
    ops: OpsRoutesOptions;
    jsonBodyLimitBytes: number;
    rateLimitPerMinute: number;
    rateLimitPerAddressPerMinute: number;
    /** Proxies whose X-Forwarded-For names the client (addresses or CIDR ranges). */
    trustedProxies: readonly string[];
    /** How long a read rides out PostgreSQL or the dispatcher restarting before answering 503. */
    unavailableRetry: UnavailableRetry;
  };

const docsPaths = [
  '/docs',
  '/docs/',
  '/docs/json',
  '/docs/yaml',
  '/docs/static/*',
  '/docs/initOAuth',
  '/docs/uiConfig',
  '/docs/*',
];

/**
 * The public REST API on one Fastify server with the ops routes: zod schemas validate requests and
 * generate the OpenAPI document at /docs/json. Everything under /v1 is authenticated, rate limited
 * per API key and honours Idempotency-Key on POST.
 */
export async function buildApiServer(deps: ApiDependencies): Promise<FastifyInstance> {
  const app = await createHttpServer({
    logger: deps.logger,
    bodyLimit: deps.jsonBodyLimitBytes,
    trustProxy: deps.trustedProxies,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'EkTola campaign API',
        version: '1.0.0',
        description:
          'Contacts, WhatsApp templates and campaigns. Authenticate with `Authorization: Bearer <api key>` (or the console session cookie from `POST /v1/sessions`). Errors share one shape: `{"error":{"code","message","details":[{"path","message"}]}}`. Lists take `limit` and an opaque `cursor` and answer `{"items","nextCursor"}`. Every POST honours `Idempotency-Key`.',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An EkTola API key' } } },
      security: [{ apiKey: [] }],
    },
    transform: createJsonSchemaTransform({ skipList: docsPaths }),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  await app.register(opsRoutes, deps.ops);
  await app.register(consoleRoutes, { directory: deps.consoleDirectory });

  await app.register(async (api) => {
    retryReadsWhileUnavailable(api, deps.unavailableRetry);
    await api.register(fastifyRateLimit, {
      max: deps.rateLimitPerMinute,
      timeWindow: 60_000,
      // Runs on each route after authentication, so every request here has a key; this limit follows the key.
      keyGenerator: (request) => request.apiKey?.id ?? request.ip,
    });
    // Before the key lookup: a client trying keys is stopped by its address before it reaches PostgreSQL.
    addAddressRateLimit(api, deps.rateLimitPerAddressPerMinute);
    // Every request reads its key first, so a database restart would otherwise fail writes and reads alike.
    addAuthentication(
      api,
      {
        apiKey: (key) => retryWhileUnavailable(() => deps.apiKeys.authenticate(key), deps.unavailableRetry),
        session: (token) => retryWhileUnavailable(() => deps.sessions.identify(token), deps.unavailableRetry),
      },
      deps.metrics,
    );
    rejectNulCharacters(api);
    addIdempotency(api, deps.idempotency);
    await api.register(fastifyMultipart, { limits: { fileSize: deps.uploadLimitBytes + 1, files: 1, fields: 10 } });
    contactRoutes(api, deps);
    templateRoutes(api, deps);
    campaignRoutes(api, deps);
    runRoutes(api, deps);
    overviewRoutes(api, deps);
    testSendRoutes(api, deps);
    resultsRoutes(api, deps);
    replyRoutes(api, deps);
    audienceRoutes(api, deps);
    guardrailRoutes(api, deps);
    senderRoutes(api, deps);
    apiKeyRoutes(api, deps);
    sessionRoutes(api, deps);
    webhookEndpointRoutes(api, deps);
  });
  return app;
}
