import { notFound } from '@ektola/platform/errors';
import {
  createGrpcServer,
  grpcAccess,
  loadEktolaProto,
  serverStreamHandler,
  unaryHandler,
  type GrpcServer,
} from '@ektola/platform/grpc';
import type { Logger } from '@ektola/platform/logger';
import { testGrpcTokens } from '@ektola/platform/testing';

export interface FakeContact {
  contactId: string;
  phone: string;
  variables: Record<string, string>;
  timezone?: string;
}

export const goldLoanTemplate = {
  id: '7d0c1f43-2d52-4c44-9b0c-5a0f6c9e1a11',
  name: 'gold_loan_reminder',
  language: 'en',
  category: 'UTILITY',
  status: 'APPROVED',
  parameterFormat: 'POSITIONAL',
  componentsJson: JSON.stringify([
    {
      type: 'BODY',
      text: 'Hello {{1}}, your gold loan instalment of {{2}} is due. Please pay on time to keep your loan in good standing.',
    },
    { type: 'FOOTER', text: 'Reply STOP to opt out' },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'QUICK_REPLY', text: 'Paid' },
        { type: 'QUICK_REPLY', text: 'Stop reminders' },
      ],
    },
  ]),
  variables: [
    { placeholder: 'body.1', field: 'name', defaultValue: '' },
    { placeholder: 'body.2', field: 'attributes.amount', defaultValue: '' },
  ],
};

/** The same template registered as MARKETING, which the marketing guardrails apply to. */
export const marketingTemplate = {
  ...goldLoanTemplate,
  id: '1b6e0f6a-8f43-4b1a-9d63-0c5f8a1e2b22',
  name: 'gold_loan_offer',
  category: 'MARKETING',
};

/** `count` contacts with distinct Indian mobile numbers, in contact-id order. */
export function contacts(count: number, prefix = '9100'): FakeContact[] {
  return Array.from({ length: count }, (_, index) => ({
    contactId: `c${String(index).padStart(8, '0')}`,
    phone: `+91${prefix}${String(index).padStart(6, '0')}`,
    variables: { 'body.1': `Customer ${index}`, 'body.2': `₹${1000 + index}` },
  }));
}

/**
 * CampaignQuery's two calls the dispatcher makes, as the proto specifies them: GetTemplate, and
 * StreamAudience in contact-id order, resumable after a contact id, in batches of the asked size.
 * The dispatcher's own contract, so its component tests need no campaign database.
 */
export async function startFakeCampaignQuery(logger: Logger, audiences: Map<string, FakeContact[]>) {
  const streamCalls: Array<{ runId: string; afterContactId: string }> = [];
  const unused = unaryHandler('unused', logger, async () => {
    throw new Error('not used by the dispatcher');
  });
  const access = grpcAccess({ 'dispatcher-service': testGrpcTokens['dispatcher-service'] });
  const grpc: GrpcServer = createGrpcServer({ host: '127.0.0.1', port: 0, logger, access });
  grpc.server.addService(loadEktolaProto().ektola.v1.CampaignQuery.service, {
    GetTemplate: unaryHandler('GetTemplate', logger, async (request: { id: string }) => {
      const template = [goldLoanTemplate, marketingTemplate].find((candidate) => candidate.id === request.id);
      if (!template) throw notFound('template', request.id);
      return template;
    }),
    StreamAudience: serverStreamHandler(
      'StreamAudience',
      logger,
      async (
        request: { runId: string; batchSize: number; afterContactId: string },
        write: (batch: { members: FakeContact[] }) => Promise<void>,
      ) => {
        streamCalls.push({ runId: request.runId, afterContactId: request.afterContactId });
        const members = (audiences.get(request.runId) ?? []).filter(
          (member) => member.contactId > request.afterContactId,
        );
        const size = Math.min(request.batchSize || 500, 1000);
        for (let start = 0; start < members.length; start += size)
          await write({ members: members.slice(start, start + size) });
      },
    ),
    ListSchedulableCampaigns: unused,
    CreateRun: unused,
    RecordSchedulerRun: unused,
    GetCampaign: unused,
    GetRun: unused,
  });
  const port = await grpc.start();
  return { address: `127.0.0.1:${port}`, streamCalls, stop: () => grpc.stop(500) };
}
