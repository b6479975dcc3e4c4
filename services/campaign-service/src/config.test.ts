import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@ektola/platform/config';
import { configSchema } from './config.ts';

describe('TRUSTED_PROXIES', () => {
  it('when it is not set, then no proxy is trusted', () => {
    expect(parseConfig(configSchema, {}).TRUSTED_PROXIES).toEqual([]);
  });

  it('when it lists addresses and CIDR ranges, then each is kept', () => {
    expect(parseConfig(configSchema, { TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1,fd00::/8' }).TRUSTED_PROXIES).toEqual(['10.0.0.0/8', '127.0.0.1', 'fd00::/8']);
  });

  it.each(['10.0.0.0/33', 'ingress', '10.0.0.0/8/1', '::1/129', '10.0.0.0/x'])('when it holds %s, then the configuration names TRUSTED_PROXIES', (value) => {
    expect(() => parseConfig(configSchema, { TRUSTED_PROXIES: value })).toThrow(expect.objectContaining({ problems: [expect.stringMatching(/^TRUSTED_PROXIES: /)] }) as ConfigError);
  });
});
