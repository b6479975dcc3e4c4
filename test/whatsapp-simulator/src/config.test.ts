import { ConfigError, parseConfig } from '@ektola/platform/config';
import { describe, expect, it } from 'vitest';
import { configSchema, initialNumbers, initialSettings } from './config.ts';
import { applySettingsPatch } from './settings.ts';

describe('configSchema', () => {
  it('has development defaults that match the rest of EkTola', () => {
    const config = parseConfig(configSchema, {});
    expect(config).toMatchObject({
      PORT: 8090,
      HOST: '127.0.0.1',
      WHATSAPP_ACCESS_TOKEN: 'dev-access-token',
      WHATSAPP_APP_SECRET: 'dev-app-secret',
      WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
      WHATSAPP_BUSINESS_ACCOUNT_ID: '102290129340398',
      SIMULATOR_THROUGHPUT_MPS: 80,
      SIMULATOR_TIER_LIMIT: null,
    });
    expect(initialSettings(config).webhooks.url).toBeNull();
  });

  it('reads 0 and "unlimited" as no limit, and weighted failure codes', () => {
    const config = parseConfig(configSchema, {
      SIMULATOR_THROUGHPUT_MPS: 'unlimited',
      SIMULATOR_TIER_LIMIT: '0',
      SIMULATOR_WEBHOOK_FAILURE_CODES: '131026:3, 131050',
      SIMULATOR_EXTRA_PHONE_NUMBER_IDS: '111, 222',
    });
    expect(config.SIMULATOR_THROUGHPUT_MPS).toBeNull();
    expect(config.SIMULATOR_TIER_LIMIT).toBeNull();
    expect(config.SIMULATOR_WEBHOOK_FAILURE_CODES).toEqual([
      { code: 131026, weight: 3 },
      { code: 131050, weight: 1 },
    ]);
    expect(config.SIMULATOR_EXTRA_PHONE_NUMBER_IDS).toEqual(['111', '222']);
  });

  it('lists every bad variable at once', () => {
    try {
      parseConfig(configSchema, {
        PORT: 'x',
        SIMULATOR_WEBHOOK_URL: 'ftp://nope',
        SIMULATOR_WEBHOOK_FAILURE_SHARE: '2',
      });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems.map((line) => line.split(':')[0])).toEqual([
        'PORT',
        'SIMULATOR_WEBHOOK_URL',
        'SIMULATOR_WEBHOOK_FAILURE_SHARE',
      ]);
    }
  });
});

describe('initialNumbers', () => {
  it('when nothing is configured, then the one number of the environment sends at the simulator-wide throughput', () => {
    expect(initialNumbers(parseConfig(configSchema, {}))).toEqual([
      {
        phoneNumberId: '106540352242922',
        wabaId: '102290129340398',
        displayPhoneNumber: '15550001111',
        verifiedName: 'EkTola Test Business',
        qualityRating: 'GREEN',
        messagingLimit: 'TIER_10K',
        throughputMps: null,
        status: 'CONNECTED',
      },
    ]);
  });

  it('when SIMULATOR_NUMBERS adds numbers and profiles one already listed, then the entry wins and the display number stays', () => {
    const numbers = initialNumbers(
      parseConfig(configSchema, {
        SIMULATOR_EXTRA_PHONE_NUMBER_IDS: '111222333',
        SIMULATOR_NUMBERS: JSON.stringify([
          { phoneNumberId: '106540352242922', throughputMps: 1000 },
          { phoneNumberId: '444555666', wabaId: '777', messagingLimit: 'TIER_UNLIMITED' },
        ]),
      }),
    );
    expect(
      numbers.map((number) => [number.phoneNumberId, number.wabaId, number.displayPhoneNumber, number.throughputMps]),
    ).toEqual([
      ['106540352242922', '102290129340398', '15550001111', 1000],
      ['111222333', '102290129340398', '15551222333', null],
      ['444555666', '777', '15554555666', null],
    ]);
    expect(numbers[2]?.messagingLimit).toBe('TIER_UNLIMITED');
  });

  it('when SIMULATOR_NUMBERS is not JSON or names an unknown limit, then the variable is named', () => {
    for (const value of ['[{', JSON.stringify([{ phoneNumberId: '1', messagingLimit: 'TIER_3K' }])]) {
      try {
        parseConfig(configSchema, { SIMULATOR_NUMBERS: value });
        expect.unreachable();
      } catch (error) {
        expect((error as ConfigError).problems[0]).toMatch(/^SIMULATOR_NUMBERS/);
      }
    }
  });
});

describe('applySettingsPatch', () => {
  it('changes only what the patch names and refuses unknown settings', () => {
    const settings = initialSettings(parseConfig(configSchema, {}));
    const patched = applySettingsPatch(settings, {
      limits: { throughputPerSecond: 'unlimited' },
      webhooks: { duplicateShare: 0.5 },
    });
    expect(patched.limits).toEqual({ ...settings.limits, throughputPerSecond: null });
    expect(patched.webhooks).toEqual({ ...settings.webhooks, duplicateShare: 0.5 });
    expect(() => applySettingsPatch(settings, { limits: { bogus: 1 } })).toThrow();
    expect(() => applySettingsPatch(settings, { webhooks: { readShare: 1.5 } })).toThrow();
  });
});
