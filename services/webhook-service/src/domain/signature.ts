import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const signaturePattern = /^sha256=([0-9a-f]{64})$/i;

/**
 * Meta signs the exact bytes it sends (`X-Hub-Signature-256: sha256=<hex>`), so the check runs over the
 * raw body before anything parses it: re-serialised JSON (other spacing, other key order) would not verify.
 */
export function hasValidSignature(rawBody: Uint8Array, header: string | undefined, appSecret: string): boolean {
  const match = header ? signaturePattern.exec(header.trim()) : null;
  if (!match?.[1]) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex'));
}

/** The exact header value Meta would send for these bytes; used by tests, the benchmark and tooling. */
export const signatureOf = (rawBody: Uint8Array | string, appSecret: string) =>
  `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;

/**
 * Compares secrets without leaking, through timing, how much of a guess was right or how long the
 * secret is: both sides are hashed to equal length first.
 */
export function secretsMatch(candidate: string, secret: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(candidate), digest(secret));
}
