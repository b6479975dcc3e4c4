import { describe, expect, it } from 'vitest';
import { senderOf } from './fake-transactions.ts';
import { changeFromMeta } from './meta-number-view.ts';
import type { MetaNumber } from './sender.ts';

const described = (overrides: Partial<MetaNumber>): MetaNumber => ({
  phoneNumberId: 'pn-s',
  displayPhoneNumber: '15550000001',
  verifiedName: 'EkTola Test',
  qualityRating: 'GREEN',
  throughputLevel: 'STANDARD',
  messagingLimitTier: 'TIER_2K',
  nameStatus: 'APPROVED',
  status: 'CONNECTED',
  ...overrides,
});

describe('changeFromMeta', () => {
  it('when Meta describes the number as stored, then nothing changes', () => {
    expect(changeFromMeta(senderOf('s'), described({}))).toEqual({});
  });

  it('when Meta reports the number banned, then it is RESTRICTED; CONNECTED again lifts what that report set', () => {
    const banned = changeFromMeta(senderOf('s'), described({ status: 'BANNED' }));
    expect(banned).toMatchObject({
      metaStatus: 'BANNED',
      state: 'RESTRICTED',
      stateReason: 'Meta reports the number as BANNED',
    });
    expect(changeFromMeta(senderOf('s', { ...banned }), described({}))).toMatchObject({
      state: 'ACTIVE',
      stateReason: null,
    });
  });

  it("when the account was restricted by webhook, then the number's CONNECTED status does not lift it", () => {
    const restricted = senderOf('s', {
      state: 'RESTRICTED',
      stateReason: 'Meta restricted the account: business-initiated messages',
    });
    expect(changeFromMeta(restricted, described({}))).toEqual({});
  });

  it('when Meta upgrades the throughput and leaves the limit out, then the rate follows and the known limit stays', () => {
    expect(changeFromMeta(senderOf('s'), described({ throughputLevel: 'HIGH', messagingLimitTier: null }))).toEqual({
      throughputLevel: 'HIGH',
      metaMps: 1_000,
    });
  });
});
