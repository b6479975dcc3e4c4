// Original file: proto/ektola/v1/campaign.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AudienceBatch as _ektola_v1_AudienceBatch, AudienceBatch__Output as _ektola_v1_AudienceBatch__Output } from '../../ektola/v1/AudienceBatch.ts';
import type { Campaign as _ektola_v1_Campaign, Campaign__Output as _ektola_v1_Campaign__Output } from '../../ektola/v1/Campaign.ts';
import type { CreateRunRequest as _ektola_v1_CreateRunRequest, CreateRunRequest__Output as _ektola_v1_CreateRunRequest__Output } from '../../ektola/v1/CreateRunRequest.ts';
import type { CreateRunResponse as _ektola_v1_CreateRunResponse, CreateRunResponse__Output as _ektola_v1_CreateRunResponse__Output } from '../../ektola/v1/CreateRunResponse.ts';
import type { GetCampaignRequest as _ektola_v1_GetCampaignRequest, GetCampaignRequest__Output as _ektola_v1_GetCampaignRequest__Output } from '../../ektola/v1/GetCampaignRequest.ts';
import type { GetRunRequest as _ektola_v1_GetRunRequest, GetRunRequest__Output as _ektola_v1_GetRunRequest__Output } from '../../ektola/v1/GetRunRequest.ts';
import type { GetTemplateRequest as _ektola_v1_GetTemplateRequest, GetTemplateRequest__Output as _ektola_v1_GetTemplateRequest__Output } from '../../ektola/v1/GetTemplateRequest.ts';
import type { ListSchedulableCampaignsRequest as _ektola_v1_ListSchedulableCampaignsRequest, ListSchedulableCampaignsRequest__Output as _ektola_v1_ListSchedulableCampaignsRequest__Output } from '../../ektola/v1/ListSchedulableCampaignsRequest.ts';
import type { ListSchedulableCampaignsResponse as _ektola_v1_ListSchedulableCampaignsResponse, ListSchedulableCampaignsResponse__Output as _ektola_v1_ListSchedulableCampaignsResponse__Output } from '../../ektola/v1/ListSchedulableCampaignsResponse.ts';
import type { RecordSchedulerRunRequest as _ektola_v1_RecordSchedulerRunRequest, RecordSchedulerRunRequest__Output as _ektola_v1_RecordSchedulerRunRequest__Output } from '../../ektola/v1/RecordSchedulerRunRequest.ts';
import type { RecordSchedulerRunResponse as _ektola_v1_RecordSchedulerRunResponse, RecordSchedulerRunResponse__Output as _ektola_v1_RecordSchedulerRunResponse__Output } from '../../ektola/v1/RecordSchedulerRunResponse.ts';
import type { Run as _ektola_v1_Run, Run__Output as _ektola_v1_Run__Output } from '../../ektola/v1/Run.ts';
import type { StreamAudienceRequest as _ektola_v1_StreamAudienceRequest, StreamAudienceRequest__Output as _ektola_v1_StreamAudienceRequest__Output } from '../../ektola/v1/StreamAudienceRequest.ts';
import type { Template as _ektola_v1_Template, Template__Output as _ektola_v1_Template__Output } from '../../ektola/v1/Template.ts';

export interface CampaignQueryClient extends grpc.Client {
  CreateRun(argument: _ektola_v1_CreateRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_CreateRunResponse__Output>): grpc.ClientUnaryCall;
  CreateRun(argument: _ektola_v1_CreateRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_CreateRunResponse__Output>): grpc.ClientUnaryCall;
  CreateRun(argument: _ektola_v1_CreateRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_CreateRunResponse__Output>): grpc.ClientUnaryCall;
  CreateRun(argument: _ektola_v1_CreateRunRequest, callback: grpc.requestCallback<_ektola_v1_CreateRunResponse__Output>): grpc.ClientUnaryCall;
  createRun(argument: _ektola_v1_CreateRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_CreateRunResponse__Output>): grpc.ClientUnaryCall;
  createRun(argument: _ektola_v1_CreateRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_CreateRunResponse__Output>): grpc.ClientUnaryCall;
  createRun(argument: _ektola_v1_CreateRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_CreateRunResponse__Output>): grpc.ClientUnaryCall;
  createRun(argument: _ektola_v1_CreateRunRequest, callback: grpc.requestCallback<_ektola_v1_CreateRunResponse__Output>): grpc.ClientUnaryCall;
  
