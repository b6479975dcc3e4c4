// Original file: proto/ektola/v1/dispatch.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ExportRunMessagesRequest as _ektola_v1_ExportRunMessagesRequest, ExportRunMessagesRequest__Output as _ektola_v1_ExportRunMessagesRequest__Output } from '../../ektola/v1/ExportRunMessagesRequest.ts';
import type { FindFrequencyCappedRequest as _ektola_v1_FindFrequencyCappedRequest, FindFrequencyCappedRequest__Output as _ektola_v1_FindFrequencyCappedRequest__Output } from '../../ektola/v1/FindFrequencyCappedRequest.ts';
import type { FindFrequencyCappedResponse as _ektola_v1_FindFrequencyCappedResponse, FindFrequencyCappedResponse__Output as _ektola_v1_FindFrequencyCappedResponse__Output } from '../../ektola/v1/FindFrequencyCappedResponse.ts';
import type { GetMessageRequest as _ektola_v1_GetMessageRequest, GetMessageRequest__Output as _ektola_v1_GetMessageRequest__Output } from '../../ektola/v1/GetMessageRequest.ts';
import type { GetRunReplyReportsResponse as _ektola_v1_GetRunReplyReportsResponse, GetRunReplyReportsResponse__Output as _ektola_v1_GetRunReplyReportsResponse__Output } from '../../ektola/v1/GetRunReplyReportsResponse.ts';
import type { GetRunReportsRequest as _ektola_v1_GetRunReportsRequest, GetRunReportsRequest__Output as _ektola_v1_GetRunReportsRequest__Output } from '../../ektola/v1/GetRunReportsRequest.ts';
import type { GetRunReportsResponse as _ektola_v1_GetRunReportsResponse, GetRunReportsResponse__Output as _ektola_v1_GetRunReportsResponse__Output } from '../../ektola/v1/GetRunReportsResponse.ts';
import type { GetRunStatsRequest as _ektola_v1_GetRunStatsRequest, GetRunStatsRequest__Output as _ektola_v1_GetRunStatsRequest__Output } from '../../ektola/v1/GetRunStatsRequest.ts';
import type { GetSenderActivityRequest as _ektola_v1_GetSenderActivityRequest, GetSenderActivityRequest__Output as _ektola_v1_GetSenderActivityRequest__Output } from '../../ektola/v1/GetSenderActivityRequest.ts';
import type { GetSenderActivityResponse as _ektola_v1_GetSenderActivityResponse, GetSenderActivityResponse__Output as _ektola_v1_GetSenderActivityResponse__Output } from '../../ektola/v1/GetSenderActivityResponse.ts';
import type { GetSendingOverviewRequest as _ektola_v1_GetSendingOverviewRequest, GetSendingOverviewRequest__Output as _ektola_v1_GetSendingOverviewRequest__Output } from '../../ektola/v1/GetSendingOverviewRequest.ts';
import type { ListConversationRequest as _ektola_v1_ListConversationRequest, ListConversationRequest__Output as _ektola_v1_ListConversationRequest__Output } from '../../ektola/v1/ListConversationRequest.ts';
import type { ListConversationResponse as _ektola_v1_ListConversationResponse, ListConversationResponse__Output as _ektola_v1_ListConversationResponse__Output } from '../../ektola/v1/ListConversationResponse.ts';
import type { ListMessagesRequest as _ektola_v1_ListMessagesRequest, ListMessagesRequest__Output as _ektola_v1_ListMessagesRequest__Output } from '../../ektola/v1/ListMessagesRequest.ts';
import type { ListMessagesResponse as _ektola_v1_ListMessagesResponse, ListMessagesResponse__Output as _ektola_v1_ListMessagesResponse__Output } from '../../ektola/v1/ListMessagesResponse.ts';
import type { ListRepliesRequest as _ektola_v1_ListRepliesRequest, ListRepliesRequest__Output as _ektola_v1_ListRepliesRequest__Output } from '../../ektola/v1/ListRepliesRequest.ts';
import type { ListRepliesResponse as _ektola_v1_ListRepliesResponse, ListRepliesResponse__Output as _ektola_v1_ListRepliesResponse__Output } from '../../ektola/v1/ListRepliesResponse.ts';
import type { Message as _ektola_v1_Message, Message__Output as _ektola_v1_Message__Output } from '../../ektola/v1/Message.ts';
import type { MessageBatch as _ektola_v1_MessageBatch, MessageBatch__Output as _ektola_v1_MessageBatch__Output } from '../../ektola/v1/MessageBatch.ts';
import type { RunRecipientBatch as _ektola_v1_RunRecipientBatch, RunRecipientBatch__Output as _ektola_v1_RunRecipientBatch__Output } from '../../ektola/v1/RunRecipientBatch.ts';
import type { RunSendsPerMinute as _ektola_v1_RunSendsPerMinute, RunSendsPerMinute__Output as _ektola_v1_RunSendsPerMinute__Output } from '../../ektola/v1/RunSendsPerMinute.ts';
import type { RunStats as _ektola_v1_RunStats, RunStats__Output as _ektola_v1_RunStats__Output } from '../../ektola/v1/RunStats.ts';
import type { SendingOverview as _ektola_v1_SendingOverview, SendingOverview__Output as _ektola_v1_SendingOverview__Output } from '../../ektola/v1/SendingOverview.ts';
import type { StreamRepliedRecipientsRequest as _ektola_v1_StreamRepliedRecipientsRequest, StreamRepliedRecipientsRequest__Output as _ektola_v1_StreamRepliedRecipientsRequest__Output } from '../../ektola/v1/StreamRepliedRecipientsRequest.ts';
import type { StreamRunRecipientsRequest as _ektola_v1_StreamRunRecipientsRequest, StreamRunRecipientsRequest__Output as _ektola_v1_StreamRunRecipientsRequest__Output } from '../../ektola/v1/StreamRunRecipientsRequest.ts';

