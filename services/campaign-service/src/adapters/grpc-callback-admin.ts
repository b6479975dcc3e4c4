import {
  callUnary,
  createGrpcClient,
  loadEktolaProto,
  type ListWebhookDeliveriesResponse,
  type ListWebhookEndpointsResponse,
  type WebhookDeliveryMessage,
  type WebhookEndpointMessage,
  type WebhookEndpointWithSecret,
} from '@ektola/platform/grpc';
import type { WebhookDeliveryView, WebhookEndpoints, WebhookEndpointView } from '../domain/ports.ts';

const orNull = (text: string) => text || null;

const endpointOf = (endpoint: WebhookEndpointMessage | null): WebhookEndpointView => ({
  id: endpoint?.id ?? '',
  url: endpoint?.url ?? '',
  description: endpoint?.description ?? '',
  events: endpoint?.events ?? [],
  enabled: endpoint?.enabled ?? false,
  disabledReason: orNull(endpoint?.disabledReason ?? ''),
  createdAt: endpoint?.createdAt ?? '',
  updatedAt: endpoint?.updatedAt ?? '',
  previousSecretExpiresAt: orNull(endpoint?.previousSecretExpiresAt ?? ''),
});

const deliveryOf = (delivery: WebhookDeliveryMessage): WebhookDeliveryView => ({
  id: delivery.id,
  endpointId: delivery.endpointId,
  eventId: delivery.eventId,
  eventType: delivery.eventType,
  status: delivery.status,
  createdAt: delivery.createdAt,
  nextAttemptAt: orNull(delivery.nextAttemptAt),
  completedAt: orNull(delivery.completedAt),
  attempts: delivery.attempts.map((attempt) => ({
    attemptedAt: attempt.attemptedAt,
    httpStatus: attempt.httpStatus || null,
    latencyMs: attempt.latencyMs,
    error: orNull(attempt.error),
  })),
});

const withSecret = (answer: WebhookEndpointWithSecret) => ({
  endpoint: endpointOf(answer.endpoint),
  secret: answer.secret,
});

/** The callback-service's CallbackAdmin: it owns endpoints and deliveries; its errors come back as domain errors. */
export function createGrpcCallbackAdmin(options: {
  address: string;
  deadlineMs: number;
  token: string;
}): WebhookEndpoints & { close(): void } {
  const client = createGrpcClient(loadEktolaProto().ektola.v1.CallbackAdmin, options.address, { token: options.token });
  const call = { deadlineMs: options.deadlineMs };
  return {
    async create(input) {
      const request = { url: input.url, events: input.events, description: input.description ?? '' };
      return withSecret(
        await callUnary<typeof request, WebhookEndpointWithSecret>(
          client.createWebhookEndpoint.bind(client),
          request,
          call,
        ),
      );
    },
    async list({ limit, cursor }) {
      const answer = await callUnary<{ limit: number; afterId: string }, ListWebhookEndpointsResponse>(
        client.listWebhookEndpoints.bind(client),
        { limit, afterId: cursor ?? '' },
        call,
      );
      return { items: answer.endpoints.map(endpointOf), nextCursor: orNull(answer.nextCursor) };
    },
    async get(id) {
      return endpointOf(
        await callUnary<{ id: string }, WebhookEndpointMessage>(client.getWebhookEndpoint.bind(client), { id }, call),
      );
    },
    async update(id, changes) {
      const request = {
        id,
        setUrl: changes.url !== undefined,
        url: changes.url ?? '',
        setEvents: changes.events !== undefined,
        events: changes.events ?? [],
        setEnabled: changes.enabled !== undefined,
        enabled: changes.enabled ?? false,
        setDescription: changes.description !== undefined,
        description: changes.description ?? '',
      };
      return endpointOf(
        await callUnary<typeof request, WebhookEndpointMessage>(
          client.updateWebhookEndpoint.bind(client),
          request,
          call,
        ),
      );
    },
    async remove(id) {
      await callUnary<{ id: string }, object>(client.deleteWebhookEndpoint.bind(client), { id }, call);
    },
    async rotateSecret(id) {
      return withSecret(
        await callUnary<{ id: string }, WebhookEndpointWithSecret>(
          client.rotateWebhookSecret.bind(client),
          { id },
          call,
        ),
      );
    },
    async sendTest(id) {
      return deliveryOf(
        await callUnary<{ id: string }, WebhookDeliveryMessage>(client.sendTestEvent.bind(client), { id }, call),
      );
    },
    async deliveries(id, { status, limit, cursor }) {
      const answer = await callUnary<
        { endpointId: string; status: string; limit: number; afterId: string },
        ListWebhookDeliveriesResponse
      >(
        client.listWebhookDeliveries.bind(client),
        { endpointId: id, status: status ?? '', limit, afterId: cursor ?? '' },
        call,
      );
      return { items: answer.deliveries.map(deliveryOf), nextCursor: orNull(answer.nextCursor) };
    },
    async retry(id, deliveryId) {
      return deliveryOf(
        await callUnary<{ endpointId: string; deliveryId: string }, WebhookDeliveryMessage>(
          client.retryWebhookDelivery.bind(client),
          { endpointId: id, deliveryId },
          call,
        ),
      );
    },
    close: () => client.close(),
  };
}
