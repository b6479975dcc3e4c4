import { describe, expect, it } from 'vitest';
import { canonicalJson, decide, requestFingerprint } from './idempotency.ts';

describe('idempotency', () => {
  it('when two bodies differ only in key order, then their fingerprints match', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    expect(requestFingerprint('POST', '/v1/contacts', { a: 1, b: 2 })).toBe(
      requestFingerprint('POST', '/v1/contacts', { b: 2, a: 1 }),
    );
    expect(requestFingerprint('POST', '/v1/contacts', { a: 1 })).not.toBe(
      requestFingerprint('POST', '/v1/campaigns', { a: 1 }),
    );
  });

  it('when a key is new, then the request proceeds; when it finished with the same body, then it is replayed', () => {
    const response = { statusCode: 201, body: '{}' };
    expect(decide(undefined, 'f')).toEqual({ action: 'proceed' });
    expect(decide({ fingerprint: 'f', response }, 'f')).toEqual({ action: 'replay', response });
  });

  it('when a key was used for another body or is still running, then it is a conflict', () => {
    expect(decide({ fingerprint: 'g', response: { statusCode: 201, body: '{}' } }, 'f')).toEqual({
      action: 'conflict',
      reason: 'different_request',
    });
    expect(decide({ fingerprint: 'f', response: null }, 'f')).toEqual({ action: 'conflict', reason: 'in_progress' });
  });
});
