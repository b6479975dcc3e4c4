import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@ektola/platform/config';
import { testGrpcTokenEnv } from '@ektola/platform/testing';
import { configSchema } from './config.ts';

/** The settings every configuration needs, so each case varies only the setting it is about. */
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

describe('UPLOAD_ROOM_BYTES', () => {
  it('when it is smaller than UPLOAD_LIMIT_BYTES, then the configuration names it', () => {
    expect(() =>
      parseConfig(configSchema, { ...required, UPLOAD_LIMIT_BYTES: '1048576', UPLOAD_ROOM_BYTES: '1048575' }),
    ).toThrow(expect.objectContaining({ problems: [expect.stringMatching(/^UPLOAD_ROOM_BYTES: /)] }) as ConfigError);
  });

  it('when it is at least UPLOAD_LIMIT_BYTES, then it is taken; unset, it is twice UPLOAD_LIMIT_BYTES', () => {
    expect(
      parseConfig(configSchema, { ...required, UPLOAD_ROOM_BYTES: String(64 * 1024 * 1024) }).UPLOAD_ROOM_BYTES,
    ).toBe(64 * 1024 * 1024);
    expect(parseConfig(configSchema, { ...required, UPLOAD_LIMIT_BYTES: '1048576' }).UPLOAD_ROOM_BYTES).toBe(2097152);
  });
});
