import { unavailable } from '@ektola/platform/errors';
import type { Contact } from './model.ts';
import type { Transactions } from './ports.ts';
import { announceSuppression } from './suppression.ts';
import { alternativeWhatsAppNumbers, importedFormOf } from './whatsapp-number.ts';

export interface UserPreference {
  /** The number WhatsApp reported, which may be another form of the imported one. */
  phone: string;
  optedOut: boolean;
  reason: string;
  occurredAt: Date;
}

/** applied: the contact's opt-out changed; unchanged: it already was so; stale: a newer preference is stored; unknown: an opt-in from no contact. */
export type PreferenceOutcome = { result: 'applied' | 'unchanged' | 'stale'; contact: Contact } | { result: 'unknown' };

/**
 * A STOP (or Meta's marketing preference) a user sent on WhatsApp, resolved to the contact it came
 * from: the number exactly as reported first, then the other forms WhatsApp uses for the same number.
 * A preference older than the contact's latest is ignored, since events arrive late and twice. A STOP
 * from a number not yet imported is kept as an opted-out contact under the number's current E.164 form
 * (the one an import stores), so a later import cannot message someone who said STOP. The dispatcher
 * hears of it only when the opt-out actually changed.
 */
export async function applyUserPreference(
  deps: { transactions: Transactions },
  preference: UserPreference,
): Promise<PreferenceOutcome> {
  const { optedOut, reason, occurredAt } = preference;
  return deps.transactions.run(async ({ contacts, outbox }) => {
    const forms = [preference.phone, ...alternativeWhatsAppNumbers(preference.phone)];
    const stored = await contacts.lockByPhones(forms);
    const contact = forms
      .map((form) => stored.find((candidate) => candidate.phone === form))
      .find((candidate) => candidate !== undefined);

    if (!contact) {
      if (!optedOut) return { result: 'unknown' };
      const added = await contacts.addOptedOut(importedFormOf(preference.phone), reason, occurredAt);
      // Another STOP from the same number committed its contact between our read and insert; the retry finds it.
      if (!added) throw unavailable(`a contact for ${preference.phone} was stored concurrently`);
      await announceSuppression(outbox, added, { suppressed: true, reason: 'opted_out', at: occurredAt });
      return { result: 'applied', contact: added };
    }

    if (contact.preferenceChangedAt && contact.preferenceChangedAt.getTime() > occurredAt.getTime())
      return { result: 'stale', contact };
    const updated = await contacts.recordPreference(contact.id, { optedOut, reason, at: occurredAt });
    if (contact.optedOut === optedOut) return { result: 'unchanged', contact: updated };
    await announceSuppression(outbox, contact, { suppressed: optedOut, reason: 'opted_out', at: occurredAt });
    return { result: 'applied', contact: updated };
  });
}
