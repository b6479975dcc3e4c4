import type { contactOptedIn, contactOptedOut } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import { acknowledge, type Outcome, type ReceivedOf } from '@ektola/platform/nats';
import type { ContactStore } from '../../adapters/postgres-contact-store.ts';

/** A user's STOP (or Meta marketing preference) opts the contact out; a later resume opts it back in. */
export function createContactPreferenceHandler(deps: { contacts: ContactStore; logger: Logger }) {
  return async (received: ReceivedOf<readonly [typeof contactOptedOut, typeof contactOptedIn]>): Promise<Outcome> => {
    const optedOut = received.name === 'contact.opted_out';
    const { phone, reason, occurredAt, sourceId } = received.payload;
    const result = await deps.contacts.applyPreference({ phone, optedOut, reason, occurredAt: new Date(occurredAt) });
    deps.logger.info({ phone, optedOut, reason, sourceId, result }, 'contact preference received');
    return acknowledge;
  };
}
