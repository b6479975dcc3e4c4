// Original file: proto/ektola/v1/callback.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateWebhookEndpointRequest as _ektola_v1_CreateWebhookEndpointRequest, CreateWebhookEndpointRequest__Output as _ektola_v1_CreateWebhookEndpointRequest__Output } from '../../ektola/v1/CreateWebhookEndpointRequest.ts';
import type { DeleteWebhookEndpointResponse as _ektola_v1_DeleteWebhookEndpointResponse, DeleteWebhookEndpointResponse__Output as _ektola_v1_DeleteWebhookEndpointResponse__Output } from '../../ektola/v1/DeleteWebhookEndpointResponse.ts';
import type { ListWebhookDeliveriesRequest as _ektola_v1_ListWebhookDeliveriesRequest, ListWebhookDeliveriesRequest__Output as _ektola_v1_ListWebhookDeliveriesRequest__Output } from '../../ektola/v1/ListWebhookDeliveriesRequest.ts';
import type { ListWebhookDeliveriesResponse as _ektola_v1_ListWebhookDeliveriesResponse, ListWebhookDeliveriesResponse__Output as _ektola_v1_ListWebhookDeliveriesResponse__Output } from '../../ektola/v1/ListWebhookDeliveriesResponse.ts';
import type { ListWebhookEndpointsRequest as _ektola_v1_ListWebhookEndpointsRequest, ListWebhookEndpointsRequest__Output as _ektola_v1_ListWebhookEndpointsRequest__Output } from '../../ektola/v1/ListWebhookEndpointsRequest.ts';
import type { ListWebhookEndpointsResponse as _ektola_v1_ListWebhookEndpointsResponse, ListWebhookEndpointsResponse__Output as _ektola_v1_ListWebhookEndpointsResponse__Output } from '../../ektola/v1/ListWebhookEndpointsResponse.ts';
import type { RetryWebhookDeliveryRequest as _ektola_v1_RetryWebhookDeliveryRequest, RetryWebhookDeliveryRequest__Output as _ektola_v1_RetryWebhookDeliveryRequest__Output } from '../../ektola/v1/RetryWebhookDeliveryRequest.ts';
import type { UpdateWebhookEndpointRequest as _ektola_v1_UpdateWebhookEndpointRequest, UpdateWebhookEndpointRequest__Output as _ektola_v1_UpdateWebhookEndpointRequest__Output } from '../../ektola/v1/UpdateWebhookEndpointRequest.ts';
import type { WebhookDelivery as _ektola_v1_WebhookDelivery, WebhookDelivery__Output as _ektola_v1_WebhookDelivery__Output } from '../../ektola/v1/WebhookDelivery.ts';
import type { WebhookEndpoint as _ektola_v1_WebhookEndpoint, WebhookEndpoint__Output as _ektola_v1_WebhookEndpoint__Output } from '../../ektola/v1/WebhookEndpoint.ts';
import type { WebhookEndpointRef as _ektola_v1_WebhookEndpointRef, WebhookEndpointRef__Output as _ektola_v1_WebhookEndpointRef__Output } from '../../ektola/v1/WebhookEndpointRef.ts';
import type { WebhookEndpointWithSecret as _ektola_v1_WebhookEndpointWithSecret, WebhookEndpointWithSecret__Output as _ektola_v1_WebhookEndpointWithSecret__Output } from '../../ektola/v1/WebhookEndpointWithSecret.ts';

export interface CallbackAdminClient extends grpc.Client {
  CreateWebhookEndpoint(argument: _ektola_v1_CreateWebhookEndpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookEndpointWithSecret__Output>): grpc.ClientUnaryCall;
  CreateWebhookEndpoint(argument: _ektola_v1_CreateWebhookEndpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_WebhookEndpointWithSecret__Output>): grpc.ClientUnaryCall;
  CreateWebhookEndpoint(argument: _ektola_v1_CreateWebhookEndpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookEndpointWithSecret__Output>): grpc.ClientUnaryCall;
  CreateWebhookEndpoint(argument: _ektola_v1_CreateWebhookEndpointRequest, callback: grpc.requestCallback<_ektola_v1_WebhookEndpointWithSecret__Output>): grpc.ClientUnaryCall;
  createWebhookEndpoint(argument: _ektola_v1_CreateWebhookEndpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookEndpointWithSecret__Output>): grpc.ClientUnaryCall;
  createWebhookEndpoint(argument: _ektola_v1_CreateWebhookEndpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_WebhookEndpointWithSecret__Output>): grpc.ClientUnaryCall;
  createWebhookEndpoint(argument: _ektola_v1_CreateWebhookEndpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookEndpointWithSecret__Output>): grpc.ClientUnaryCall;
  createWebhookEndpoint(argument: _ektola_v1_CreateWebhookEndpointRequest, callback: grpc.requestCallback<_ektola_v1_WebhookEndpointWithSecret__Output>): grpc.ClientUnaryCall;
  
