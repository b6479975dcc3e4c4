import type { Clock } from '@ektola/platform/clock';
import { notFound } from '@ektola/platform/errors';
import type { Transactions } from './ports.ts';
import { announceSuppression } from './suppression.ts';

/** A deleted contact must not get the messages already queued for it, so its deletion is announced with it. */
export async function deleteContact(
  deps: { transactions: Transactions; clock: Clock },
  contactId: string,
): Promise<void> {
  const at = deps.clock.now();
  await deps.transactions.run(async ({ contacts, outbox }) => {
    const contact = await contacts.lock(contactId);
    if (!contact) throw notFound('contact', contactId);
    await contacts.remove(contact.id);
    await announceSuppression(outbox, contact, { suppressed: true, reason: 'contact_deleted', at });
  });
}
