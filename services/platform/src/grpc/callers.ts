import type { GrpcAccess } from './access.ts';
import type { GrpcCaller } from './tokens.ts';

/**
 * Which service may call each internal RPC: the scheduler creates runs, the dispatcher reads what it
 * sends, the campaign-service reads message states. Both servers use this one table, as the event
 * topology is one list for every service; an RPC not listed here is refused to everyone.
 */
export const rpcCallers: Record<string, readonly GrpcCaller[]> = {
  'CampaignQuery/ListSchedulableCampaigns': ['scheduler-service'],
  'CampaignQuery/CreateRun': ['scheduler-service'],
  'CampaignQuery/RecordSchedulerRun': ['scheduler-service'],
  'CampaignQuery/StreamAudience': ['dispatcher-service'],
  'CampaignQuery/GetTemplate': ['dispatcher-service'],
  'CampaignQuery/GetCampaign': ['scheduler-service', 'dispatcher-service'],
  'CampaignQuery/GetRun': ['scheduler-service', 'dispatcher-service'],
  'DispatchQuery/GetRunStats': ['campaign-service'],
  'DispatchQuery/ListMessages': ['campaign-service'],
  'DispatchQuery/GetMessage': ['campaign-service'],
  'DispatchQuery/GetRunReports': ['campaign-service'],
  'DispatchQuery/ExportRunMessages': ['campaign-service'],
  'DispatchQuery/StreamRunRecipients': ['campaign-service'],
  'DispatchQuery/ListConversation': ['campaign-service'],
  'DispatchQuery/ListReplies': ['campaign-service'],
  'DispatchQuery/GetRunReplyReports': ['campaign-service'],
  'DispatchQuery/StreamRepliedRecipients': ['campaign-service'],
  'DispatchQuery/FindFrequencyCapped': ['campaign-service'],
  'DispatchQuery/GetSendingOverview': ['campaign-service'],
  'DispatchQuery/GetRunSendsPerMinute': ['campaign-service'],
  'DispatchQuery/GetSenderActivity': ['campaign-service'],
  'CallbackAdmin/CreateWebhookEndpoint': ['campaign-service'],
  'CallbackAdmin/ListWebhookEndpoints': ['campaign-service'],
  'CallbackAdmin/GetWebhookEndpoint': ['campaign-service'],
  'CallbackAdmin/UpdateWebhookEndpoint': ['campaign-service'],
  'CallbackAdmin/DeleteWebhookEndpoint': ['campaign-service'],
  'CallbackAdmin/RotateWebhookSecret': ['campaign-service'],
  'CallbackAdmin/SendTestEvent': ['campaign-service'],
  'CallbackAdmin/ListWebhookDeliveries': ['campaign-service'],
  'CallbackAdmin/RetryWebhookDelivery': ['campaign-service'],
};

/**
 * A server's access: the tokens of the callers it accepts, each allowed the RPCs `rpcCallers` gives it.
 * Two callers with one token could not be told apart (one would get the other's RPCs), so that refuses to start.
 */
export function grpcAccess(callers: Partial<Record<GrpcCaller, string>>): GrpcAccess {
  const tokens = Object.values(callers).filter((token) => token !== undefined);
  if (new Set(tokens).size !== tokens.length)
    throw new Error(`the gRPC tokens of ${Object.keys(callers).join(' and ')} must differ`);
  return { callers, rpcs: rpcCallers };
}