  DeleteWebhookEndpoint(argument: _ektola_v1_WebhookEndpointRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_DeleteWebhookEndpointResponse__Output>): grpc.ClientUnaryCall;
  DeleteWebhookEndpoint(argument: _ektola_v1_WebhookEndpointRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_DeleteWebhookEndpointResponse__Output>): grpc.ClientUnaryCall;
  DeleteWebhookEndpoint(argument: _ektola_v1_WebhookEndpointRef, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_DeleteWebhookEndpointResponse__Output>): grpc.ClientUnaryCall;
  DeleteWebhookEndpoint(argument: _ektola_v1_WebhookEndpointRef, callback: grpc.requestCallback<_ektola_v1_DeleteWebhookEndpointResponse__Output>): grpc.ClientUnaryCall;
  deleteWebhookEndpoint(argument: _ektola_v1_WebhookEndpointRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_DeleteWebhookEndpointResponse__Output>): grpc.ClientUnaryCall;
  deleteWebhookEndpoint(argument: _ektola_v1_WebhookEndpointRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_DeleteWebhookEndpointResponse__Output>): grpc.ClientUnaryCall;
  deleteWebhookEndpoint(argument: _ektola_v1_WebhookEndpointRef, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_DeleteWebhookEndpointResponse__Output>): grpc.ClientUnaryCall;
  deleteWebhookEndpoint(argument: _ektola_v1_WebhookEndpointRef, callback: grpc.requestCallback<_ektola_v1_DeleteWebhookEndpointResponse__Output>): grpc.ClientUnaryCall;
  
  GetWebhookEndpoint(argument: _ektola_v1_WebhookEndpointRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookEndpoint__Output>): grpc.ClientUnaryCall;
  GetWebhookEndpoint(argument: _ektola_v1_WebhookEndpointRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_WebhookEndpoint__Output>): grpc.ClientUnaryCall;
  GetWebhookEndpoint(argument: _ektola_v1_WebhookEndpointRef, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookEndpoint__Output>): grpc.ClientUnaryCall;
  GetWebhookEndpoint(argument: _ektola_v1_WebhookEndpointRef, callback: grpc.requestCallback<_ektola_v1_WebhookEndpoint__Output>): grpc.ClientUnaryCall;
  getWebhookEndpoint(argument: _ektola_v1_WebhookEndpointRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookEndpoint__Output>): grpc.ClientUnaryCall;
  getWebhookEndpoint(argument: _ektola_v1_WebhookEndpointRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_WebhookEndpoint__Output>): grpc.ClientUnaryCall;
  getWebhookEndpoint(argument: _ektola_v1_WebhookEndpointRef, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookEndpoint__Output>): grpc.ClientUnaryCall;
  getWebhookEndpoint(argument: _ektola_v1_WebhookEndpointRef, callback: grpc.requestCallback<_ektola_v1_WebhookEndpoint__Output>): grpc.ClientUnaryCall;
  
