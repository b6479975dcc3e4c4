import { describe, expect, it } from 'vitest';
import { allows, displayPrefix, generateApiKey, hashApiKey } from './api-key.ts';

describe('api keys', () => {
  it('when roles are checked, then viewers read, operators write and only admins administer', () => {
    expect([
      allows('viewer', 'read'),
      allows('viewer', 'write'),
      allows('operator', 'write'),
      allows('operator', 'admin'),
      allows('admin', 'admin'),
    ]).toEqual([true, false, true, false, true]);
  });

  it('when a key is generated, then it is unique, hashes stably and its prefix does not reveal it', () => {
    const key = generateApiKey();
    expect(key).not.toBe(generateApiKey());
    expect(hashApiKey(key)).toBe(hashApiKey(key));
    expect(hashApiKey(key)).not.toContain(key);
    expect(displayPrefix(key)).toHaveLength(9);
  });
});