  GetCampaign(argument: _ektola_v1_GetCampaignRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_Campaign__Output>): grpc.ClientUnaryCall;
  GetCampaign(argument: _ektola_v1_GetCampaignRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_Campaign__Output>): grpc.ClientUnaryCall;
  GetCampaign(argument: _ektola_v1_GetCampaignRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_Campaign__Output>): grpc.ClientUnaryCall;
  GetCampaign(argument: _ektola_v1_GetCampaignRequest, callback: grpc.requestCallback<_ektola_v1_Campaign__Output>): grpc.ClientUnaryCall;
  getCampaign(argument: _ektola_v1_GetCampaignRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_Campaign__Output>): grpc.ClientUnaryCall;
  getCampaign(argument: _ektola_v1_GetCampaignRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_Campaign__Output>): grpc.ClientUnaryCall;
  getCampaign(argument: _ektola_v1_GetCampaignRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_Campaign__Output>): grpc.ClientUnaryCall;
  getCampaign(argument: _ektola_v1_GetCampaignRequest, callback: grpc.requestCallback<_ektola_v1_Campaign__Output>): grpc.ClientUnaryCall;
  
  GetRun(argument: _ektola_v1_GetRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_Run__Output>): grpc.ClientUnaryCall;
  GetRun(argument: _ektola_v1_GetRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_Run__Output>): grpc.ClientUnaryCall;
  GetRun(argument: _ektola_v1_GetRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_Run__Output>): grpc.ClientUnaryCall;
  GetRun(argument: _ektola_v1_GetRunRequest, callback: grpc.requestCallback<_ektola_v1_Run__Output>): grpc.ClientUnaryCall;
  getRun(argument: _ektola_v1_GetRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_Run__Output>): grpc.ClientUnaryCall;
  getRun(argument: _ektola_v1_GetRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_Run__Output>): grpc.ClientUnaryCall;
  getRun(argument: _ektola_v1_GetRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_Run__Output>): grpc.ClientUnaryCall;
  getRun(argument: _ektola_v1_GetRunRequest, callback: grpc.requestCallback<_ektola_v1_Run__Output>): grpc.ClientUnaryCall;
  
  GetTemplate(argument: _ektola_v1_GetTemplateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_Template__Output>): grpc.ClientUnaryCall;
  GetTemplate(argument: _ektola_v1_GetTemplateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_Template__Output>): grpc.ClientUnaryCall;
  GetTemplate(argument: _ektola_v1_GetTemplateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_Template__Output>): grpc.ClientUnaryCall;
  GetTemplate(argument: _ektola_v1_GetTemplateRequest, callback: grpc.requestCallback<_ektola_v1_Template__Output>): grpc.ClientUnaryCall;
  getTemplate(argument: _ektola_v1_GetTemplateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_Template__Output>): grpc.ClientUnaryCall;
  getTemplate(argument: _ektola_v1_GetTemplateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_Template__Output>): grpc.ClientUnaryCall;
  getTemplate(argument: _ektola_v1_GetTemplateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_Template__Output>): grpc.ClientUnaryCall;
  getTemplate(argument: _ektola_v1_GetTemplateRequest, callback: grpc.requestCallback<_ektola_v1_Template__Output>): grpc.ClientUnaryCall;
  
  ListSchedulableCampaigns(argument: _ektola_v1_ListSchedulableCampaignsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListSchedulableCampaignsResponse__Output>): grpc.ClientUnaryCall;
  ListSchedulableCampaigns(argument: _ektola_v1_ListSchedulableCampaignsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_ListSchedulableCampaignsResponse__Output>): grpc.ClientUnaryCall;
  ListSchedulableCampaigns(argument: _ektola_v1_ListSchedulableCampaignsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListSchedulableCampaignsResponse__Output>): grpc.ClientUnaryCall;
  ListSchedulableCampaigns(argument: _ektola_v1_ListSchedulableCampaignsRequest, callback: grpc.requestCallback<_ektola_v1_ListSchedulableCampaignsResponse__Output>): grpc.ClientUnaryCall;
  listSchedulableCampaigns(argument: _ektola_v1_ListSchedulableCampaignsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListSchedulableCampaignsResponse__Output>): grpc.ClientUnaryCall;
  listSchedulableCampaigns(argument: _ektola_v1_ListSchedulableCampaignsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_ListSchedulableCampaignsResponse__Output>): grpc.ClientUnaryCall;
  listSchedulableCampaigns(argument: _ektola_v1_ListSchedulableCampaignsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListSchedulableCampaignsResponse__Output>): grpc.ClientUnaryCall;
  listSchedulableCampaigns(argument: _ektola_v1_ListSchedulableCampaignsRequest, callback: grpc.requestCallback<_ektola_v1_ListSchedulableCampaignsResponse__Output>): grpc.ClientUnaryCall;
  
