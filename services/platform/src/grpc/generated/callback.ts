import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { CallbackAdminClient as _ektola_v1_CallbackAdminClient, CallbackAdminDefinition as _ektola_v1_CallbackAdminDefinition } from './ektola/v1/CallbackAdmin.ts';
import type { CreateWebhookEndpointRequest as _ektola_v1_CreateWebhookEndpointRequest, CreateWebhookEndpointRequest__Output as _ektola_v1_CreateWebhookEndpointRequest__Output } from './ektola/v1/CreateWebhookEndpointRequest.ts';
import type { DeleteWebhookEndpointResponse as _ektola_v1_DeleteWebhookEndpointResponse, DeleteWebhookEndpointResponse__Output as _ektola_v1_DeleteWebhookEndpointResponse__Output } from './ektola/v1/DeleteWebhookEndpointResponse.ts';
import type { ListWebhookDeliveriesRequest as _ektola_v1_ListWebhookDeliveriesRequest, ListWebhookDeliveriesRequest__Output as _ektola_v1_ListWebhookDeliveriesRequest__Output } from './ektola/v1/ListWebhookDeliveriesRequest.ts';
import type { ListWebhookDeliveriesResponse as _ektola_v1_ListWebhookDeliveriesResponse, ListWebhookDeliveriesResponse__Output as _ektola_v1_ListWebhookDeliveriesResponse__Output } from './ektola/v1/ListWebhookDeliveriesResponse.ts';
import type { ListWebhookEndpointsRequest as _ektola_v1_ListWebhookEndpointsRequest, ListWebhookEndpointsRequest__Output as _ektola_v1_ListWebhookEndpointsRequest__Output } from './ektola/v1/ListWebhookEndpointsRequest.ts';
import type { ListWebhookEndpointsResponse as _ektola_v1_ListWebhookEndpointsResponse, ListWebhookEndpointsResponse__Output as _ektola_v1_ListWebhookEndpointsResponse__Output } from './ektola/v1/ListWebhookEndpointsResponse.ts';
import type { RetryWebhookDeliveryRequest as _ektola_v1_RetryWebhookDeliveryRequest, RetryWebhookDeliveryRequest__Output as _ektola_v1_RetryWebhookDeliveryRequest__Output } from './ektola/v1/RetryWebhookDeliveryRequest.ts';
import type { UpdateWebhookEndpointRequest as _ektola_v1_UpdateWebhookEndpointRequest, UpdateWebhookEndpointRequest__Output as _ektola_v1_UpdateWebhookEndpointRequest__Output } from './ektola/v1/UpdateWebhookEndpointRequest.ts';
import type { WebhookAttempt as _ektola_v1_WebhookAttempt, WebhookAttempt__Output as _ektola_v1_WebhookAttempt__Output } from './ektola/v1/WebhookAttempt.ts';
import type { WebhookDelivery as _ektola_v1_WebhookDelivery, WebhookDelivery__Output as _ektola_v1_WebhookDelivery__Output } from './ektola/v1/WebhookDelivery.ts';
import type { WebhookEndpoint as _ektola_v1_WebhookEndpoint, WebhookEndpoint__Output as _ektola_v1_WebhookEndpoint__Output } from './ektola/v1/WebhookEndpoint.ts';
import type { WebhookEndpointRef as _ektola_v1_WebhookEndpointRef, WebhookEndpointRef__Output as _ektola_v1_WebhookEndpointRef__Output } from './ektola/v1/WebhookEndpointRef.ts';
import type { WebhookEndpointWithSecret as _ektola_v1_WebhookEndpointWithSecret, WebhookEndpointWithSecret__Output as _ektola_v1_WebhookEndpointWithSecret__Output } from './ektola/v1/WebhookEndpointWithSecret.ts';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  ektola: {
    v1: {
      CallbackAdmin: SubtypeConstructor<typeof grpc.Client, _ektola_v1_CallbackAdminClient> & { service: _ektola_v1_CallbackAdminDefinition }
      CreateWebhookEndpointRequest: MessageTypeDefinition<_ektola_v1_CreateWebhookEndpointRequest, _ektola_v1_CreateWebhookEndpointRequest__Output>
      DeleteWebhookEndpointResponse: MessageTypeDefinition<_ektola_v1_DeleteWebhookEndpointResponse, _ektola_v1_DeleteWebhookEndpointResponse__Output>
      ListWebhookDeliveriesRequest: MessageTypeDefinition<_ektola_v1_ListWebhookDeliveriesRequest, _ektola_v1_ListWebhookDeliveriesRequest__Output>
      ListWebhookDeliveriesResponse: MessageTypeDefinition<_ektola_v1_ListWebhookDeliveriesResponse, _ektola_v1_ListWebhookDeliveriesResponse__Output>
      ListWebhookEndpointsRequest: MessageTypeDefinition<_ektola_v1_ListWebhookEndpointsRequest, _ektola_v1_ListWebhookEndpointsRequest__Output>
      ListWebhookEndpointsResponse: MessageTypeDefinition<_ektola_v1_ListWebhookEndpointsResponse, _ektola_v1_ListWebhookEndpointsResponse__Output>
      RetryWebhookDeliveryRequest: MessageTypeDefinition<_ektola_v1_RetryWebhookDeliveryRequest, _ektola_v1_RetryWebhookDeliveryRequest__Output>
      UpdateWebhookEndpointRequest: MessageTypeDefinition<_ektola_v1_UpdateWebhookEndpointRequest, _ektola_v1_UpdateWebhookEndpointRequest__Output>
      WebhookAttempt: MessageTypeDefinition<_ektola_v1_WebhookAttempt, _ektola_v1_WebhookAttempt__Output>
      WebhookDelivery: MessageTypeDefinition<_ektola_v1_WebhookDelivery, _ektola_v1_WebhookDelivery__Output>
      WebhookEndpoint: MessageTypeDefinition<_ektola_v1_WebhookEndpoint, _ektola_v1_WebhookEndpoint__Output>
      WebhookEndpointRef: MessageTypeDefinition<_ektola_v1_WebhookEndpointRef, _ektola_v1_WebhookEndpointRef__Output>
      WebhookEndpointWithSecret: MessageTypeDefinition<_ektola_v1_WebhookEndpointWithSecret, _ektola_v1_WebhookEndpointWithSecret__Output>
    }
  }
}

