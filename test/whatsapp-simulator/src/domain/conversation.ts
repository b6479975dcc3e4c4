import { createHash } from 'node:crypto';
import { dayMs } from './messaging-tier.ts';

/**
 * The conversation a status belongs to. Meta keeps one id per user and pricing category for 24
 * hours; deriving it from user, category and the 24-hour window gives the same behaviour without
 * remembering every user.
 */
export function conversationOf(waId: string, category: string, nowMs: number): { id: string; expiresSec: number } {
  const window = Math.floor(nowMs / dayMs);
  const id = createHash('sha1').update(`${waId}\u0000${category}\u0000${window}`).digest('hex').slice(0, 32);
  return { id, expiresSec: ((window + 1) * dayMs) / 1000 };
}
