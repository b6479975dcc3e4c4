import {
  callServerStream,
  callUnary,
  createGrpcClient,
  loadEktolaProto,
  type AudienceBatch,
  type CampaignQueryClient,
  type Template,
} from '@ektola/platform/grpc';
import { runTemplateOf } from '../domain/message-draft.ts';
import type { AudienceSource } from '../domain/ports.ts';

/** The campaign-service's CampaignQuery: the run's template once, then its audience as a resumable stream. */
export function createGrpcAudienceSource(options: {
  address: string;
  token: string;
  batchSize: number;
  streamDeadlineMs: number;
}): AudienceSource & { close(): void } {
  const client = createGrpcClient(loadEktolaProto().ektola.v1.CampaignQuery, options.address, {
    token: options.token,
  }) as unknown as CampaignQueryClient;
  return {
    async template(templateId) {
      const template = await callUnary<{ id: string }, Template>(client.getTemplate.bind(client), { id: templateId });
      return runTemplateOf(template);
    },
    async *audience(runId, afterContactId) {
      const batches = callServerStream<{ runId: string; batchSize: number; afterContactId: string }, AudienceBatch>(
        client.streamAudience.bind(client),
        { runId, batchSize: options.batchSize, afterContactId: afterContactId ?? '' },
        { deadlineMs: options.streamDeadlineMs },
      );
      for await (const batch of batches) {
        yield batch.members.map((member) => ({
          contactId: member.contactId,
          phone: member.phone,
          variables: member.variables,
          timezone: member.timezone || undefined,
        }));
      }
    },
    close: () => client.close(),
  };
}