  RecordSchedulerRun(argument: _ektola_v1_RecordSchedulerRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_RecordSchedulerRunResponse__Output>): grpc.ClientUnaryCall;
  RecordSchedulerRun(argument: _ektola_v1_RecordSchedulerRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_RecordSchedulerRunResponse__Output>): grpc.ClientUnaryCall;
  RecordSchedulerRun(argument: _ektola_v1_RecordSchedulerRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_RecordSchedulerRunResponse__Output>): grpc.ClientUnaryCall;
  RecordSchedulerRun(argument: _ektola_v1_RecordSchedulerRunRequest, callback: grpc.requestCallback<_ektola_v1_RecordSchedulerRunResponse__Output>): grpc.ClientUnaryCall;
  recordSchedulerRun(argument: _ektola_v1_RecordSchedulerRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_RecordSchedulerRunResponse__Output>): grpc.ClientUnaryCall;
  recordSchedulerRun(argument: _ektola_v1_RecordSchedulerRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_RecordSchedulerRunResponse__Output>): grpc.ClientUnaryCall;
  recordSchedulerRun(argument: _ektola_v1_RecordSchedulerRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_RecordSchedulerRunResponse__Output>): grpc.ClientUnaryCall;
  recordSchedulerRun(argument: _ektola_v1_RecordSchedulerRunRequest, callback: grpc.requestCallback<_ektola_v1_RecordSchedulerRunResponse__Output>): grpc.ClientUnaryCall;
  
  StreamAudience(argument: _ektola_v1_StreamAudienceRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_ektola_v1_AudienceBatch__Output>;
  StreamAudience(argument: _ektola_v1_StreamAudienceRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_ektola_v1_AudienceBatch__Output>;
  streamAudience(argument: _ektola_v1_StreamAudienceRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_ektola_v1_AudienceBatch__Output>;
  streamAudience(argument: _ektola_v1_StreamAudienceRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_ektola_v1_AudienceBatch__Output>;
  
}

export interface CampaignQueryHandlers extends grpc.UntypedServiceImplementation {
  CreateRun: grpc.handleUnaryCall<_ektola_v1_CreateRunRequest__Output, _ektola_v1_CreateRunResponse>;
  
  GetCampaign: grpc.handleUnaryCall<_ektola_v1_GetCampaignRequest__Output, _ektola_v1_Campaign>;
  
  GetRun: grpc.handleUnaryCall<_ektola_v1_GetRunRequest__Output, _ektola_v1_Run>;
  
  GetTemplate: grpc.handleUnaryCall<_ektola_v1_GetTemplateRequest__Output, _ektola_v1_Template>;
  
  ListSchedulableCampaigns: grpc.handleUnaryCall<_ektola_v1_ListSchedulableCampaignsRequest__Output, _ektola_v1_ListSchedulableCampaignsResponse>;
  
  RecordSchedulerRun: grpc.handleUnaryCall<_ektola_v1_RecordSchedulerRunRequest__Output, _ektola_v1_RecordSchedulerRunResponse>;
  
  StreamAudience: grpc.handleServerStreamingCall<_ektola_v1_StreamAudienceRequest__Output, _ektola_v1_AudienceBatch>;
  
}

export interface CampaignQueryDefinition extends grpc.ServiceDefinition {
  CreateRun: MethodDefinition<_ektola_v1_CreateRunRequest, _ektola_v1_CreateRunResponse, _ektola_v1_CreateRunRequest__Output, _ektola_v1_CreateRunResponse__Output>
  GetCampaign: MethodDefinition<_ektola_v1_GetCampaignRequest, _ektola_v1_Campaign, _ektola_v1_GetCampaignRequest__Output, _ektola_v1_Campaign__Output>
  GetRun: MethodDefinition<_ektola_v1_GetRunRequest, _ektola_v1_Run, _ektola_v1_GetRunRequest__Output, _ektola_v1_Run__Output>
  GetTemplate: MethodDefinition<_ektola_v1_GetTemplateRequest, _ektola_v1_Template, _ektola_v1_GetTemplateRequest__Output, _ektola_v1_Template__Output>
  ListSchedulableCampaigns: MethodDefinition<_ektola_v1_ListSchedulableCampaignsRequest, _ektola_v1_ListSchedulableCampaignsResponse, _ektola_v1_ListSchedulableCampaignsRequest__Output, _ektola_v1_ListSchedulableCampaignsResponse__Output>
  RecordSchedulerRun: MethodDefinition<_ektola_v1_RecordSchedulerRunRequest, _ektola_v1_RecordSchedulerRunResponse, _ektola_v1_RecordSchedulerRunRequest__Output, _ektola_v1_RecordSchedulerRunResponse__Output>
  StreamAudience: MethodDefinition<_ektola_v1_StreamAudienceRequest, _ektola_v1_AudienceBatch, _ektola_v1_StreamAudienceRequest__Output, _ektola_v1_AudienceBatch__Output>
}
