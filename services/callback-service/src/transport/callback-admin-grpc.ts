import {
  loadEktolaProto,
  unaryHandler,
  type GrpcServer,
  type ListWebhookDeliveriesResponse,
  type ListWebhookEndpointsResponse,
  type WebhookDeliveryMessage,
  type WebhookEndpointMessage,
  type WebhookEndpointWithSecret,
} from '@ektola/platform/grpc';
import type { Logger } from '@ektola/platform/logger';
import type { EndpointAdmin } from '../domain/endpoint-admin.ts';
import type { DeliveryView, Endpoint, EndpointChanges } from '../domain/ports.ts';

const text = (date: Date | null | undefined) => date?.toISOString() ?? '';
const maxPage = 500;
const pageSize = (limit: number) => Math.min(Math.max(limit || 50, 1), maxPage);

const endpointOf = (endpoint: Endpoint): WebhookEndpointMessage => ({
  id: endpoint.id,
  url: endpoint.url,
  description: endpoint.description,
  events: endpoint.events,
  enabled: endpoint.enabled,
  disabledReason: endpoint.disabledReason ?? '',
  createdAt: text(endpoint.createdAt),
  updatedAt: text(endpoint.updatedAt),
  previousSecretExpiresAt: text(endpoint.previousSecretExpiresAt),
});

const deliveryOf = (delivery: DeliveryView): WebhookDeliveryMessage => ({
  id: delivery.id,
  endpointId: delivery.endpointId,
  eventId: delivery.eventId,
  eventType: delivery.eventType,
  status: delivery.status,
  createdAt: text(delivery.createdAt),
  nextAttemptAt: text(delivery.nextAttemptAt),
  completedAt: text(delivery.completedAt),
  attempts: delivery.attempts.map((attempt) => ({
    attemptedAt: text(attempt.at),
    httpStatus: attempt.httpStatus ?? 0,
    latencyMs: attempt.latencyMs,
    error: attempt.error ?? '',
  })),
});

const nextCursor = <T extends { id: string }>(items: readonly T[], limit: number) =>
  items.length === limit ? (items.at(-1)?.id ?? '') : '';

/** CallbackAdmin: the campaign-service's public API manages endpoints and reads deliveries through it. */
export function addCallbackAdmin(grpc: GrpcServer, options: { admin: EndpointAdmin; logger: Logger }) {
  const { admin, logger } = options;
  const withSecret = ({ endpoint, secret }: { endpoint: Endpoint; secret: string }): WebhookEndpointWithSecret => ({
    endpoint: endpointOf(endpoint),
    secret,
  });
  grpc.server.addService(loadEktolaProto().ektola.v1.CallbackAdmin.service, {
    CreateWebhookEndpoint: unaryHandler(
      'CreateWebhookEndpoint',
      logger,
      async (request: { url: string; events: string[]; description: string }) =>
        withSecret(await admin.create(request)),
    ),
    ListWebhookEndpoints: unaryHandler(
      'ListWebhookEndpoints',
      logger,
      async (request: { limit: number; afterId: string }): Promise<ListWebhookEndpointsResponse> => {
        const limit = pageSize(request.limit);
        const endpoints = await admin.list({ limit, afterId: request.afterId || undefined });
        return { endpoints: endpoints.map(endpointOf), nextCursor: nextCursor(endpoints, limit) };
      },
    ),
    GetWebhookEndpoint: unaryHandler('GetWebhookEndpoint', logger, async (request: { id: string }) =>
      endpointOf(await admin.get(request.id)),
    ),
    UpdateWebhookEndpoint: unaryHandler(
      'UpdateWebhookEndpoint',
      logger,
      async (request: {
        id: string;
        setUrl: boolean;
        url: string;
        setEvents: boolean;
        events: string[];
        setEnabled: boolean;
        enabled: boolean;
        setDescription: boolean;
        description: string;
      }) => {
        const changes: EndpointChanges = {};
        if (request.setUrl) changes.url = request.url;
        if (request.setEvents) changes.events = request.events;
        if (request.setEnabled) changes.enabled = request.enabled;
        if (request.setDescription) changes.description = request.description;
        return endpointOf(await admin.update(request.id, changes));
      },
    ),
    DeleteWebhookEndpoint: unaryHandler('DeleteWebhookEndpoint', logger, async (request: { id: string }) => {
      await admin.remove(request.id);
      return {};
    }),
    RotateWebhookSecret: unaryHandler('RotateWebhookSecret', logger, async (request: { id: string }) =>
      withSecret(await admin.rotateSecret(request.id)),
    ),
    SendTestEvent: unaryHandler('SendTestEvent', logger, async (request: { id: string }) =>
      deliveryOf(await admin.sendTest(request.id)),
    ),
    ListWebhookDeliveries: unaryHandler(
      'ListWebhookDeliveries',
      logger,
      async (request: {
        endpointId: string;
        status: string;
        limit: number;
        afterId: string;
      }): Promise<ListWebhookDeliveriesResponse> => {
        const limit = pageSize(request.limit);
        const deliveries = await admin.deliveries({
          endpointId: request.endpointId,
          status: request.status,
          limit,
          afterId: request.afterId,
        });
        return { deliveries: deliveries.map(deliveryOf), nextCursor: nextCursor(deliveries, limit) };
      },
    ),
    RetryWebhookDelivery: unaryHandler(
      'RetryWebhookDelivery',
      logger,
      async (request: { endpointId: string; deliveryId: string }) =>
        deliveryOf(await admin.retry(request.endpointId, request.deliveryId)),
    ),
  });
}
