import type { Clock } from '@ektola/platform/clock';
import { decideNumberSignal, type NumberUpdate } from './number-signal.ts';
import type { Transactions } from './ports.ts';
import { announce } from './sender-registry.ts';
import { digitsOf, type Sender } from './sender.ts';

export interface NumberUpdateOutcome {
  /** The senders the signal names: the number within its WABA, or every number of the WABA. */
  matched: number;
  /** Those it changed, as they now stand. */
  changed: Sender[];
}

/**
 * Applies one of Meta's number or account signals to the senders it names. Meta names a number by its
 * display number within a WABA; an account-wide signal (no number) names every sender of the WABA.
 * Each sender it changes is stored with a new version and announced to the dispatcher in the same
 * transaction; a repeated signal changes nothing and announces nothing.
 */
export async function applyNumberUpdate(
  deps: { transactions: Transactions; clock: Clock; flaggedFactor: number },
  update: NumberUpdate,
): Promise<NumberUpdateOutcome> {
  const display = update.displayPhoneNumber ? digitsOf(update.displayPhoneNumber) : undefined;
  return deps.transactions.run(async ({ senders, outbox }) => {
    const named = await senders.lockMatching(update.businessAccountId, display);
    const changed: Sender[] = [];
    for (const sender of named) {
      const decision = decideNumberSignal(sender, update);
      if (!decision) continue;
      const stateMoved = decision.state !== sender.state;
      const updated = await senders.change(sender.id, {
        ...decision,
        ...(stateMoved ? { stateChangedAt: new Date(update.occurredAt) } : {}),
      });
      await announce(deps, outbox, updated);
      changed.push(updated);
    }
    return { matched: named.length, changed };
  });
}
