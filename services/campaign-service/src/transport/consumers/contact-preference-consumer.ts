import type { contactOptedIn, contactOptedOut } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import { acknowledge, type Outcome, type ReceivedOf } from '@ektola/platform/nats';
import { applyUserPreference } from '../../domain/apply-user-preference.ts';
import type { Transactions } from '../../domain/ports.ts';

/** A user's STOP (or Meta marketing preference) opts the contact out; a later resume opts it back in. */
export function createContactPreferenceHandler(deps: { transactions: Transactions; logger: Logger }) {
  return async (received: ReceivedOf<readonly [typeof contactOptedOut, typeof contactOptedIn]>): Promise<Outcome> => {
    const optedOut = received.name === 'contact.opted_out';
    const { phone, reason, occurredAt, sourceId } = received.payload;
    const outcome = await applyUserPreference(deps, { phone, optedOut, reason, occurredAt: new Date(occurredAt) });
    const contactId = outcome.result === 'unknown' ? undefined : outcome.contact.id;
    deps.logger.info(
      { phone, optedOut, reason, sourceId, result: outcome.result, contactId },
      'contact preference received',
    );
    return acknowledge;
  };
}
