import type { Clock } from '@ektola/platform/clock';
import { conflict, failedPrecondition, isDomainError, notFound, unprocessable } from '@ektola/platform/errors';
import { senderChanged } from '@ektola/platform/events';
import { changeFromMeta } from './meta-number-view.ts';
import type { EventOutbox, NumberReader, SenderChange, SenderDirectory, Transactions } from './ports.ts';
import { messagingLimitOf, mpsOfThroughput, senderChangedPayload, type MetaNumber, type Sender } from './sender.ts';

export interface SenderRegistryDeps {
  transactions: Transactions;
  /** Absent in development mode, where there is no Cloud API to read numbers from. */
  numbers: NumberReader | undefined;
  clock: Clock;
  /** How much slower a FLAGGED number sends (0.5: half its rate). */
  flaggedFactor: number;
  /** The WABA a number is registered under when the request names none. */
  defaultWabaId: string | undefined;
}

export interface SenderRegistration {
  phoneNumberId: string;
  wabaId?: string | undefined;
  portfolioId?: string | undefined;
  label?: string | undefined;
}

export interface SenderEdit {
  label?: string | null | undefined;
  enabled?: boolean | undefined;
  /** Null lifts the cap. */
  mpsCap?: number | null | undefined;
}

/** sender.changed for the sender as it now stands, in the transaction that changed it. */
export const announce = (
  deps: Pick<SenderRegistryDeps, 'clock' | 'flaggedFactor'>,
  outbox: EventOutbox,
  sender: Sender,
  deleted = false,
) =>
  outbox.add(
    senderChanged,
    senderChangedPayload(sender, { flaggedFactor: deps.flaggedFactor, at: deps.clock.now(), deleted }),
  );

/** The Cloud API reader, or a clear refusal in development mode. */
function reader(deps: Pick<SenderRegistryDeps, 'numbers'>): NumberReader {
  if (!deps.numbers)
    throw failedPrecondition(
      'no WhatsApp Cloud API is configured (WHATSAPP_ACCESS_TOKEN or WHATSAPP_API_BASE_URL), so numbers cannot be read from Meta',
      'cloud_api_not_configured',
    );
  return deps.numbers;
}

/** Meta's description of the number; an unknown number is the request's fault, named at `path`. */
async function readAt(deps: Pick<SenderRegistryDeps, 'numbers'>, phoneNumberId: string, path: string) {
  try {
    return await reader(deps).read(phoneNumberId);
  } catch (error) {
    if (isDomainError(error) && error.kind === 'unprocessable')
      throw unprocessable(
        error.message,
        error.details.map((detail) => ({ ...detail, path })),
        error.code,
      );
    throw error;
  }
}

const metaFieldsOf = (number: MetaNumber) => ({
  displayPhoneNumber: number.displayPhoneNumber,
  verifiedName: number.verifiedName,
  qualityRating: number.qualityRating,
  throughputLevel: number.throughputLevel,
  metaMps: mpsOfThroughput(number.throughputLevel),
  messagingLimitTier: number.messagingLimitTier,
  messagingLimit: messagingLimitOf(number.messagingLimitTier),
  nameStatus: number.nameStatus,
  metaStatus: number.status,
});

/** A number Meta has not described yet: Meta's default throughput, nothing else known. */
const undescribed = (phoneNumberId: string): MetaNumber => ({
  phoneNumberId,
  displayPhoneNumber: null,
  verifiedName: null,
  qualityRating: null,
  throughputLevel: 'STANDARD',
  messagingLimitTier: null,
  nameStatus: null,
  status: null,
});

/** A change that moves the state stamps when it did. */
const stamped = (change: SenderChange, at: Date): SenderChange =>
  change.state === undefined ? change : { ...change, stateChangedAt: at };

/**
 * Registers one of the business's numbers: Meta describes it (an unknown number is a 422 naming
 * `phoneNumberId`), it is stored with the WABA it belongs to, and sender.changed tells the dispatcher.
 */
export async function registerSender(deps: SenderRegistryDeps, request: SenderRegistration): Promise<Sender> {
  const number = await readAt(deps, request.phoneNumberId, 'body.phoneNumberId');
  return deps.transactions.run(async ({ senders, outbox }) => {
    const sender = await senders.add({
      ...metaFieldsOf(number),
      phoneNumberId: request.phoneNumberId,
      wabaId: request.wabaId ?? deps.defaultWabaId ?? null,
      portfolioId: request.portfolioId ?? null,
      label: request.label ?? null,
      isDefault: false,
      refreshedAt: deps.clock.now(),
    });
    if (!sender) throw conflict(`phone number ${request.phoneNumberId} is registered already`, 'sender_exists');
    await announce(deps, outbox, sender);
    return sender;
  });
}

/**
 * Reads the sender again at Meta. What changed is stored and announced (raising the version); a read
 * that changes nothing only notes when Meta was last asked.
 */