export interface DispatchQueryClient extends grpc.Client {
  ExportRunMessages(argument: _ektola_v1_ExportRunMessagesRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_ektola_v1_MessageBatch__Output>;
  ExportRunMessages(argument: _ektola_v1_ExportRunMessagesRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_ektola_v1_MessageBatch__Output>;
  exportRunMessages(argument: _ektola_v1_ExportRunMessagesRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_ektola_v1_MessageBatch__Output>;
  exportRunMessages(argument: _ektola_v1_ExportRunMessagesRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_ektola_v1_MessageBatch__Output>;
  
  FindFrequencyCapped(argument: _ektola_v1_FindFrequencyCappedRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_FindFrequencyCappedResponse__Output>): grpc.ClientUnaryCall;
  FindFrequencyCapped(argument: _ektola_v1_FindFrequencyCappedRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_FindFrequencyCappedResponse__Output>): grpc.ClientUnaryCall;
  FindFrequencyCapped(argument: _ektola_v1_FindFrequencyCappedRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_FindFrequencyCappedResponse__Output>): grpc.ClientUnaryCall;
  FindFrequencyCapped(argument: _ektola_v1_FindFrequencyCappedRequest, callback: grpc.requestCallback<_ektola_v1_FindFrequencyCappedResponse__Output>): grpc.ClientUnaryCall;
  findFrequencyCapped(argument: _ektola_v1_FindFrequencyCappedRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_FindFrequencyCappedResponse__Output>): grpc.ClientUnaryCall;
  findFrequencyCapped(argument: _ektola_v1_FindFrequencyCappedRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_FindFrequencyCappedResponse__Output>): grpc.ClientUnaryCall;
  findFrequencyCapped(argument: _ektola_v1_FindFrequencyCappedRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_FindFrequencyCappedResponse__Output>): grpc.ClientUnaryCall;
  findFrequencyCapped(argument: _ektola_v1_FindFrequencyCappedRequest, callback: grpc.requestCallback<_ektola_v1_FindFrequencyCappedResponse__Output>): grpc.ClientUnaryCall;
  
  GetMessage(argument: _ektola_v1_GetMessageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_Message__Output>): grpc.ClientUnaryCall;
  GetMessage(argument: _ektola_v1_GetMessageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_Message__Output>): grpc.ClientUnaryCall;
  GetMessage(argument: _ektola_v1_GetMessageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_Message__Output>): grpc.ClientUnaryCall;
  GetMessage(argument: _ektola_v1_GetMessageRequest, callback: grpc.requestCallback<_ektola_v1_Message__Output>): grpc.ClientUnaryCall;
  getMessage(argument: _ektola_v1_GetMessageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_Message__Output>): grpc.ClientUnaryCall;
  getMessage(argument: _ektola_v1_GetMessageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_Message__Output>): grpc.ClientUnaryCall;
  getMessage(argument: _ektola_v1_GetMessageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_Message__Output>): grpc.ClientUnaryCall;
  getMessage(argument: _ektola_v1_GetMessageRequest, callback: grpc.requestCallback<_ektola_v1_Message__Output>): grpc.ClientUnaryCall;
  
  GetRunReplyReports(argument: _ektola_v1_GetRunReportsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_GetRunReplyReportsResponse__Output>): grpc.ClientUnaryCall;
  GetRunReplyReports(argument: _ektola_v1_GetRunReportsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_GetRunReplyReportsResponse__Output>): grpc.ClientUnaryCall;
  GetRunReplyReports(argument: _ektola_v1_GetRunReportsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_GetRunReplyReportsResponse__Output>): grpc.ClientUnaryCall;
  GetRunReplyReports(argument: _ektola_v1_GetRunReportsRequest, callback: grpc.requestCallback<_ektola_v1_GetRunReplyReportsResponse__Output>): grpc.ClientUnaryCall;
  getRunReplyReports(argument: _ektola_v1_GetRunReportsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_GetRunReplyReportsResponse__Output>): grpc.ClientUnaryCall;
  getRunReplyReports(argument: _ektola_v1_GetRunReportsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_GetRunReplyReportsResponse__Output>): grpc.ClientUnaryCall;
  getRunReplyReports(argument: _ektola_v1_GetRunReportsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_GetRunReplyReportsResponse__Output>): grpc.ClientUnaryCall;
  getRunReplyReports(argument: _ektola_v1_GetRunReportsRequest, callback: grpc.requestCallback<_ektola_v1_GetRunReplyReportsResponse__Output>): grpc.ClientUnaryCall;
  
  GetRunReports(argument: _ektola_v1_GetRunReportsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_GetRunReportsResponse__Output>): grpc.ClientUnaryCall;
  GetRunReports(argument: _ektola_v1_GetRunReportsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_GetRunReportsResponse__Output>): grpc.ClientUnaryCall;
  GetRunReports(argument: _ektola_v1_GetRunReportsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_GetRunReportsResponse__Output>): grpc.ClientUnaryCall;
  GetRunReports(argument: _ektola_v1_GetRunReportsRequest, callback: grpc.requestCallback<_ektola_v1_GetRunReportsResponse__Output>): grpc.ClientUnaryCall;
  getRunReports(argument: _ektola_v1_GetRunReportsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_GetRunReportsResponse__Output>): grpc.ClientUnaryCall;
  getRunReports(argument: _ektola_v1_GetRunReportsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_GetRunReportsResponse__Output>): grpc.ClientUnaryCall;
  getRunReports(argument: _ektola_v1_GetRunReportsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_GetRunReportsResponse__Output>): grpc.ClientUnaryCall;
  getRunReports(argument: _ektola_v1_GetRunReportsRequest, callback: grpc.requestCallback<_ektola_v1_GetRunReportsResponse__Output>): grpc.ClientUnaryCall;
  
  GetRunSendsPerMinute(argument: _ektola_v1_GetRunStatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_RunSendsPerMinute__Output>): grpc.ClientUnaryCall;
  GetRunSendsPerMinute(argument: _ektola_v1_GetRunStatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_RunSendsPerMinute__Output>): grpc.ClientUnaryCall;
  GetRunSendsPerMinute(argument: _ektola_v1_GetRunStatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_RunSendsPerMinute__Output>): grpc.ClientUnaryCall;
  GetRunSendsPerMinute(argument: _ektola_v1_GetRunStatsRequest, callback: grpc.requestCallback<_ektola_v1_RunSendsPerMinute__Output>): grpc.ClientUnaryCall;
  getRunSendsPerMinute(argument: _ektola_v1_GetRunStatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_RunSendsPerMinute__Output>): grpc.ClientUnaryCall;
  getRunSendsPerMinute(argument: _ektola_v1_GetRunStatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_RunSendsPerMinute__Output>): grpc.ClientUnaryCall;
  getRunSendsPerMinute(argument: _ektola_v1_GetRunStatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_RunSendsPerMinute__Output>): grpc.ClientUnaryCall;
  getRunSendsPerMinute(argument: _ektola_v1_GetRunStatsRequest, callback: grpc.requestCallback<_ektola_v1_RunSendsPerMinute__Output>): grpc.ClientUnaryCall;
  
  GetRunStats(argument: _ektola_v1_GetRunStatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_RunStats__Output>): grpc.ClientUnaryCall;
  GetRunStats(argument: _ektola_v1_GetRunStatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_RunStats__Output>): grpc.ClientUnaryCall;
  GetRunStats(argument: _ektola_v1_GetRunStatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_RunStats__Output>): grpc.ClientUnaryCall;
  GetRunStats(argument: _ektola_v1_GetRunStatsRequest, callback: grpc.requestCallback<_ektola_v1_RunStats__Output>): grpc.ClientUnaryCall;
  getRunStats(argument: _ektola_v1_GetRunStatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_RunStats__Output>): grpc.ClientUnaryCall;
  getRunStats(argument: _ektola_v1_GetRunStatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_RunStats__Output>): grpc.ClientUnaryCall;
  getRunStats(argument: _ektola_v1_GetRunStatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_RunStats__Output>): grpc.ClientUnaryCall;
  getRunStats(argument: _ektola_v1_GetRunStatsRequest, callback: grpc.requestCallback<_ektola_v1_RunStats__Output>): grpc.ClientUnaryCall;
  
  GetSenderActivity(argument: _ektola_v1_GetSenderActivityRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_GetSenderActivityResponse__Output>): grpc.ClientUnaryCall;
  GetSenderActivity(argument: _ektola_v1_GetSenderActivityRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_GetSenderActivityResponse__Output>): grpc.ClientUnaryCall;
  GetSenderActivity(argument: _ektola_v1_GetSenderActivityRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_GetSenderActivityResponse__Output>): grpc.ClientUnaryCall;
  GetSenderActivity(argument: _ektola_v1_GetSenderActivityRequest, callback: grpc.requestCallback<_ektola_v1_GetSenderActivityResponse__Output>): grpc.ClientUnaryCall;
  getSenderActivity(argument: _ektola_v1_GetSenderActivityRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_GetSenderActivityResponse__Output>): grpc.ClientUnaryCall;
  getSenderActivity(argument: _ektola_v1_GetSenderActivityRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_GetSenderActivityResponse__Output>): grpc.ClientUnaryCall;
  getSenderActivity(argument: _ektola_v1_GetSenderActivityRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_GetSenderActivityResponse__Output>): grpc.ClientUnaryCall;
  getSenderActivity(argument: _ektola_v1_GetSenderActivityRequest, callback: grpc.requestCallback<_ektola_v1_GetSenderActivityResponse__Output>): grpc.ClientUnaryCall;
  
  GetSendingOverview(argument: _ektola_v1_GetSendingOverviewRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_SendingOverview__Output>): grpc.ClientUnaryCall;
  GetSendingOverview(argument: _ektola_v1_GetSendingOverviewRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_SendingOverview__Output>): grpc.ClientUnaryCall;
  GetSendingOverview(argument: _ektola_v1_GetSendingOverviewRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_SendingOverview__Output>): grpc.ClientUnaryCall;
  GetSendingOverview(argument: _ektola_v1_GetSendingOverviewRequest, callback: grpc.requestCallback<_ektola_v1_SendingOverview__Output>): grpc.ClientUnaryCall;
  getSendingOverview(argument: _ektola_v1_GetSendingOverviewRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_SendingOverview__Output>): grpc.ClientUnaryCall;
  getSendingOverview(argument: _ektola_v1_GetSendingOverviewRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_SendingOverview__Output>): grpc.ClientUnaryCall;
  getSendingOverview(argument: _ektola_v1_GetSendingOverviewRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_SendingOverview__Output>): grpc.ClientUnaryCall;
  getSendingOverview(argument: _ektola_v1_GetSendingOverviewRequest, callback: grpc.requestCallback<_ektola_v1_SendingOverview__Output>): grpc.ClientUnaryCall;
  
  ListConversation(argument: _ektola_v1_ListConversationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListConversationResponse__Output>): grpc.ClientUnaryCall;
  ListConversation(argument: _ektola_v1_ListConversationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_ListConversationResponse__Output>): grpc.ClientUnaryCall;
  ListConversation(argument: _ektola_v1_ListConversationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListConversationResponse__Output>): grpc.ClientUnaryCall;
  ListConversation(argument: _ektola_v1_ListConversationRequest, callback: grpc.requestCallback<_ektola_v1_ListConversationResponse__Output>): grpc.ClientUnaryCall;
  listConversation(argument: _ektola_v1_ListConversationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListConversationResponse__Output>): grpc.ClientUnaryCall;
  listConversation(argument: _ektola_v1_ListConversationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_ListConversationResponse__Output>): grpc.ClientUnaryCall;
  listConversation(argument: _ektola_v1_ListConversationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListConversationResponse__Output>): grpc.ClientUnaryCall;
  listConversation(argument: _ektola_v1_ListConversationRequest, callback: grpc.requestCallback<_ektola_v1_ListConversationResponse__Output>): grpc.ClientUnaryCall;
  
  ListMessages(argument: _ektola_v1_ListMessagesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListMessagesResponse__Output>): grpc.ClientUnaryCall;
  ListMessages(argument: _ektola_v1_ListMessagesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_ListMessagesResponse__Output>): grpc.ClientUnaryCall;
  ListMessages(argument: _ektola_v1_ListMessagesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListMessagesResponse__Output>): grpc.ClientUnaryCall;
  ListMessages(argument: _ektola_v1_ListMessagesRequest, callback: grpc.requestCallback<_ektola_v1_ListMessagesResponse__Output>): grpc.ClientUnaryCall;
  listMessages(argument: _ektola_v1_ListMessagesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListMessagesResponse__Output>): grpc.ClientUnaryCall;
  listMessages(argument: _ektola_v1_ListMessagesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_ListMessagesResponse__Output>): grpc.ClientUnaryCall;
  listMessages(argument: _ektola_v1_ListMessagesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListMessagesResponse__Output>): grpc.ClientUnaryCall;
  listMessages(argument: _ektola_v1_ListMessagesRequest, callback: grpc.requestCallback<_ektola_v1_ListMessagesResponse__Output>): grpc.ClientUnaryCall;
  
  ListReplies(argument: _ektola_v1_ListRepliesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListRepliesResponse__Output>): grpc.ClientUnaryCall;
  ListReplies(argument: _ektola_v1_ListRepliesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_ListRepliesResponse__Output>): grpc.ClientUnaryCall;
  ListReplies(argument: _ektola_v1_ListRepliesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListRepliesResponse__Output>): grpc.ClientUnaryCall;
  ListReplies(argument: _ektola_v1_ListRepliesRequest, callback: grpc.requestCallback<_ektola_v1_ListRepliesResponse__Output>): grpc.ClientUnaryCall;
  listReplies(argument: _ektola_v1_ListRepliesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListRepliesResponse__Output>): grpc.ClientUnaryCall;
  listReplies(argument: _ektola_v1_ListRepliesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_ektola_v1_ListRepliesResponse__Output>): grpc.ClientUnaryCall;
  listReplies(argument: _ektola_v1_ListRepliesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_ektola_v1_ListRepliesResponse__Output>): grpc.ClientUnaryCall;
  listReplies(argument: _ektola_v1_ListRepliesRequest, callback: grpc.requestCallback<_ektola_v1_ListRepliesResponse__Output>): grpc.ClientUnaryCall;
  
  StreamRepliedRecipients(argument: _ektola_v1_StreamRepliedRecipientsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_ektola_v1_RunRecipientBatch__Output>;
  StreamRepliedRecipients(argument: _ektola_v1_StreamRepliedRecipientsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_ektola_v1_RunRecipientBatch__Output>;
  streamRepliedRecipients(argument: _ektola_v1_StreamRepliedRecipientsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_ektola_v1_RunRecipientBatch__Output>;
  streamRepliedRecipients(argument: _ektola_v1_StreamRepliedRecipientsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_ektola_v1_RunRecipientBatch__Output>;
  
  StreamRunRecipients(argument: _ektola_v1_StreamRunRecipientsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_ektola_v1_RunRecipientBatch__Output>;
  StreamRunRecipients(argument: _ektola_v1_StreamRunRecipientsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_ektola_v1_RunRecipientBatch__Output>;
  streamRunRecipients(argument: _ektola_v1_StreamRunRecipientsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_ektola_v1_RunRecipientBatch__Output>;
  streamRunRecipients(argument: _ektola_v1_StreamRunRecipientsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_ektola_v1_RunRecipientBatch__Output>;
  
}

export interface DispatchQueryHandlers extends grpc.UntypedServiceImplementation {
  ExportRunMessages: grpc.handleServerStreamingCall<_ektola_v1_ExportRunMessagesRequest__Output, _ektola_v1_MessageBatch>;
  
  FindFrequencyCapped: grpc.handleUnaryCall<_ektola_v1_FindFrequencyCappedRequest__Output, _ektola_v1_FindFrequencyCappedResponse>;
  
  GetMessage: grpc.handleUnaryCall<_ektola_v1_GetMessageRequest__Output, _ektola_v1_Message>;
  
  GetRunReplyReports: grpc.handleUnaryCall<_ektola_v1_GetRunReportsRequest__Output, _ektola_v1_GetRunReplyReportsResponse>;
  
  GetRunReports: grpc.handleUnaryCall<_ektola_v1_GetRunReportsRequest__Output, _ektola_v1_GetRunReportsResponse>;
  
  GetRunSendsPerMinute: grpc.handleUnaryCall<_ektola_v1_GetRunStatsRequest__Output, _ektola_v1_RunSendsPerMinute>;
  
  GetRunStats: grpc.handleUnaryCall<_ektola_v1_GetRunStatsRequest__Output, _ektola_v1_RunStats>;
  
  GetSenderActivity: grpc.handleUnaryCall<_ektola_v1_GetSenderActivityRequest__Output, _ektola_v1_GetSenderActivityResponse>;
  
  GetSendingOverview: grpc.handleUnaryCall<_ektola_v1_GetSendingOverviewRequest__Output, _ektola_v1_SendingOverview>;
  
  ListConversation: grpc.handleUnaryCall<_ektola_v1_ListConversationRequest__Output, _ektola_v1_ListConversationResponse>;
  
  ListMessages: grpc.handleUnaryCall<_ektola_v1_ListMessagesRequest__Output, _ektola_v1_ListMessagesResponse>;
  
  ListReplies: grpc.handleUnaryCall<_ektola_v1_ListRepliesRequest__Output, _ektola_v1_ListRepliesResponse>;
  
  StreamRepliedRecipients: grpc.handleServerStreamingCall<_ektola_v1_StreamRepliedRecipientsRequest__Output, _ektola_v1_RunRecipientBatch>;
  
  StreamRunRecipients: grpc.handleServerStreamingCall<_ektola_v1_StreamRunRecipientsRequest__Output, _ektola_v1_RunRecipientBatch>;
  
}

export interface DispatchQueryDefinition extends grpc.ServiceDefinition {
  ExportRunMessages: MethodDefinition<_ektola_v1_ExportRunMessagesRequest, _ektola_v1_MessageBatch, _ektola_v1_ExportRunMessagesRequest__Output, _ektola_v1_MessageBatch__Output>
  FindFrequencyCapped: MethodDefinition<_ektola_v1_FindFrequencyCappedRequest, _ektola_v1_FindFrequencyCappedResponse, _ektola_v1_FindFrequencyCappedRequest__Output, _ektola_v1_FindFrequencyCappedResponse__Output>
  GetMessage: MethodDefinition<_ektola_v1_GetMessageRequest, _ektola_v1_Message, _ektola_v1_GetMessageRequest__Output, _ektola_v1_Message__Output>
  GetRunReplyReports: MethodDefinition<_ektola_v1_GetRunReportsRequest, _ektola_v1_GetRunReplyReportsResponse, _ektola_v1_GetRunReportsRequest__Output, _ektola_v1_GetRunReplyReportsResponse__Output>
  GetRunReports: MethodDefinition<_ektola_v1_GetRunReportsRequest, _ektola_v1_GetRunReportsResponse, _ektola_v1_GetRunReportsRequest__Output, _ektola_v1_GetRunReportsResponse__Output>
  GetRunSendsPerMinute: MethodDefinition<_ektola_v1_GetRunStatsRequest, _ektola_v1_RunSendsPerMinute, _ektola_v1_GetRunStatsRequest__Output, _ektola_v1_RunSendsPerMinute__Output>
  GetRunStats: MethodDefinition<_ektola_v1_GetRunStatsRequest, _ektola_v1_RunStats, _ektola_v1_GetRunStatsRequest__Output, _ektola_v1_RunStats__Output>
  GetSenderActivity: MethodDefinition<_ektola_v1_GetSenderActivityRequest, _ektola_v1_GetSenderActivityResponse, _ektola_v1_GetSenderActivityRequest__Output, _ektola_v1_GetSenderActivityResponse__Output>
  GetSendingOverview: MethodDefinition<_ektola_v1_GetSendingOverviewRequest, _ektola_v1_SendingOverview, _ektola_v1_GetSendingOverviewRequest__Output, _ektola_v1_SendingOverview__Output>
  ListConversation: MethodDefinition<_ektola_v1_ListConversationRequest, _ektola_v1_ListConversationResponse, _ektola_v1_ListConversationRequest__Output, _ektola_v1_ListConversationResponse__Output>
  ListMessages: MethodDefinition<_ektola_v1_ListMessagesRequest, _ektola_v1_ListMessagesResponse, _ektola_v1_ListMessagesRequest__Output, _ektola_v1_ListMessagesResponse__Output>
  ListReplies: MethodDefinition<_ektola_v1_ListRepliesRequest, _ektola_v1_ListRepliesResponse, _ektola_v1_ListRepliesRequest__Output, _ektola_v1_ListRepliesResponse__Output>
  StreamRepliedRecipients: MethodDefinition<_ektola_v1_StreamRepliedRecipientsRequest, _ektola_v1_RunRecipientBatch, _ektola_v1_StreamRepliedRecipientsRequest__Output, _ektola_v1_RunRecipientBatch__Output>
  StreamRunRecipients: MethodDefinition<_ektola_v1_StreamRunRecipientsRequest, _ektola_v1_RunRecipientBatch, _ektola_v1_StreamRunRecipientsRequest__Output, _ektola_v1_RunRecipientBatch__Output>
}
