import type { PayloadOf, RunSender, senderChanged } from '@ektola/platform/events';

/** Meta's word on a number: ACTIVE sends, FLAGGED sends slower, RESTRICTED does not send. */
export const metaSenderStates = ['ACTIVE', 'FLAGGED', 'RESTRICTED'] as const;
export type MetaSenderState = (typeof metaSenderStates)[number];
/** What the API shows: Meta's state, or DISABLED while the operator has the number switched off. */
export const senderStates = [...metaSenderStates, 'DISABLED'] as const;
export type SenderState = (typeof senderStates)[number];

export const throughputLevels = ['STANDARD', 'HIGH'] as const;
export type ThroughputLevel = (typeof throughputLevels)[number];

/** Meta's per-number throughput: 80 messages per second by default, 1,000 after its automatic upgrade. */
const mpsOfLevel: Record<ThroughputLevel, number> = { STANDARD: 80, HIGH: 1_000 };

/** What Meta says of a number (GET /{phone-number-id}); fields Meta left out are null. */
export interface MetaNumber {
  phoneNumberId: string;
  /** Digits only. */
  displayPhoneNumber: string | null;
  verifiedName: string | null;
  qualityRating: string | null;
  throughputLevel: ThroughputLevel;
  /** As Meta spells it: TIER_250, TIER_2K, … TIER_UNLIMITED. */
  messagingLimitTier: string | null;
  nameStatus: string | null;
  /** Meta's status of the number: CONNECTED, FLAGGED, RESTRICTED, BANNED, … */
  status: string | null;
}

export interface Sender extends Omit<MetaNumber, 'status'> {
  id: string;
  wabaId: string | null;
  portfolioId: string | null;
  label: string | null;
  metaStatus: string | null;
  /** Messages per second Meta's throughput level allows. */
  metaMps: number;
  /** Unique recipients per moving 24 hours; null when unlimited or unknown. */
  messagingLimit: number | null;
  enabled: boolean;
  /** The operator's lower rate, never above Meta's. */
  mpsCap: number | null;
  state: MetaSenderState;
  stateReason: string | null;
  stateChangedAt: Date | null;
  isDefault: boolean;
  version: number;
  refreshedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const mpsOfThroughput = (level: ThroughputLevel) => mpsOfLevel[level];

const tierCounts: Record<string, number | null> = {
  TIER_50: 50,
  TIER_250: 250,
  TIER_1K: 1_000,
  TIER_2K: 2_000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  TIER_UNLIMITED: null,
  UNLIMITED: null,
};

/**
 * Meta's messaging limit as a count of unique recipients per moving 24 hours: its tiers (TIER_2K → 2000),
 * or a number as `max_daily_conversations_per_business` states it (-1 is unlimited). Null: unlimited or
 * a value EkTola does not know, which the dispatcher treats as no limit of EkTola's own.
 */
export function messagingLimitOf(tier: string | null | undefined): number | null {
  if (!tier) return null;
  const spelled = tier.trim().toUpperCase();
  if (spelled in tierCounts) return tierCounts[spelled] ?? null;
  const count = Number(spelled);
  return Number.isInteger(count) && count > 0 ? count : null;
}

export const effectiveState = (sender: Pick<Sender, 'enabled' | 'state'>): SenderState =>
  sender.enabled ? sender.state : 'DISABLED';

/** Whether the dispatcher may send through the number now. */
export const sends = (sender: Pick<Sender, 'enabled' | 'state'>) =>
  effectiveState(sender) === 'ACTIVE' || effectiveState(sender) === 'FLAGGED';

/**
 * The rate the number is held to: Meta's throughput or the operator's lower cap; a flagged number's
 * quality is at risk, so it sends at `flaggedFactor` of that (at least 1 a second) until Meta unflags it.
 */
export function mpsInForce(sender: Pick<Sender, 'metaMps' | 'mpsCap' | 'state'>, flaggedFactor: number): number {
  const allowed = Math.min(sender.metaMps, sender.mpsCap ?? sender.metaMps);
  return sender.state === 'FLAGGED' ? Math.max(1, Math.floor(allowed * flaggedFactor)) : allowed;
}

/** Whose daily messaging limit the number shares: the business portfolio, else the WABA, else the number alone. */
export const portfolioKeyOf = (sender: Pick<Sender, 'portfolioId' | 'wabaId' | 'phoneNumberId'>) =>
  sender.portfolioId ?? sender.wabaId ?? sender.phoneNumberId;

/** Why a number does not send, or sends slower, in an operator's words. */
function reasonOf(sender: Sender): string | undefined {
  if (!sender.enabled) return 'switched off by an operator';
  return sender.stateReason ?? undefined;
}

/** sender.changed as the dispatcher needs it; `deleted` states the number's end. */
export function senderChangedPayload(
  sender: Sender,
  options: { flaggedFactor: number; at: Date; deleted?: boolean },
): PayloadOf<typeof senderChanged> {
  return {
    senderId: sender.id,
    phoneNumberId: sender.phoneNumberId,
    ...(sender.wabaId ? { businessAccountId: sender.wabaId } : {}),
    portfolioKey: portfolioKeyOf(sender),
    mps: mpsInForce(sender, options.flaggedFactor),
    messagingLimit: sender.messagingLimit,
    state: options.deleted ? 'DELETED' : effectiveState(sender),
    ...(options.deleted ? { reason: 'deleted by an operator' } : reasonOf(sender) ? { reason: reasonOf(sender) } : {}),
    version: sender.version,
    occurredAt: options.at.toISOString(),
  };
}

/**
 * The numbers a run spreads over, each weighted by its rate in force: those that send now, or, when
 * none does, all of them, so the dispatcher holds the messages with the reason instead of the run
 * going out from a number the campaign never named.
 */
export function runSendersOf(senders: readonly Sender[], flaggedFactor: number): RunSender[] {
  const sending = senders.filter(sends);
  return (sending.length > 0 ? sending : senders).map((sender) => ({
    phoneNumberId: sender.phoneNumberId,
    weight: mpsInForce(sender, flaggedFactor),
  }));
}

/** Digits only, as Meta's webhooks write a display number (+1 555-078-3881 → 15550783881). */
export const digitsOf = (phone: string) => phone.replace(/\D/g, '');