export async function refreshSender(
  deps: SenderRegistryDeps & { senders: Pick<SenderDirectory, 'get'> },
  id: string,
): Promise<Sender> {
  const known = await deps.senders.get(id);
  const number = await readAt(deps, known.phoneNumberId, 'phoneNumberId');
  return deps.transactions.run(async ({ senders, outbox }) => {
    const current = await senders.lock(id);
    if (!current) throw notFound('sender', id);
    const now = deps.clock.now();
    const change = changeFromMeta(current, number);
    if (Object.keys(change).length === 0) return senders.markRefreshed(id, now);
    const sender = await senders.change(id, { ...stamped(change, now), refreshedAt: now });
    await announce(deps, outbox, sender);
    return sender;
  });
}

/** What an operator changes: the label, whether the number sends, and a rate below Meta's throughput. */
export async function editSender(deps: SenderRegistryDeps, id: string, edit: SenderEdit): Promise<Sender> {
  return deps.transactions.run(async ({ senders, outbox }) => {
    const current = await senders.lock(id);
    if (!current) throw notFound('sender', id);
    if (edit.mpsCap !== undefined && edit.mpsCap !== null && edit.mpsCap > current.metaMps)
      throw unprocessable('the cap is above what Meta allows the number', [
        {
          path: 'body.mpsCap',
          message: `must be at most ${current.metaMps}, the number's throughput at Meta (${current.throughputLevel})`,
        },
      ]);
    const sender = await senders.change(id, { label: edit.label, enabled: edit.enabled, mpsCap: edit.mpsCap });
    await announce(deps, outbox, sender);
    return sender;
  });
}

/**
 * Deletes a sender no open campaign sends from; the default sender stays, as campaigns that name no
 * sender send from it. The dispatcher hears DELETED and stops using the number.
 */
export async function deleteSender(deps: SenderRegistryDeps, id: string): Promise<void> {
  await deps.transactions.run(async ({ senders, outbox }) => {
    const current = await senders.lock(id);
    if (!current) throw notFound('sender', id);
    if (current.isDefault)
      throw conflict(
        'the default sender (WHATSAPP_PHONE_NUMBER_ID) cannot be deleted; campaigns without senders send from it',
        'default_sender',
      );
    const using = await senders.openCampaignsUsing(id);
    if (using.length > 0) throw conflict(`campaigns still send from this number: ${using.join(', ')}`, 'sender_in_use');
    await senders.remove(id);
    await announce(deps, outbox, { ...current, version: current.version + 1 }, true);
  });
}

/**
 * The environment's number becomes the default sender, so an install from before senders keeps sending
 * from it. Meta describes it when it can; when it cannot, the number is stored at Meta's default
 * throughput and the periodic refresh completes it, because start-up must not wait for Meta.
 */
export async function ensureDefaultSender(
  deps: SenderRegistryDeps & { onMetaUnreachable(error: unknown): void },
  phoneNumberId: string,
): Promise<{ sender: Sender; created: boolean }> {
  let number: MetaNumber | undefined;
  try {
    number = deps.numbers ? await deps.numbers.read(phoneNumberId) : undefined;
  } catch (error) {
    deps.onMetaUnreachable(error);
  }
  return deps.transactions.run(async ({ senders, outbox }) => {
    const existing = await senders.lockByPhoneNumberId(phoneNumberId);
    if (existing) {
      if (!existing.isDefault) return { sender: await senders.makeDefault(existing.id), created: false };
      return { sender: existing, created: false };
    }
    // WHATSAPP_PHONE_NUMBER_ID changed: the new number is the default, the old one an ordinary sender.
    if (await senders.findDefault()) await senders.clearDefault();
    const sender = await senders.add({
      ...metaFieldsOf(number ?? undescribed(phoneNumberId)),
      phoneNumberId,
      wabaId: deps.defaultWabaId ?? null,
      portfolioId: null,
      label: 'Default (WHATSAPP_PHONE_NUMBER_ID)',
      isDefault: true,
      refreshedAt: number ? deps.clock.now() : null,
    });
    if (!sender) {
      // Another replica starting at the same time stored it first.
      const stored = await senders.lockByPhoneNumberId(phoneNumberId);
      if (!stored)
        throw conflict(`phone number ${phoneNumberId} could not be made the default sender`, 'sender_exists');
      return { sender: stored, created: false };
    }
    await announce(deps, outbox, sender);
    return { sender, created: true };
  });
}

/** Every sender read again at Meta; one that cannot be read is reported and the others go on. */
export async function refreshAllSenders(
  deps: SenderRegistryDeps & {
    senders: Pick<SenderDirectory, 'get' | 'all'>;
    onFailure(sender: Sender, error: unknown): void;
  },
): Promise<number> {
  if (!deps.numbers) return 0;
  let refreshed = 0;
  for (const sender of await deps.senders.all()) {
    try {
      await refreshSender(deps, sender.id);
      refreshed += 1;
    } catch (error) {
      deps.onFailure(sender, error);
    }
  }
  return refreshed;
}
