import { describe, expect, it } from 'vitest';
import { senderOf } from './fake-transactions.ts';
import {
  digitsOf,
  messagingLimitOf,
  mpsInForce,
  portfolioKeyOf,
  runSendersOf,
  senderChangedPayload,
} from './sender.ts';

const at = new Date('2026-03-05T10:00:00Z');

describe('messagingLimitOf', () => {
  it('when Meta names a tier, then it is the count of unique recipients it allows; unlimited and unknown are null', () => {
    expect(messagingLimitOf('TIER_250')).toBe(250);
    expect(messagingLimitOf('TIER_1K')).toBe(1_000);
    expect(messagingLimitOf('TIER_2K')).toBe(2_000);
    expect(messagingLimitOf('TIER_10K')).toBe(10_000);
    expect(messagingLimitOf('TIER_100K')).toBe(100_000);
    expect(messagingLimitOf('TIER_UNLIMITED')).toBeNull();
    expect(messagingLimitOf('2000')).toBe(2_000);
    expect(messagingLimitOf('-1')).toBeNull();
    expect(messagingLimitOf('TIER_SOMETHING_NEW')).toBeNull();
    expect(messagingLimitOf(null)).toBeNull();
  });
});

describe('mpsInForce', () => {
  it("when the operator caps below Meta's throughput, then the cap holds; a cap above it does not raise it", () => {
    expect(mpsInForce(senderOf('a', { metaMps: 1_000, mpsCap: 300 }), 0.5)).toBe(300);
    expect(mpsInForce(senderOf('a', { metaMps: 80, mpsCap: 500 }), 0.5)).toBe(80);
  });

  it('when the number is FLAGGED, then it sends at the factor of its rate and never below 1 a second', () => {
    expect(mpsInForce(senderOf('a', { metaMps: 80, state: 'FLAGGED' }), 0.5)).toBe(40);
    expect(mpsInForce(senderOf('a', { metaMps: 1_000, mpsCap: 1, state: 'FLAGGED' }), 0.5)).toBe(1);
  });
});

describe('senderChangedPayload', () => {
  it('when a sender is announced, then the dispatcher gets its rate, limit, portfolio and state; switched off reads DISABLED with the reason', () => {
    const sender = senderOf('s1', { phoneNumberId: '111', wabaId: 'waba', portfolioId: null, version: 3 });
    expect(senderChangedPayload(sender, { flaggedFactor: 0.5, at })).toEqual({
      senderId: 's1',
      phoneNumberId: '111',
      businessAccountId: 'waba',
      portfolioKey: 'waba',
      mps: 80,
      messagingLimit: 2_000,
      state: 'ACTIVE',
      version: 3,
      occurredAt: '2026-03-05T10:00:00.000Z',
    });
    expect(senderChangedPayload({ ...sender, enabled: false }, { flaggedFactor: 0.5, at })).toMatchObject({
      state: 'DISABLED',
      reason: 'switched off by an operator',
    });
    expect(senderChangedPayload(sender, { flaggedFactor: 0.5, at, deleted: true })).toMatchObject({ state: 'DELETED' });
  });

  it('when the portfolio is known, then it is the key; else the WABA; else the number alone', () => {
    expect(portfolioKeyOf({ portfolioId: 'p', wabaId: 'w', phoneNumberId: 'n' })).toBe('p');
    expect(portfolioKeyOf({ portfolioId: null, wabaId: 'w', phoneNumberId: 'n' })).toBe('w');
    expect(portfolioKeyOf({ portfolioId: null, wabaId: null, phoneNumberId: 'n' })).toBe('n');
  });
});

describe('runSendersOf', () => {
  it('when some senders send, then only they are listed, each weighted by its rate in force', () => {
    const senders = [
      senderOf('a', { phoneNumberId: '1', metaMps: 1_000 }),
      senderOf('b', { phoneNumberId: '2', state: 'FLAGGED' }),
      senderOf('c', { phoneNumberId: '3', state: 'RESTRICTED' }),
      senderOf('d', { phoneNumberId: '4', enabled: false }),
    ];
    expect(runSendersOf(senders, 0.5)).toEqual([
      { phoneNumberId: '1', weight: 1_000 },
      { phoneNumberId: '2', weight: 40 },
    ]);
  });

  it('when none of them sends, then all are listed, so the dispatcher holds the messages with the reason', () => {
    const senders = [senderOf('c', { phoneNumberId: '3', state: 'RESTRICTED' })];
    expect(runSendersOf(senders, 0.5)).toEqual([{ phoneNumberId: '3', weight: 80 }]);
  });
});

describe('digitsOf', () => {
  it("when a display number is formatted, then only its digits remain, as Meta's webhooks write it", () => {
    expect(digitsOf('+1 555-078-3881')).toBe('15550783881');
  });
});
