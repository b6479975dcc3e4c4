import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AudienceBatch as _ektola_v1_AudienceBatch, AudienceBatch__Output as _ektola_v1_AudienceBatch__Output } from './ektola/v1/AudienceBatch.ts';
import type { AudienceMember as _ektola_v1_AudienceMember, AudienceMember__Output as _ektola_v1_AudienceMember__Output } from './ektola/v1/AudienceMember.ts';
import type { Campaign as _ektola_v1_Campaign, Campaign__Output as _ektola_v1_Campaign__Output } from './ektola/v1/Campaign.ts';
import type { CampaignQueryClient as _ektola_v1_CampaignQueryClient, CampaignQueryDefinition as _ektola_v1_CampaignQueryDefinition } from './ektola/v1/CampaignQuery.ts';
import type { CreateRunRequest as _ektola_v1_CreateRunRequest, CreateRunRequest__Output as _ektola_v1_CreateRunRequest__Output } from './ektola/v1/CreateRunRequest.ts';
import type { CreateRunResponse as _ektola_v1_CreateRunResponse, CreateRunResponse__Output as _ektola_v1_CreateRunResponse__Output } from './ektola/v1/CreateRunResponse.ts';
import type { GetCampaignRequest as _ektola_v1_GetCampaignRequest, GetCampaignRequest__Output as _ektola_v1_GetCampaignRequest__Output } from './ektola/v1/GetCampaignRequest.ts';
import type { GetRunRequest as _ektola_v1_GetRunRequest, GetRunRequest__Output as _ektola_v1_GetRunRequest__Output } from './ektola/v1/GetRunRequest.ts';
import type { GetTemplateRequest as _ektola_v1_GetTemplateRequest, GetTemplateRequest__Output as _ektola_v1_GetTemplateRequest__Output } from './ektola/v1/GetTemplateRequest.ts';
import type { ListSchedulableCampaignsRequest as _ektola_v1_ListSchedulableCampaignsRequest, ListSchedulableCampaignsRequest__Output as _ektola_v1_ListSchedulableCampaignsRequest__Output } from './ektola/v1/ListSchedulableCampaignsRequest.ts';
import type { ListSchedulableCampaignsResponse as _ektola_v1_ListSchedulableCampaignsResponse, ListSchedulableCampaignsResponse__Output as _ektola_v1_ListSchedulableCampaignsResponse__Output } from './ektola/v1/ListSchedulableCampaignsResponse.ts';
import type { RecordSchedulerRunRequest as _ektola_v1_RecordSchedulerRunRequest, RecordSchedulerRunRequest__Output as _ektola_v1_RecordSchedulerRunRequest__Output } from './ektola/v1/RecordSchedulerRunRequest.ts';
import type { RecordSchedulerRunResponse as _ektola_v1_RecordSchedulerRunResponse, RecordSchedulerRunResponse__Output as _ektola_v1_RecordSchedulerRunResponse__Output } from './ektola/v1/RecordSchedulerRunResponse.ts';
import type { Run as _ektola_v1_Run, Run__Output as _ektola_v1_Run__Output } from './ektola/v1/Run.ts';
import type { SchedulableCampaign as _ektola_v1_SchedulableCampaign, SchedulableCampaign__Output as _ektola_v1_SchedulableCampaign__Output } from './ektola/v1/SchedulableCampaign.ts';
import type { SkippedPeriod as _ektola_v1_SkippedPeriod, SkippedPeriod__Output as _ektola_v1_SkippedPeriod__Output } from './ektola/v1/SkippedPeriod.ts';
import type { StreamAudienceRequest as _ektola_v1_StreamAudienceRequest, StreamAudienceRequest__Output as _ektola_v1_StreamAudienceRequest__Output } from './ektola/v1/StreamAudienceRequest.ts';
import type { Template as _ektola_v1_Template, Template__Output as _ektola_v1_Template__Output } from './ektola/v1/Template.ts';
import type { TemplateVariable as _ektola_v1_TemplateVariable, TemplateVariable__Output as _ektola_v1_TemplateVariable__Output } from './ektola/v1/TemplateVariable.ts';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  ektola: {
    v1: {
      AudienceBatch: MessageTypeDefinition<_ektola_v1_AudienceBatch, _ektola_v1_AudienceBatch__Output>
      AudienceMember: MessageTypeDefinition<_ektola_v1_AudienceMember, _ektola_v1_AudienceMember__Output>
      Campaign: MessageTypeDefinition<_ektola_v1_Campaign, _ektola_v1_Campaign__Output>
      CampaignQuery: SubtypeConstructor<typeof grpc.Client, _ektola_v1_CampaignQueryClient> & { service: _ektola_v1_CampaignQueryDefinition }
      CreateRunRequest: MessageTypeDefinition<_ektola_v1_CreateRunRequest, _ektola_v1_CreateRunRequest__Output>
      CreateRunResponse: MessageTypeDefinition<_ektola_v1_CreateRunResponse, _ektola_v1_CreateRunResponse__Output>
      GetCampaignRequest: MessageTypeDefinition<_ektola_v1_GetCampaignRequest, _ektola_v1_GetCampaignRequest__Output>
      GetRunRequest: MessageTypeDefinition<_ektola_v1_GetRunRequest, _ektola_v1_GetRunRequest__Output>
      GetTemplateRequest: MessageTypeDefinition<_ektola_v1_GetTemplateRequest, _ektola_v1_GetTemplateRequest__Output>
      ListSchedulableCampaignsRequest: MessageTypeDefinition<_ektola_v1_ListSchedulableCampaignsRequest, _ektola_v1_ListSchedulableCampaignsRequest__Output>
      ListSchedulableCampaignsResponse: MessageTypeDefinition<_ektola_v1_ListSchedulableCampaignsResponse, _ektola_v1_ListSchedulableCampaignsResponse__Output>
      RecordSchedulerRunRequest: MessageTypeDefinition<_ektola_v1_RecordSchedulerRunRequest, _ektola_v1_RecordSchedulerRunRequest__Output>
      RecordSchedulerRunResponse: MessageTypeDefinition<_ektola_v1_RecordSchedulerRunResponse, _ektola_v1_RecordSchedulerRunResponse__Output>
      Run: MessageTypeDefinition<_ektola_v1_Run, _ektola_v1_Run__Output>
      SchedulableCampaign: MessageTypeDefinition<_ektola_v1_SchedulableCampaign, _ektola_v1_SchedulableCampaign__Output>
      SkippedPeriod: MessageTypeDefinition<_ektola_v1_SkippedPeriod, _ektola_v1_SkippedPeriod__Output>
      StreamAudienceRequest: MessageTypeDefinition<_ektola_v1_StreamAudienceRequest, _ektola_v1_StreamAudienceRequest__Output>
      Template: MessageTypeDefinition<_ektola_v1_Template, _ektola_v1_Template__Output>
      TemplateVariable: MessageTypeDefinition<_ektola_v1_TemplateVariable, _ektola_v1_TemplateVariable__Output>
    }
  }
}

