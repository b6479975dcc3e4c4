import { suppressionChanged, type PayloadOf } from '@ektola/platform/events';
import type { Contact } from './model.ts';
import type { EventOutbox } from './ports.ts';

/** Tells the dispatcher whether a contact may still be messaged, through the outbox of the change's own transaction. */
export function announceSuppression(
  outbox: EventOutbox,
  contact: Pick<Contact, 'id' | 'phone'>,
  change: { suppressed: boolean; reason: PayloadOf<typeof suppressionChanged>['reason']; at: Date },
): Promise<void> {
  return outbox.add(suppressionChanged, {
    contactId: contact.id,
    phone: contact.phone,
    suppressed: change.suppressed,
    reason: change.reason,
    occurredAt: change.at.toISOString(),
  });
}
