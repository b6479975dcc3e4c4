import type { SenderChange } from './ports.ts';
import { messagingLimitOf, mpsOfThroughput, type MetaNumber, type MetaSenderState, type Sender } from './sender.ts';

/** Meta's statuses of a number that stop it sending (it is not CONNECTED to the Cloud API, or it is banned). */
const stoppedStatuses = new Set(['BANNED', 'RESTRICTED', 'DELETED', 'DISCONNECTED']);
const statusReasonPrefix = 'Meta reports the number as ';

/**
 * The state Meta's description of the number implies. A FLAGGED status flags it, a stopped status
 * restricts it; CONNECTED lifts only what an earlier description set (a flag, or a stop it reported),
 * since an account restriction comes by webhook and the number's status does not show it.
 */
function stateFromStatus(
  sender: Sender,
  status: string | null,
): { state: MetaSenderState; stateReason: string | null } {
  const current = { state: sender.state, stateReason: sender.stateReason };
  const spelled = status?.toUpperCase();
  if (!spelled) return current;
  if (stoppedStatuses.has(spelled)) return { state: 'RESTRICTED', stateReason: `${statusReasonPrefix}${spelled}` };
  if (spelled === 'FLAGGED')
    return sender.state === 'ACTIVE'
      ? { state: 'FLAGGED', stateReason: "Meta flagged the number's quality; it sends slower until Meta unflags it" }
      : current;
  if (spelled !== 'CONNECTED') return current;
  const setByStatus = sender.state === 'RESTRICTED' && sender.stateReason?.startsWith(statusReasonPrefix);
  return sender.state === 'FLAGGED' || setByStatus ? { state: 'ACTIVE', stateReason: null } : current;
}

/** What a fresh read of the number at Meta changes on the sender; empty when Meta says what EkTola holds. */
export function changeFromMeta(sender: Sender, number: MetaNumber): SenderChange {
  const next: SenderChange = {
    displayPhoneNumber: number.displayPhoneNumber ?? sender.displayPhoneNumber,
    verifiedName: number.verifiedName,
    qualityRating: number.qualityRating,
    throughputLevel: number.throughputLevel,
    metaMps: mpsOfThroughput(number.throughputLevel),
    // Meta leaves the limit out for some numbers; what a webhook told EkTola stands then.
    messagingLimitTier: number.messagingLimitTier ?? sender.messagingLimitTier,
    messagingLimit: number.messagingLimitTier ? messagingLimitOf(number.messagingLimitTier) : sender.messagingLimit,
    nameStatus: number.nameStatus,
    metaStatus: number.status,
    ...stateFromStatus(sender, number.status),
  };
  return Object.fromEntries(
    Object.entries(next).filter(([key, value]) => sender[key as keyof Sender] !== value),
  ) as SenderChange;
}
