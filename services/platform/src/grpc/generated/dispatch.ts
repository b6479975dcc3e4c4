import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { BillableCount as _ektola_v1_BillableCount, BillableCount__Output as _ektola_v1_BillableCount__Output } from './ektola/v1/BillableCount.ts';
import type { ButtonCount as _ektola_v1_ButtonCount, ButtonCount__Output as _ektola_v1_ButtonCount__Output } from './ektola/v1/ButtonCount.ts';
import type { ConversationEntry as _ektola_v1_ConversationEntry, ConversationEntry__Output as _ektola_v1_ConversationEntry__Output } from './ektola/v1/ConversationEntry.ts';
import type { DispatchQueryClient as _ektola_v1_DispatchQueryClient, DispatchQueryDefinition as _ektola_v1_DispatchQueryDefinition } from './ektola/v1/DispatchQuery.ts';
import type { ErrorCount as _ektola_v1_ErrorCount, ErrorCount__Output as _ektola_v1_ErrorCount__Output } from './ektola/v1/ErrorCount.ts';
import type { ExportRunMessagesRequest as _ektola_v1_ExportRunMessagesRequest, ExportRunMessagesRequest__Output as _ektola_v1_ExportRunMessagesRequest__Output } from './ektola/v1/ExportRunMessagesRequest.ts';
import type { FindFrequencyCappedRequest as _ektola_v1_FindFrequencyCappedRequest, FindFrequencyCappedRequest__Output as _ektola_v1_FindFrequencyCappedRequest__Output } from './ektola/v1/FindFrequencyCappedRequest.ts';
import type { FindFrequencyCappedResponse as _ektola_v1_FindFrequencyCappedResponse, FindFrequencyCappedResponse__Output as _ektola_v1_FindFrequencyCappedResponse__Output } from './ektola/v1/FindFrequencyCappedResponse.ts';
import type { GetMessageRequest as _ektola_v1_GetMessageRequest, GetMessageRequest__Output as _ektola_v1_GetMessageRequest__Output } from './ektola/v1/GetMessageRequest.ts';
import type { GetRunReplyReportsResponse as _ektola_v1_GetRunReplyReportsResponse, GetRunReplyReportsResponse__Output as _ektola_v1_GetRunReplyReportsResponse__Output } from './ektola/v1/GetRunReplyReportsResponse.ts';
import type { GetRunReportsRequest as _ektola_v1_GetRunReportsRequest, GetRunReportsRequest__Output as _ektola_v1_GetRunReportsRequest__Output } from './ektola/v1/GetRunReportsRequest.ts';
import type { GetRunReportsResponse as _ektola_v1_GetRunReportsResponse, GetRunReportsResponse__Output as _ektola_v1_GetRunReportsResponse__Output } from './ektola/v1/GetRunReportsResponse.ts';
import type { GetRunStatsRequest as _ektola_v1_GetRunStatsRequest, GetRunStatsRequest__Output as _ektola_v1_GetRunStatsRequest__Output } from './ektola/v1/GetRunStatsRequest.ts';
import type { GetSenderActivityRequest as _ektola_v1_GetSenderActivityRequest, GetSenderActivityRequest__Output as _ektola_v1_GetSenderActivityRequest__Output } from './ektola/v1/GetSenderActivityRequest.ts';
import type { GetSenderActivityResponse as _ektola_v1_GetSenderActivityResponse, GetSenderActivityResponse__Output as _ektola_v1_GetSenderActivityResponse__Output } from './ektola/v1/GetSenderActivityResponse.ts';
import type { GetSendingOverviewRequest as _ektola_v1_GetSendingOverviewRequest, GetSendingOverviewRequest__Output as _ektola_v1_GetSendingOverviewRequest__Output } from './ektola/v1/GetSendingOverviewRequest.ts';
import type { ListConversationRequest as _ektola_v1_ListConversationRequest, ListConversationRequest__Output as _ektola_v1_ListConversationRequest__Output } from './ektola/v1/ListConversationRequest.ts';
import type { ListConversationResponse as _ektola_v1_ListConversationResponse, ListConversationResponse__Output as _ektola_v1_ListConversationResponse__Output } from './ektola/v1/ListConversationResponse.ts';
import type { ListMessagesRequest as _ektola_v1_ListMessagesRequest, ListMessagesRequest__Output as _ektola_v1_ListMessagesRequest__Output } from './ektola/v1/ListMessagesRequest.ts';
import type { ListMessagesResponse as _ektola_v1_ListMessagesResponse, ListMessagesResponse__Output as _ektola_v1_ListMessagesResponse__Output } from './ektola/v1/ListMessagesResponse.ts';
import type { ListRepliesRequest as _ektola_v1_ListRepliesRequest, ListRepliesRequest__Output as _ektola_v1_ListRepliesRequest__Output } from './ektola/v1/ListRepliesRequest.ts';
import type { ListRepliesResponse as _ektola_v1_ListRepliesResponse, ListRepliesResponse__Output as _ektola_v1_ListRepliesResponse__Output } from './ektola/v1/ListRepliesResponse.ts';
import type { Message as _ektola_v1_Message, Message__Output as _ektola_v1_Message__Output } from './ektola/v1/Message.ts';
import type { MessageBatch as _ektola_v1_MessageBatch, MessageBatch__Output as _ektola_v1_MessageBatch__Output } from './ektola/v1/MessageBatch.ts';
import type { MinuteCount as _ektola_v1_MinuteCount, MinuteCount__Output as _ektola_v1_MinuteCount__Output } from './ektola/v1/MinuteCount.ts';
import type { Reply as _ektola_v1_Reply, Reply__Output as _ektola_v1_Reply__Output } from './ektola/v1/Reply.ts';
import type { RunRecipientBatch as _ektola_v1_RunRecipientBatch, RunRecipientBatch__Output as _ektola_v1_RunRecipientBatch__Output } from './ektola/v1/RunRecipientBatch.ts';
import type { RunReplyReport as _ektola_v1_RunReplyReport, RunReplyReport__Output as _ektola_v1_RunReplyReport__Output } from './ektola/v1/RunReplyReport.ts';
import type { RunReport as _ektola_v1_RunReport, RunReport__Output as _ektola_v1_RunReport__Output } from './ektola/v1/RunReport.ts';
import type { RunSendsPerMinute as _ektola_v1_RunSendsPerMinute, RunSendsPerMinute__Output as _ektola_v1_RunSendsPerMinute__Output } from './ektola/v1/RunSendsPerMinute.ts';
import type { RunStats as _ektola_v1_RunStats, RunStats__Output as _ektola_v1_RunStats__Output } from './ektola/v1/RunStats.ts';
import type { SenderActivity as _ektola_v1_SenderActivity, SenderActivity__Output as _ektola_v1_SenderActivity__Output } from './ektola/v1/SenderActivity.ts';
import type { SendingAlert as _ektola_v1_SendingAlert, SendingAlert__Output as _ektola_v1_SendingAlert__Output } from './ektola/v1/SendingAlert.ts';
import type { SendingOverview as _ektola_v1_SendingOverview, SendingOverview__Output as _ektola_v1_SendingOverview__Output } from './ektola/v1/SendingOverview.ts';
import type { SkipCount as _ektola_v1_SkipCount, SkipCount__Output as _ektola_v1_SkipCount__Output } from './ektola/v1/SkipCount.ts';
import type { StatusCount as _ektola_v1_StatusCount, StatusCount__Output as _ektola_v1_StatusCount__Output } from './ektola/v1/StatusCount.ts';
import type { StreamRepliedRecipientsRequest as _ektola_v1_StreamRepliedRecipientsRequest, StreamRepliedRecipientsRequest__Output as _ektola_v1_StreamRepliedRecipientsRequest__Output } from './ektola/v1/StreamRepliedRecipientsRequest.ts';
import type { StreamRunRecipientsRequest as _ektola_v1_StreamRunRecipientsRequest, StreamRunRecipientsRequest__Output as _ektola_v1_StreamRunRecipientsRequest__Output } from './ektola/v1/StreamRunRecipientsRequest.ts';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  ektola: {
    v1: {
      BillableCount: MessageTypeDefinition<_ektola_v1_BillableCount, _ektola_v1_BillableCount__Output>
      ButtonCount: MessageTypeDefinition<_ektola_v1_ButtonCount, _ektola_v1_ButtonCount__Output>
      ConversationEntry: MessageTypeDefinition<_ektola_v1_ConversationEntry, _ektola_v1_ConversationEntry__Output>
      DispatchQuery: SubtypeConstructor<typeof grpc.Client, _ektola_v1_DispatchQueryClient> & { service: _ektola_v1_DispatchQueryDefinition }
      ErrorCount: MessageTypeDefinition<_ektola_v1_ErrorCount, _ektola_v1_ErrorCount__Output>
      ExportRunMessagesRequest: MessageTypeDefinition<_ektola_v1_ExportRunMessagesRequest, _ektola_v1_ExportRunMessagesRequest__Output>
      FindFrequencyCappedRequest: MessageTypeDefinition<_ektola_v1_FindFrequencyCappedRequest, _ektola_v1_FindFrequencyCappedRequest__Output>
      FindFrequencyCappedResponse: MessageTypeDefinition<_ektola_v1_FindFrequencyCappedResponse, _ektola_v1_FindFrequencyCappedResponse__Output>
      GetMessageRequest: MessageTypeDefinition<_ektola_v1_GetMessageRequest, _ektola_v1_GetMessageRequest__Output>
      GetRunReplyReportsResponse: MessageTypeDefinition<_ektola_v1_GetRunReplyReportsResponse, _ektola_v1_GetRunReplyReportsResponse__Output>
      GetRunReportsRequest: MessageTypeDefinition<_ektola_v1_GetRunReportsRequest, _ektola_v1_GetRunReportsRequest__Output>
      GetRunReportsResponse: MessageTypeDefinition<_ektola_v1_GetRunReportsResponse, _ektola_v1_GetRunReportsResponse__Output>
      GetRunStatsRequest: MessageTypeDefinition<_ektola_v1_GetRunStatsRequest, _ektola_v1_GetRunStatsRequest__Output>
      GetSenderActivityRequest: MessageTypeDefinition<_ektola_v1_GetSenderActivityRequest, _ektola_v1_GetSenderActivityRequest__Output>
      GetSenderActivityResponse: MessageTypeDefinition<_ektola_v1_GetSenderActivityResponse, _ektola_v1_GetSenderActivityResponse__Output>
      GetSendingOverviewRequest: MessageTypeDefinition<_ektola_v1_GetSendingOverviewRequest, _ektola_v1_GetSendingOverviewRequest__Output>
      ListConversationRequest: MessageTypeDefinition<_ektola_v1_ListConversationRequest, _ektola_v1_ListConversationRequest__Output>
      ListConversationResponse: MessageTypeDefinition<_ektola_v1_ListConversationResponse, _ektola_v1_ListConversationResponse__Output>
      ListMessagesRequest: MessageTypeDefinition<_ektola_v1_ListMessagesRequest, _ektola_v1_ListMessagesRequest__Output>
      ListMessagesResponse: MessageTypeDefinition<_ektola_v1_ListMessagesResponse, _ektola_v1_ListMessagesResponse__Output>
      ListRepliesRequest: MessageTypeDefinition<_ektola_v1_ListRepliesRequest, _ektola_v1_ListRepliesRequest__Output>
      ListRepliesResponse: MessageTypeDefinition<_ektola_v1_ListRepliesResponse, _ektola_v1_ListRepliesResponse__Output>
      Message: MessageTypeDefinition<_ektola_v1_Message, _ektola_v1_Message__Output>
      MessageBatch: MessageTypeDefinition<_ektola_v1_MessageBatch, _ektola_v1_MessageBatch__Output>
      MinuteCount: MessageTypeDefinition<_ektola_v1_MinuteCount, _ektola_v1_MinuteCount__Output>
      Reply: MessageTypeDefinition<_ektola_v1_Reply, _ektola_v1_Reply__Output>
      RunRecipientBatch: MessageTypeDefinition<_ektola_v1_RunRecipientBatch, _ektola_v1_RunRecipientBatch__Output>
      RunReplyReport: MessageTypeDefinition<_ektola_v1_RunReplyReport, _ektola_v1_RunReplyReport__Output>
      RunReport: MessageTypeDefinition<_ektola_v1_RunReport, _ektola_v1_RunReport__Output>
      RunSendsPerMinute: MessageTypeDefinition<_ektola_v1_RunSendsPerMinute, _ektola_v1_RunSendsPerMinute__Output>
      RunStats: MessageTypeDefinition<_ektola_v1_RunStats, _ektola_v1_RunStats__Output>
      SenderActivity: MessageTypeDefinition<_ektola_v1_SenderActivity, _ektola_v1_SenderActivity__Output>
      SendingAlert: MessageTypeDefinition<_ektola_v1_SendingAlert, _ektola_v1_SendingAlert__Output>
      SendingOverview: MessageTypeDefinition<_ektola_v1_SendingOverview, _ektola_v1_SendingOverview__Output>
      SkipCount: MessageTypeDefinition<_ektola_v1_SkipCount, _ektola_v1_SkipCount__Output>
      StatusCount: MessageTypeDefinition<_ektola_v1_StatusCount, _ektola_v1_StatusCount__Output>
      StreamRepliedRecipientsRequest: MessageTypeDefinition<_ektola_v1_StreamRepliedRecipientsRequest, _ektola_v1_StreamRepliedRecipientsRequest__Output>
      StreamRunRecipientsRequest: MessageTypeDefinition<_ektola_v1_StreamRunRecipientsRequest, _ektola_v1_StreamRunRecipientsRequest__Output>
    }
  }
}

