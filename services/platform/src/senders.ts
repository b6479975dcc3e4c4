import { hash } from 'node:crypto';
import type { RunSender } from './events/catalog.ts';

/**
 * A uniform number in (0, 1) from the hash of `key`: the same key always gives the same number. The
 * one-shot digest, since a fan-out draws one per contact and sender.
 */
function unitInterval(key: string): number {
  const digest = hash('sha256', key, 'buffer');
  // 52 bits fill a double's mantissa exactly; the half step keeps the value off 0 and 1.
  const high = digest.readUInt32BE(0) >>> 12;
  const low = digest.readUInt32BE(4);
  return (high * 2 ** 32 + low + 0.5) / 2 ** 52;
}

/**
 * The number a contact hears from: weighted rendezvous hashing of the contact over the senders. Each
 * sender scores -weight / ln(u), u drawn from the hash of the contact and the number; the highest wins.
 * The choice is the same every time the list is the same, so a contact stays with one number run after
 * run (its conversations and replies stay together); each number wins a share in proportion to its
 * weight; and taking a number out moves only the contacts it had, adding one moves only the contacts it wins.
 */
export function chooseSender(contactKey: string, senders: readonly RunSender[]): RunSender {
  // A lone sender wins every draw, so none is made: most runs send from one number, and hashing each
  // contact for it was the costliest step of drafting a message.
  if (senders.length === 1) return senders[0]!;
  let best: RunSender | undefined;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const sender of senders) {
    const score = -sender.weight / Math.log(unitInterval(`${contactKey}:${sender.phoneNumberId}`));
    // Ties (equal weights and hashes cannot collide in practice) fall to the lower id, so the order of the list never matters.
    if (score > bestScore || (score === bestScore && best && sender.phoneNumberId < best.phoneNumberId)) {
      best = sender;
      bestScore = score;
    }
  }
  if (!best) throw new Error('chooseSender needs at least one sender');
  return best;
}
