import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@ektola/platform/config';
import { configSchema } from './config.ts';

describe('scheduler configuration', () => {
  it('when nothing is set, then the grace window is 6 hours and it runs once for the real now', () => {
    const config = parseConfig(configSchema, { GRPC_TOKEN: 'scheduler-grpc-token-0123' });
    expect(config).toMatchObject({
      SCHEDULER_GRACE_WINDOW: 21_600_000,
      OPS_PORT: 8083,
      CAMPAIGN_GRPC_ADDRESS: '127.0.0.1:50051',
    });
    expect(config.SCHEDULER_EVERY).toBeUndefined();
    expect(config.SCHEDULER_NOW).toBeUndefined();
  });

  it('when --now and --every values are given, then they are read as an instant and milliseconds', () => {
    const config = parseConfig(configSchema, {
      GRPC_TOKEN: 'scheduler-grpc-token-0123',
      SCHEDULER_NOW: '2026-03-06T09:30:00+05:30',
      SCHEDULER_EVERY: '30s',
      SCHEDULER_GRACE_WINDOW: '2h',
    });
    expect(config.SCHEDULER_NOW?.toISOString()).toBe('2026-03-06T04:00:00.000Z');
    expect(config.SCHEDULER_EVERY).toBe(30_000);
    expect(config.SCHEDULER_GRACE_WINDOW).toBe(7_200_000);
  });

  it('when values are bad, then every one is named at once', () => {
    const read = () =>
      parseConfig(configSchema, {
        SCHEDULER_NOW: '2026-03-06T04:00:00',
        SCHEDULER_EVERY: '0s',
        SCHEDULER_GRACE_WINDOW: 'later',
      });
    expect(read).toThrow(ConfigError);
    try {
      read();
    } catch (error) {
      const variables = (error as ConfigError).problems.map((problem) => problem.split(':')[0]);
      expect(variables.sort()).toEqual(['GRPC_TOKEN', 'SCHEDULER_EVERY', 'SCHEDULER_GRACE_WINDOW', 'SCHEDULER_NOW']);
    }
  });
});