  ListWebhookDeliveries(argument: _ektola_v1_ListWebhookDeliveriesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListWebhookDeliveriesResponse__Output>): grpc.ClientUnaryCall;
  ListWebhookDeliveries(argument: _ektola_v1_ListWebhookDeliveriesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_ListWebhookDeliveriesResponse__Output>): grpc.ClientUnaryCall;
  ListWebhookDeliveries(argument: _ektola_v1_ListWebhookDeliveriesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListWebhookDeliveriesResponse__Output>): grpc.ClientUnaryCall;
  ListWebhookDeliveries(argument: _ektola_v1_ListWebhookDeliveriesRequest, callback: grpc.requestCallback<_ektola_v1_ListWebhookDeliveriesResponse__Output>): grpc.ClientUnaryCall;
  listWebhookDeliveries(argument: _ektola_v1_ListWebhookDeliveriesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListWebhookDeliveriesResponse__Output>): grpc.ClientUnaryCall;
  listWebhookDeliveries(argument: _ektola_v1_ListWebhookDeliveriesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_ListWebhookDeliveriesResponse__Output>): grpc.ClientUnaryCall;
  listWebhookDeliveries(argument: _ektola_v1_ListWebhookDeliveriesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListWebhookDeliveriesResponse__Output>): grpc.ClientUnaryCall;
  listWebhookDeliveries(argument: _ektola_v1_ListWebhookDeliveriesRequest, callback: grpc.requestCallback<_ektola_v1_ListWebhookDeliveriesResponse__Output>): grpc.ClientUnaryCall;
  
  ListWebhookEndpoints(argument: _ektola_v1_ListWebhookEndpointsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListWebhookEndpointsResponse__Output>): grpc.ClientUnaryCall;
  ListWebhookEndpoints(argument: _ektola_v1_ListWebhookEndpointsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_ListWebhookEndpointsResponse__Output>): grpc.ClientUnaryCall;
  ListWebhookEndpoints(argument: _ektola_v1_ListWebhookEndpointsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListWebhookEndpointsResponse__Output>): grpc.ClientUnaryCall;
  ListWebhookEndpoints(argument: _ektola_v1_ListWebhookEndpointsRequest, callback: grpc.requestCallback<_ektola_v1_ListWebhookEndpointsResponse__Output>): grpc.ClientUnaryCall;
  listWebhookEndpoints(argument: _ektola_v1_ListWebhookEndpointsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListWebhookEndpointsResponse__Output>): grpc.ClientUnaryCall;
  listWebhookEndpoints(argument: _ektola_v1_ListWebhookEndpointsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_ListWebhookEndpointsResponse__Output>): grpc.ClientUnaryCall;
  listWebhookEndpoints(argument: _ektola_v1_ListWebhookEndpointsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListWebhookEndpointsResponse__Output>): grpc.ClientUnaryCall;
  listWebhookEndpoints(argument: _ektola_v1_ListWebhookEndpointsRequest, callback: grpc.requestCallback<_ektola_v1_ListWebhookEndpointsResponse__Output>): grpc.ClientUnaryCall;
  
  RetryWebhookDelivery(argument: _ektola_v1_RetryWebhookDeliveryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookDelivery__Output>): grpc.ClientUnaryCall;
  RetryWebhookDelivery(argument: _ektola_v1_RetryWebhookDeliveryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_WebhookDelivery__Output>): grpc.ClientUnaryCall;
  RetryWebhookDelivery(argument: _ektola_v1_RetryWebhookDeliveryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookDelivery__Output>): grpc.ClientUnaryCall;
  RetryWebhookDelivery(argument: _ektola_v1_RetryWebhookDeliveryRequest, callback: grpc.requestCallback<_ektola_v1_WebhookDelivery__Output>): grpc.ClientUnaryCall;
  retryWebhookDelivery(argument: _ektola_v1_RetryWebhookDeliveryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookDelivery__Output>): grpc.ClientUnaryCall;
  retryWebhookDelivery(argument: _ektola_v1_RetryWebhookDeliveryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_WebhookDelivery__Output>): grpc.ClientUnaryCall;
  retryWebhookDelivery(argument: _ektola_v1_RetryWebhookDeliveryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookDelivery__Output>): grpc.ClientUnaryCall;
  retryWebhookDelivery(argument: _ektola_v1_RetryWebhookDeliveryRequest, callback: grpc.requestCallback<_ektola_v1_WebhookDelivery__Output>): grpc.ClientUnaryCall;
  
