import type { Clock } from '@ektola/platform/clock';
import { notFound } from '@ektola/platform/errors';
import type { Contact } from './model.ts';
import type { Transactions } from './ports.ts';
import { announceSuppression } from './suppression.ts';

/**
 * An operator stops (or allows again) messaging a contact through the API. It counts as the newest
 * preference; the dispatcher hears of it only when the contact's opt-out actually changed.
 */
export async function setContactOptOut(
  deps: { transactions: Transactions; clock: Clock },
  contactId: string,
  optedOut: boolean,
): Promise<Contact> {
  const at = deps.clock.now();
  return deps.transactions.run(async ({ contacts, outbox }) => {
    const contact = await contacts.lock(contactId);
    if (!contact) throw notFound('contact', contactId);
    const changed = await contacts.recordPreference(contact.id, { optedOut, reason: 'api', at });
    if (contact.optedOut !== optedOut)
      await announceSuppression(outbox, contact, { suppressed: optedOut, reason: 'opted_out', at });
    return changed;
  });
}
