import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callbackEventTypes } from '@ektola/platform/events';
import type { WebhookEndpoints } from '../../domain/ports.ts';
import { errorSchema, idParams, pageOf, pageQuery } from './schemas.ts';

const tags = ['webhook endpoints'];
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 503: errorSchema };

const eventType = z.enum(callbackEventTypes);
const url = z.string().min(1).max(2048);
const events = z.array(eventType).min(1).max(callbackEventTypes.length);
const description = z.string().max(500);

const endpointSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  description: z.string(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  disabledReason: z.string().nullable().describe('gone (the endpoint answered 410) or failing (failing for 3 days)'),
  createdAt: z.string(),
  updatedAt: z.string(),
  previousSecretExpiresAt: z.string().nullable().describe('until when the secret before the last rotation still signs'),
});
const endpointWithSecret = endpointSchema.extend({
  secret: z.string().describe('whsec_…: shown only in this answer; verify callbacks with it (Standard Webhooks)'),
});
const deliverySchema = z.object({
  id: z.uuid(),
  endpointId: z.uuid(),
  eventId: z.string(),
  eventType: z.string(),
  status: z.string().describe('pending (waiting for an attempt or a retry), succeeded or failed'),
  createdAt: z.string(),
  nextAttemptAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  attempts: z.array(
    z.object({
      attemptedAt: z.string(),
      httpStatus: z.number().int().nullable().describe('null when no answer came (timeout, connection error)'),
      latencyMs: z.number().int(),
      error: z.string().nullable(),
    }),
  ),
});

const createBody = z.object({ url, events, description: description.optional() });
const updateBody = z
  .object({
    url: url.optional(),
    events: events.optional(),
    enabled: z.boolean().optional(),
    description: description.optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'name at least one of url, events, enabled, description',
  });
const deliveriesQuery = pageQuery.extend({ status: z.enum(['pending', 'succeeded', 'failed']).optional() });
const deliveryParams = idParams.extend({ deliveryId: z.uuid() });

/** A replay of a create or a rotation answers the record without the secret, which is never stored here. */
const withoutSecret = (payload: string) => {
  const { secret: _secret, ...record } = JSON.parse(payload) as Record<string, unknown>;
  return JSON.stringify(record);
};

const withSecretOf = ({ endpoint, secret }: Awaited<ReturnType<WebhookEndpoints['create']>>) => ({
  ...endpoint,
  secret,
});

export interface WebhookEndpointRouteDependencies {
  webhookEndpoints: WebhookEndpoints;
}

/** Outbound webhooks: the callback-service keeps the endpoints and delivers; these routes manage them (admin). */
export function webhookEndpointRoutes(app: FastifyInstance, deps: WebhookEndpointRouteDependencies) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const endpoints = deps.webhookEndpoints;

  api.post(
    '/v1/webhook-endpoints',
    {
      config: { permission: 'admin', storedAnswer: withoutSecret },
      schema: {
        tags,
        summary: 'Subscribe a URL to events; the signing secret is shown only in this answer',
        description:
          'https only (unless the deployment allows http), and the host must not resolve to a loopback, private, link-local or metadata address.',
        body: createBody,
        response: { 201: endpointWithSecret, ...errors },
      },
    },
    async (request, reply) => {
      const created = await endpoints.create(request.body);
      request.log.info({ webhookEndpointId: created.endpoint.id }, 'webhook endpoint created');
      return reply.code(201).send(withSecretOf(created));
    },
  );

  api.get(
    '/v1/webhook-endpoints',
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary: 'List webhook endpoints',
        querystring: pageQuery,
        response: { 200: pageOf(endpointSchema), ...errors },
      },
    },
    async (request) => endpoints.list(request.query),
  );

  api.get(
    '/v1/webhook-endpoints/:id',
    {
      config: { permission: 'admin' },
      schema: { tags, summary: 'One webhook endpoint', params: idParams, response: { 200: endpointSchema, ...errors } },
    },
    async (request) => endpoints.get(request.params.id),
  );

  api.patch(
    '/v1/webhook-endpoints/:id',
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary: 'Change the URL, the events or the description, or enable or disable the endpoint',
        description: 'Enabling an endpoint the service disabled (gone, failing) resumes its pending deliveries.',
        params: idParams,
        body: updateBody,
        response: { 200: endpointSchema, ...errors },
      },
    },
    async (request) => endpoints.update(request.params.id, request.body),
  );

  api.delete(
    '/v1/webhook-endpoints/:id',
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary: 'Delete an endpoint and its deliveries',
        params: idParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await endpoints.remove(request.params.id);
      request.log.info({ webhookEndpointId: request.params.id }, 'webhook endpoint deleted');
      return reply.code(204).send(null);
    },
  );

  api.post(
    '/v1/webhook-endpoints/:id/rotate-secret',
    {
      config: { permission: 'admin', storedAnswer: withoutSecret },
      schema: {
        tags,
        summary: 'A new signing secret; the previous one keeps signing beside it for 24 hours',
        params: idParams,
        response: { 200: endpointWithSecret, ...errors },
      },
    },
    async (request) => withSecretOf(await endpoints.rotateSecret(request.params.id)),
  );

  api.post(
    '/v1/webhook-endpoints/:id/test',
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary: 'Send a ping event to the endpoint',
        params: idParams,
        response: { 202: deliverySchema, ...errors },
      },
    },
    async (request, reply) => reply.code(202).send(await endpoints.sendTest(request.params.id)),
  );

  api.get(
    '/v1/webhook-endpoints/:id/deliveries',
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary: "The endpoint's deliveries, each with its attempts (time, HTTP status, latency)",
        params: idParams,
        querystring: deliveriesQuery,
        response: { 200: pageOf(deliverySchema), ...errors },
      },
    },
    async (request) => endpoints.deliveries(request.params.id, request.query),
  );

  api.post(
    '/v1/webhook-endpoints/:id/deliveries/:deliveryId/retry',
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary: 'Deliver a delivery again now (its event keeps its id)',
        params: deliveryParams,
        response: { 202: deliverySchema, ...errors },
      },
    },
    async (request, reply) => reply.code(202).send(await endpoints.retry(request.params.id, request.params.deliveryId)),
  );
}
