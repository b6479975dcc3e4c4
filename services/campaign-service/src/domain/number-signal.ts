import type { PayloadOf, whatsappNumberUpdate } from '@ektola/platform/events';
import { messagingLimitOf, type MetaSenderState, type Sender } from './sender.ts';

export type NumberUpdate = PayloadOf<typeof whatsappNumberUpdate>;

/** What one of Meta's signals changes on a sender. */
export interface SenderSignalChange {
  state: MetaSenderState;
  stateReason: string | null;
  messagingLimitTier: string | null;
  messagingLimit: number | null;
}

type SenderSignalView = Pick<
  Sender,
  'state' | 'stateReason' | 'stateChangedAt' | 'messagingLimitTier' | 'messagingLimit'
>;

/** Restrictions that leave a number's campaign messages going out (business-initiated messaging is not among them). */
const sendingUnaffected = new Set(['RESTRICTED_ADD_PHONE_NUMBER_ACTION', 'RESTRICTED_CUSTOMER_INITIATED_MESSAGING']);

const restrictionWords: Record<string, string> = {
  RESTRICTED_BIZ_INITIATED_MESSAGING: 'business-initiated messages',
  RESTRICTED_ADD_PHONE_NUMBER_ACTION: 'adding phone numbers',
  RESTRICTED_CUSTOMER_INITIATED_MESSAGING: 'replies to customers',
};

function restrictionsInWords(restrictions: NumberUpdate['restrictions']): string {
  return restrictions
    .map((restriction) => {
      const what = restrictionWords[restriction.type] ?? restriction.type;
      return restriction.expiresAt ? `${what} until ${restriction.expiresAt}` : what;
    })
    .join(', ');
}

const restricted = (reason: string) => ({ state: 'RESTRICTED' as const, stateReason: reason });
const lifted = (sender: SenderSignalView) =>
  sender.state === 'RESTRICTED' ? { state: 'ACTIVE' as const, stateReason: null } : {};

/** The state Meta's `account_update` leaves the numbers of the WABA in; empty: their state stands. */
function accountState(sender: SenderSignalView, update: NumberUpdate): Partial<SenderSignalChange> {
  const event = update.event.toUpperCase();
  const banState = update.banState?.toUpperCase();
  if (event.includes('REINSTATE') || banState === 'REINSTATE') return lifted(sender);
  switch (event) {
    case 'ACCOUNT_RESTRICTION': {
      const stopping = update.restrictions.filter((restriction) => !sendingUnaffected.has(restriction.type));
      if (stopping.length === 0) return lifted(sender);
      return restricted(`Meta restricted the account: ${restrictionsInWords(update.restrictions)}`);
    }
    case 'DISABLED_UPDATE':
      return banState === 'DISABLE' ? restricted('Meta disabled the WhatsApp Business Account') : {};
    case 'ACCOUNT_OFFBOARDED':
      return restricted('Meta offboarded the WhatsApp Business Account');
    case 'ACCOUNT_VIOLATION':
      return restricted('Meta found a policy violation on the WhatsApp Business Account');
    default:
      return {};
  }
}

/** The state and limit Meta's `phone_number_quality_update` leaves the number in. */
function qualityState(sender: SenderSignalView, update: NumberUpdate): Partial<SenderSignalChange> {
  switch (update.event.toUpperCase()) {
    // A restricted number stays restricted; its quality shows again once Meta lifts the restriction.
    case 'FLAGGED':
      return sender.state === 'ACTIVE'
        ? { state: 'FLAGGED', stateReason: "Meta flagged the number's quality; it sends slower until Meta unflags it" }
        : {};
    case 'UNFLAGGED':
      return sender.state === 'FLAGGED' ? { state: 'ACTIVE', stateReason: null } : {};
    case 'DOWNGRADE':
    case 'UPGRADE':
      return update.currentLimit
        ? { messagingLimitTier: update.currentLimit, messagingLimit: messagingLimitOf(update.currentLimit) }
        : {};
    default:
      return {};
  }
}

/**
 * What one of Meta's number or account signals changes on a sender, or undefined when it changes
 * nothing (an event EkTola does not act on, or one repeated), so a redelivery writes and publishes nothing.
 */
export function decideNumberSignal(sender: SenderSignalView, update: NumberUpdate): SenderSignalChange | undefined {
  const patch = update.field === 'account_update' ? accountState(sender, update) : qualityState(sender, update);
  // A signal older than the state the sender is in arrived late: the newer word on the state stands.
  if (sender.stateChangedAt && new Date(update.occurredAt) < sender.stateChangedAt) {
    delete patch.state;
    delete patch.stateReason;
  }
  const next: SenderSignalChange = {
    state: sender.state,
    stateReason: sender.stateReason,
    messagingLimitTier: sender.messagingLimitTier,
    messagingLimit: sender.messagingLimit,
    ...patch,
  };
  const changed =
    next.state !== sender.state ||
    next.stateReason !== sender.stateReason ||
    next.messagingLimitTier !== sender.messagingLimitTier ||
    next.messagingLimit !== sender.messagingLimit;
  return changed ? next : undefined;
}
