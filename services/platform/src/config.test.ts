import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, baseEnv, parseConfig } from './config.ts';

const schema = z.object(baseEnv);

describe('parseConfig', () => {
  it('when nothing is set, then every default applies', () => {
    expect(parseConfig(schema, {})).toMatchObject({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/ektola',
      NATS_URL: 'nats://127.0.0.1:4222',
      EKTOLA_NAMESPACE: 'ektola',
      SHUTDOWN_GRACE_MS: 10_000,
    });
  });

  it('when JETSTREAM_STREAM_MAX_MB names streams with sizes, then they are read as MiB per stream; an unknown stream is named', () => {
    expect(
      parseConfig(schema, { JETSTREAM_STREAM_MAX_MB: 'WHATSAPP=4096, DISPATCH=1024' }).JETSTREAM_STREAM_MAX_MB,
    ).toEqual({
      WHATSAPP: 4096,
      DISPATCH: 1024,
    });
    expect(() => parseConfig(schema, { JETSTREAM_STREAM_MAX_MB: 'WHATSAPP=4096,ORDERS=10' })).toThrow(
      expect.objectContaining({
        problems: [expect.stringMatching(/^JETSTREAM_STREAM_MAX_MB: "ORDERS=10" must be STREAM=MiB/)],
      }),
    );
  });

  it('when NATS_URL is not a URL, then the one problem names the variable', () => {
    try {
      parseConfig(schema, { NATS_URL: 'not-a-url' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'NATS_URL: must be a comma-separated list of nats:// or tls:// URLs, such as nats://127.0.0.1:4222',
      ]);
    }
  });

  it('when several values are wrong, then all of them are reported at once', () => {
    expect(() =>
      parseConfig(schema, { DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', SHUTDOWN_GRACE_MS: '-1' }),
    ).toThrow(
      expect.objectContaining({
        problems: [
          expect.stringMatching(/^DATABASE_URL: /),
          expect.stringMatching(/^LOG_LEVEL: /),
          expect.stringMatching(/^SHUTDOWN_GRACE_MS: /),
        ],
      }),
    );
  });

  it('when a variable is set but empty, then it counts as unset', () => {
    expect(parseConfig(schema, { NATS_URL: '' }).NATS_URL).toBe('nats://127.0.0.1:4222');
  });
});
