import { randomBytes } from 'node:crypto';

let sequence = 0;

/**
 * Meta's message ids are `wamid.` and a base64 blob that encodes the recipient among other things;
 * clients must treat them as opaque. Here the blob is the recipient, a process-wide sequence and
 * random bytes, so ids never repeat within or across simulator instances.
 */
export function newWamid(waId: string): string {
  sequence = (sequence + 1) % 0x1_0000_0000;
  const blob = Buffer.concat([
    Buffer.from(`\u0018\f${waId}\u0015\u0002\u0000\u0012\u0018`),
    Buffer.from(sequence.toString(16).padStart(8, '0')),
    randomBytes(8),
  ]);
  return `wamid.${blob.toString('base64')}`;
}

/** Conversation ids are 32 hex characters in Meta's notifications. */
export const newConversationId = () => randomBytes(16).toString('hex');
