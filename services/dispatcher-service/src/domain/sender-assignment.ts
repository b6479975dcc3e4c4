import type { RunSender } from '@ektola/platform/events';
import { chooseSender } from '@ektola/platform/senders';
import type { AssignedMessage, Reassignment } from './ports.ts';

/** The run's senders, or its single number when it names none (a run requested before senders existed). */
export const sendersOfRun = (phoneNumberId: string, senders: readonly RunSender[] | undefined): RunSender[] =>
  senders && senders.length > 0 ? [...senders] : [{ phoneNumberId, weight: 1 }];

/**
 * The number a contact's message goes out from: chosen among the run's senders that send now, so a
 * contact stays with one number while the list holds. When none of them sends, the choice is made over
 * all of them and the message waits for its number (the claim never takes it while that number is stopped).
 */
export function assignSender(contactId: string, senders: readonly RunSender[], sending: ReadonlySet<string>): string {
  const usable = senders.filter((sender) => sending.has(sender.phoneNumberId));
  return chooseSender(contactId, usable.length > 0 ? usable : senders).phoneNumberId;
}

/**
 * What a change of senders does to the PENDING messages of open runs: a message whose number stopped
 * moves to the run's other senders that send (the same choice fan-out makes over them), or waits for a
 * sender when none does; a message that waited for a sender is released on its number when that number
 * sends again, or moved to one of the run's senders that does. A number that sends again after it did
 * not (`reopened`) releases every message on it, so one that came back PENDING from a send in flight
 * when the number stopped goes out too. Messages already where they belong are left alone, so a
 * repeated event changes nothing.
 */
export function planReassignment(
  messages: readonly AssignedMessage[],
  { sending, reopened }: { sending: ReadonlySet<string>; reopened: ReadonlySet<string> },
): Reassignment[] {
  const plan: Reassignment[] = [];
  for (const message of messages) {
    const waiting = message.waitingReason === 'sender_unavailable';
    const inFlight = message.status === 'SENDING';
    if (sending.has(message.phoneNumberId)) {
      if (!inFlight && (waiting || reopened.has(message.phoneNumberId))) plan.push({ id: message.id, kind: 'release' });
      continue;
    }
    const usable = message.runSenders.filter((sender) => sending.has(sender.phoneNumberId));
    if (usable.length > 0)
      plan.push({ id: message.id, kind: 'move', phoneNumberId: chooseSender(message.contactId, usable).phoneNumberId });
    // One in flight waits only if its attempt comes back PENDING; the record marks it then.
    else if (!waiting && !inFlight) plan.push({ id: message.id, kind: 'wait' });
  }
  return plan;
}
