import { randomUUID } from 'node:crypto';
import { optionalPlaceholdersOf } from '@ektola/platform/templates';
import type { Clock } from '@ektola/platform/clock';
import { conflict, failedPrecondition, notFound } from '@ektola/platform/errors';
import { testSendRequested } from '@ektola/platform/events';
import { chooseSender } from '@ektola/platform/senders';
import { campaignRunSenders } from './campaign-senders.ts';
import type { TemplateCatalog, Transactions } from './ports.ts';
import { resolveVariables } from './template-variables.ts';

export interface TestSendAccepted {
  messageId: string;
  campaignId: string;
  phone: string;
  /** The contact whose values filled the template; null when the number is no contact (defaults only). */
  contactId: string | null;
}

/**
 * Sends a campaign's template to one number now, as its contact would get it (or with the mapping's
 * defaults when the number is no contact), before anyone else does. It is no run: the dispatcher stores
 * and sends the one message on its normal path, and no report or recurrence counts it. An opted-out
 * contact is never messaged, test or not. The number's contact is locked while the request is written,
 * so an opt-out committing meanwhile is seen; the request reaches the dispatcher through the outbox.
 * It goes out from the number the contact would hear from in a run: the campaign's senders chosen by
 * the contact id, as the dispatcher chooses at fan-out.
 */
export async function requestTestSend(
  deps: { transactions: Transactions; templates: Pick<TemplateCatalog, 'get'>; clock: Clock; flaggedFactor: number },
  request: { campaignId: string; phone: string },
): Promise<TestSendAccepted> {
  return deps.transactions.run(async ({ campaigns, contacts, senders, outbox }) => {
    const campaign = await campaigns.lock(request.campaignId);
    if (!campaign) throw notFound('campaign', request.campaignId);
    const template = await deps.templates.get(campaign.templateId);
    if (template.status !== 'APPROVED')
      throw failedPrecondition(
        `template ${template.name} is ${template.status}; Meta sends only APPROVED templates`,
        'template_not_approved',
      );
    const [contact] = await contacts.lockByPhones([request.phone]);
    if (contact?.optedOut)
      throw conflict(
        `the contact with ${request.phone} opted out of messages; a test send is refused`,
        'contact_opted_out',
      );
    const resolution = resolveVariables(
      template.variables,
      contact ?? { phone: request.phone, name: null, attributes: {} },
      optionalPlaceholdersOf(template.components),
    );
    if (!resolution.ok)
      throw failedPrecondition(
        `no value and no default for ${resolution.missing.join(', ')} ${contact ? 'for this contact' : '(the number is no contact)'}`,
        'missing_value',
      );
    const messageId = randomUUID();
    const contactId = contact?.id ?? `phone:${request.phone}`;
    const runSenders = await campaignRunSenders(senders, campaign, deps.flaggedFactor);
    await outbox.add(testSendRequested, {
      messageId,
      campaignId: campaign.id,
      templateId: campaign.templateId,
      contactId,
      phone: request.phone,
      variables: resolution.values,
      requestedAt: deps.clock.now().toISOString(),
      ...(runSenders ? { phoneNumberId: chooseSender(contactId, runSenders).phoneNumberId } : {}),
    });
    return { messageId, campaignId: campaign.id, phone: request.phone, contactId: contact?.id ?? null };
  });
}