  RotateWebhookSecret(argument: _ektola_v1_WebhookEndpointRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookEndpointWithSecret__Output>): grpc.ClientUnaryCall;
  RotateWebhookSecret(argument: _ektola_v1_WebhookEndpointRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_WebhookEndpointWithSecret__Output>): grpc.ClientUnaryCall;
  RotateWebhookSecret(argument: _ektola_v1_WebhookEndpointRef, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookEndpointWithSecret__Output>): grpc.ClientUnaryCall;
  RotateWebhookSecret(argument: _ektola_v1_WebhookEndpointRef, callback: grpc.requestCallback<_ektola_v1_WebhookEndpointWithSecret__Output>): grpc.ClientUnaryCall;
  rotateWebhookSecret(argument: _ektola_v1_WebhookEndpointRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookEndpointWithSecret__Output>): grpc.ClientUnaryCall;
  rotateWebhookSecret(argument: _ektola_v1_WebhookEndpointRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_WebhookEndpointWithSecret__Output>): grpc.ClientUnaryCall;
  rotateWebhookSecret(argument: _ektola_v1_WebhookEndpointRef, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookEndpointWithSecret__Output>): grpc.ClientUnaryCall;
  rotateWebhookSecret(argument: _ektola_v1_WebhookEndpointRef, callback: grpc.requestCallback<_ektola_v1_WebhookEndpointWithSecret__Output>): grpc.ClientUnaryCall;
  
  SendTestEvent(argument: _ektola_v1_WebhookEndpointRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookDelivery__Output>): grpc.ClientUnaryCall;
  SendTestEvent(argument: _ektola_v1_WebhookEndpointRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_WebhookDelivery__Output>): grpc.ClientUnaryCall;
  SendTestEvent(argument: _ektola_v1_WebhookEndpointRef, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookDelivery__Output>): grpc.ClientUnaryCall;
  SendTestEvent(argument: _ektola_v1_WebhookEndpointRef, callback: grpc.requestCallback<_ektola_v1_WebhookDelivery__Output>): grpc.ClientUnaryCall;
  sendTestEvent(argument: _ektola_v1_WebhookEndpointRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookDelivery__Output>): grpc.ClientUnaryCall;
  sendTestEvent(argument: _ektola_v1_WebhookEndpointRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_WebhookDelivery__Output>): grpc.ClientUnaryCall;
  sendTestEvent(argument: _ektola_v1_WebhookEndpointRef, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookDelivery__Output>): grpc.ClientUnaryCall;
  sendTestEvent(argument: _ektola_v1_WebhookEndpointRef, callback: grpc.requestCallback<_ektola_v1_WebhookDelivery__Output>): grpc.ClientUnaryCall;
  
  UpdateWebhookEndpoint(argument: _ektola_v1_UpdateWebhookEndpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookEndpoint__Output>): grpc.ClientUnaryCall;
  UpdateWebhookEndpoint(argument: _ektola_v1_UpdateWebhookEndpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_WebhookEndpoint__Output>): grpc.ClientUnaryCall;
  UpdateWebhookEndpoint(argument: _ektola_v1_UpdateWebhookEndpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookEndpoint__Output>): grpc.ClientUnaryCall;
  UpdateWebhookEndpoint(argument: _ektola_v1_UpdateWebhookEndpointRequest, callback: grpc.requestCallback<_ektola_v1_WebhookEndpoint__Output>): grpc.ClientUnaryCall;
  updateWebhookEndpoint(argument: _ektola_v1_UpdateWebhookEndpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookEndpoint__Output>): grpc.ClientUnaryCall;
  updateWebhookEndpoint(argument: _ektola_v1_UpdateWebhookEndpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_WebhookEndpoint__Output>): grpc.ClientUnaryCall;
  updateWebhookEndpoint(argument: _ektola_v1_UpdateWebhookEndpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_WebhookEndpoint__Output>): grpc.ClientUnaryCall;
  updateWebhookEndpoint(argument: _ektola_v1_UpdateWebhookEndpointRequest, callback: grpc.requestCallback<_ektola_v1_WebhookEndpoint__Output>): grpc.ClientUnaryCall;
  
}

export interface CallbackAdminHandlers extends grpc.UntypedServiceImplementation {
  CreateWebhookEndpoint: grpc.handleUnaryCall<_ektola_v1_CreateWebhookEndpointRequest__Output, _ektola_v1_WebhookEndpointWithSecret>;
  
