import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so a client that re-serialises the same body differently still matches. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What makes two POSTs "the same request" for an Idempotency-Key: method, path and body. */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n`)
    .update(canonicalJson(body ?? null))
    .digest('hex');
}

export interface StoredResponse {
  statusCode: number;
  body: string;
}

/**
 * The decision for a POST that carries a key: run it, replay what the first one answered, or refuse
 * because the key was used for a different request or the first one is still running.
 */
export type IdempotencyDecision =
  | { action: 'proceed' }
  | { action: 'replay'; response: StoredResponse }
  | { action: 'conflict'; reason: 'different_request' | 'in_progress' };

export function decide(
  existing: { fingerprint: string | null; response: StoredResponse | null } | undefined,
  fingerprint: string,
): IdempotencyDecision {
  if (!existing) return { action: 'proceed' };
  if (!existing.response) return { action: 'conflict', reason: 'in_progress' };
  if (existing.fingerprint !== fingerprint) return { action: 'conflict', reason: 'different_request' };
  return { action: 'replay', response: existing.response };
}
