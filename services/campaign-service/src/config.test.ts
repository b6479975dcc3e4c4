import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@ektola/platform/config';
import { testGrpcTokenEnv } from '@ektola/platform/testing';
import { configSchema } from './config.ts';

/** The settings every configuration needs, so each case varies only TRUSTED_PROXIES. */
const required = testGrpcTokenEnv['campaign-service'];

describe('TRUSTED_PROXIES', () => {
  it('when it is not set, then no proxy is trusted', () => {
    expect(parseConfig(configSchema, required).TRUSTED_PROXIES).toEqual([]);
  });

  it('when it lists addresses and CIDR ranges, then each is kept', () => {
    expect(
      parseConfig(configSchema, { ...required, TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1,fd00::/8' }).TRUSTED_PROXIES,
    ).toEqual(['10.0.0.0/8', '127.0.0.1', 'fd00::/8']);
  });

  it.each(['10.0.0.0/33', 'ingress', '10.0.0.0/8/1', '::1/129', '10.0.0.0/x'])(
    'when it holds %s, then the configuration names TRUSTED_PROXIES',
    (value) => {
      expect(() => parseConfig(configSchema, { ...required, TRUSTED_PROXIES: value })).toThrow(
        expect.objectContaining({ problems: [expect.stringMatching(/^TRUSTED_PROXIES: /)] }) as ConfigError,
      );
    },
  );
});
