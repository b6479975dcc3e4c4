export type StatusName = 'sent' | 'delivered' | 'read' | 'failed';

export interface WeightedCode {
  code: number;
  weight: number;
}

/** How the simulated users and network treat accepted messages; every share is a probability 0–1. */
export interface StatusBehaviour {
  sentDelayMs: number;
  /** After `sent`. */
  deliveredDelayMs: number;
  /** After `delivered`. */
  readDelayMs: number;
  readShare: number;
  failureShare: number;
  failureCodes: WeightedCode[];
  duplicateShare: number;
  outOfOrderShare: number;
  readWithoutDeliveredShare: number;
}

export interface PlannedStatus {
  status: StatusName;
  afterMs: number;
  errorCode?: number;
}

/** A redelivered copy arrives a little after the original, as a second notification. */
export const duplicateGapMs = 10;

export function pickWeighted(codes: ReadonlyArray<WeightedCode>, random: () => number): number {
  const total = codes.reduce((sum, entry) => sum + entry.weight, 0);
  let point = random() * total;
  for (const entry of codes) {
    point -= entry.weight;
    if (point < 0) return entry.code;
  }
  return codes.at(-1)?.code ?? 131026;
}

/**
 * The status notifications one accepted message will produce, with their delays from acceptance.
 * A failure replaces the whole lifecycle (Meta sends `failed` alone for 131026, 131049 and 131050);
 * a read without delivered drops `delivered` (Meta's "delivered and read at once"); out of order
 * swaps the times of the first two statuses; a duplicate repeats `delivered` (or the first status).
 */
export function planStatuses(
  behaviour: StatusBehaviour,
  random: () => number,
  forcedFailure?: number,
): PlannedStatus[] {
  const sentAt = behaviour.sentDelayMs;
  if (forcedFailure !== undefined || (behaviour.failureCodes.length > 0 && random() < behaviour.failureShare)) {
    return [
      { status: 'failed', afterMs: sentAt, errorCode: forcedFailure ?? pickWeighted(behaviour.failureCodes, random) },
    ];
  }
  const deliveredAt = sentAt + behaviour.deliveredDelayMs;
  const read = random() < behaviour.readShare;
  const skipDelivered = read && random() < behaviour.readWithoutDeliveredShare;
  const plan: PlannedStatus[] = [{ status: 'sent', afterMs: sentAt }];
  if (!skipDelivered) plan.push({ status: 'delivered', afterMs: deliveredAt });
  if (read) plan.push({ status: 'read', afterMs: deliveredAt + behaviour.readDelayMs });

  if (plan.length > 1 && random() < behaviour.outOfOrderShare) {
    const [first, second] = [plan[0]!, plan[1]!];
    [first.afterMs, second.afterMs] = [second.afterMs, first.afterMs];
  }
  if (random() < behaviour.duplicateShare) {
    const original = plan.find((entry) => entry.status === 'delivered') ?? plan[0]!;
    plan.push({ status: original.status, afterMs: original.afterMs + duplicateGapMs });
  }
  return plan.sort((a, b) => a.afterMs - b.afterMs);
}
