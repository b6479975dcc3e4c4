// The generated message and service types, under names services can import from one place.
export type { Campaign__Output as Campaign } from './generated/ektola/v1/Campaign.ts';
export type { SchedulableCampaign__Output as SchedulableCampaign } from './generated/ektola/v1/SchedulableCampaign.ts';
export type { Run__Output as Run } from './generated/ektola/v1/Run.ts';
export type { Template__Output as Template } from './generated/ektola/v1/Template.ts';
export type { TemplateVariable__Output as TemplateVariable } from './generated/ektola/v1/TemplateVariable.ts';
export type { AudienceMember__Output as AudienceMember } from './generated/ektola/v1/AudienceMember.ts';
export type { AudienceBatch__Output as AudienceBatch } from './generated/ektola/v1/AudienceBatch.ts';
export type { CreateRunResponse__Output as CreateRunResponse } from './generated/ektola/v1/CreateRunResponse.ts';
export type { RunStats__Output as RunStats } from './generated/ektola/v1/RunStats.ts';
export type { Message__Output as DispatchMessage } from './generated/ektola/v1/Message.ts';
export type { RunRecipientBatch__Output as RunRecipientBatch } from './generated/ektola/v1/RunRecipientBatch.ts';
export type { ListMessagesResponse__Output as ListMessagesResponse } from './generated/ektola/v1/ListMessagesResponse.ts';
export type { ListSchedulableCampaignsResponse__Output as ListSchedulableCampaignsResponse } from './generated/ektola/v1/ListSchedulableCampaignsResponse.ts';
export type { CampaignQueryClient, CampaignQueryHandlers } from './generated/ektola/v1/CampaignQuery.ts';
export type { DispatchQueryClient, DispatchQueryHandlers } from './generated/ektola/v1/DispatchQuery.ts';
export type { RunReport__Output as RunReport } from './generated/ektola/v1/RunReport.ts';
export type { GetRunReportsResponse__Output as GetRunReportsResponse } from './generated/ektola/v1/GetRunReportsResponse.ts';
export type { MessageBatch__Output as MessageBatch } from './generated/ektola/v1/MessageBatch.ts';