  DeleteWebhookEndpoint: grpc.handleUnaryCall<_ektola_v1_WebhookEndpointRef__Output, _ektola_v1_DeleteWebhookEndpointResponse>;
  
  GetWebhookEndpoint: grpc.handleUnaryCall<_ektola_v1_WebhookEndpointRef__Output, _ektola_v1_WebhookEndpoint>;
  
  ListWebhookDeliveries: grpc.handleUnaryCall<_ektola_v1_ListWebhookDeliveriesRequest__Output, _ektola_v1_ListWebhookDeliveriesResponse>;
  
  ListWebhookEndpoints: grpc.handleUnaryCall<_ektola_v1_ListWebhookEndpointsRequest__Output, _ektola_v1_ListWebhookEndpointsResponse>;
  
  RetryWebhookDelivery: grpc.handleUnaryCall<_ektola_v1_RetryWebhookDeliveryRequest__Output, _ektola_v1_WebhookDelivery>;
  
  RotateWebhookSecret: grpc.handleUnaryCall<_ektola_v1_WebhookEndpointRef__Output, _ektola_v1_WebhookEndpointWithSecret>;
  
  SendTestEvent: grpc.handleUnaryCall<_ektola_v1_WebhookEndpointRef__Output, _ektola_v1_WebhookDelivery>;
  
  UpdateWebhookEndpoint: grpc.handleUnaryCall<_ektola_v1_UpdateWebhookEndpointRequest__Output, _ektola_v1_WebhookEndpoint>;
  
}

export interface CallbackAdminDefinition extends grpc.ServiceDefinition {
  CreateWebhookEndpoint: MethodDefinition<_ektola_v1_CreateWebhookEndpointRequest, _ektola_v1_WebhookEndpointWithSecret, _ektola_v1_CreateWebhookEndpointRequest__Output, _ektola_v1_WebhookEndpointWithSecret__Output>
  DeleteWebhookEndpoint: MethodDefinition<_ektola_v1_WebhookEndpointRef, _ektola_v1_DeleteWebhookEndpointResponse, _ektola_v1_WebhookEndpointRef__Output, _ektola_v1_DeleteWebhookEndpointResponse__Output>
  GetWebhookEndpoint: MethodDefinition<_ektola_v1_WebhookEndpointRef, _ektola_v1_WebhookEndpoint, _ektola_v1_WebhookEndpointRef__Output, _ektola_v1_WebhookEndpoint__Output>
  ListWebhookDeliveries: MethodDefinition<_ektola_v1_ListWebhookDeliveriesRequest, _ektola_v1_ListWebhookDeliveriesResponse, _ektola_v1_ListWebhookDeliveriesRequest__Output, _ektola_v1_ListWebhookDeliveriesResponse__Output>
  ListWebhookEndpoints: MethodDefinition<_ektola_v1_ListWebhookEndpointsRequest, _ektola_v1_ListWebhookEndpointsResponse, _ektola_v1_ListWebhookEndpointsRequest__Output, _ektola_v1_ListWebhookEndpointsResponse__Output>
  RetryWebhookDelivery: MethodDefinition<_ektola_v1_RetryWebhookDeliveryRequest, _ektola_v1_WebhookDelivery, _ektola_v1_RetryWebhookDeliveryRequest__Output, _ektola_v1_WebhookDelivery__Output>
  RotateWebhookSecret: MethodDefinition<_ektola_v1_WebhookEndpointRef, _ektola_v1_WebhookEndpointWithSecret, _ektola_v1_WebhookEndpointRef__Output, _ektola_v1_WebhookEndpointWithSecret__Output>
  SendTestEvent: MethodDefinition<_ektola_v1_WebhookEndpointRef, _ektola_v1_WebhookDelivery, _ektola_v1_WebhookEndpointRef__Output, _ektola_v1_WebhookDelivery__Output>
  UpdateWebhookEndpoint: MethodDefinition<_ektola_v1_UpdateWebhookEndpointRequest, _ektola_v1_WebhookEndpoint, _ektola_v1_UpdateWebhookEndpointRequest__Output, _ektola_v1_WebhookEndpoint__Output>
}
