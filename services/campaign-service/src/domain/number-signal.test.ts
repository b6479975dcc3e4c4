import { describe, expect, it } from 'vitest';
import { senderOf } from './fake-transactions.ts';
import { decideNumberSignal, type NumberUpdate } from './number-signal.ts';

const quality = (event: string, extra: Partial<NumberUpdate> = {}): NumberUpdate => ({
  field: 'phone_number_quality_update',
  businessAccountId: 'waba-1',
  displayPhoneNumber: '15550000001',
  event,
  restrictions: [],
  occurredAt: '2026-03-05T10:00:00.000Z',
  ...extra,
});
const account = (event: string, extra: Partial<NumberUpdate> = {}): NumberUpdate => ({
  field: 'account_update',
  businessAccountId: 'waba-1',
  event,
  restrictions: [],
  occurredAt: '2026-03-05T10:00:00.000Z',
  ...extra,
});

describe('decideNumberSignal', () => {
  it('when Meta flags an active number, then it is FLAGGED with the reason; unflagging makes it ACTIVE again', () => {
    const flagged = decideNumberSignal(senderOf('a'), quality('FLAGGED'));
    expect(flagged).toMatchObject({ state: 'FLAGGED', stateReason: expect.stringContaining('slower') });
    expect(decideNumberSignal(senderOf('a', { ...flagged }), quality('UNFLAGGED'))).toMatchObject({
      state: 'ACTIVE',
      stateReason: null,
    });
  });

  it('when the same signal comes again, then nothing changes', () => {
    expect(
      decideNumberSignal(senderOf('a', { state: 'FLAGGED', stateReason: 'x' }), quality('FLAGGED')),
    ).toBeUndefined();
    expect(decideNumberSignal(senderOf('a'), quality('UNFLAGGED'))).toBeUndefined();
    expect(
      decideNumberSignal(
        senderOf('a', { messagingLimitTier: 'TIER_250', messagingLimit: 250 }),
        quality('DOWNGRADE', { currentLimit: 'TIER_250' }),
      ),
    ).toBeUndefined();
  });

  it('when Meta downgrades or upgrades the limit, then the new limit is kept as Meta spells it and as a count', () => {
    expect(decideNumberSignal(senderOf('a'), quality('DOWNGRADE', { currentLimit: 'TIER_250' }))).toMatchObject({
      state: 'ACTIVE',
      messagingLimitTier: 'TIER_250',
      messagingLimit: 250,
    });
    expect(decideNumberSignal(senderOf('a'), quality('UPGRADE', { currentLimit: 'TIER_UNLIMITED' }))).toMatchObject({
      messagingLimitTier: 'TIER_UNLIMITED',
      messagingLimit: null,
    });
  });

  it('when the account is restricted, then the number is RESTRICTED with the restriction and its expiry in words', () => {
    const restriction = account('ACCOUNT_RESTRICTION', {
      restrictions: [{ type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiresAt: '2026-03-12T00:00:00.000Z' }],
    });
    expect(decideNumberSignal(senderOf('a'), restriction)).toMatchObject({
      state: 'RESTRICTED',
      stateReason: 'Meta restricted the account: business-initiated messages until 2026-03-12T00:00:00.000Z',
    });
  });

  it('when a restriction only stops adding numbers, then the number keeps sending', () => {
    const restriction = account('ACCOUNT_RESTRICTION', {
      restrictions: [{ type: 'RESTRICTED_ADD_PHONE_NUMBER_ACTION' }],
    });
    expect(decideNumberSignal(senderOf('a'), restriction)).toBeUndefined();
  });

  it('when the account is disabled, offboarded or in violation, then the number is RESTRICTED; a reinstatement or an empty restriction lifts it', () => {
    expect(decideNumberSignal(senderOf('a'), account('DISABLED_UPDATE', { banState: 'DISABLE' }))?.state).toBe(
      'RESTRICTED',
    );
    expect(
      decideNumberSignal(senderOf('a'), account('DISABLED_UPDATE', { banState: 'SCHEDULE_FOR_DISABLE' })),
    ).toBeUndefined();
    expect(decideNumberSignal(senderOf('a'), account('ACCOUNT_OFFBOARDED'))?.stateReason).toContain('offboarded');
    expect(decideNumberSignal(senderOf('a'), account('ACCOUNT_VIOLATION'))?.stateReason).toContain('violation');
    const restricted = senderOf('a', { state: 'RESTRICTED', stateReason: 'x' });
    expect(decideNumberSignal(restricted, account('DISABLED_UPDATE', { banState: 'REINSTATE' }))?.state).toBe('ACTIVE');
    expect(decideNumberSignal(restricted, account('ACCOUNT_RESTRICTION'))?.state).toBe('ACTIVE');
  });

  it('when a restricted number is flagged, then it stays restricted', () => {
    expect(
      decideNumberSignal(senderOf('a', { state: 'RESTRICTED', stateReason: 'x' }), quality('FLAGGED')),
    ).toBeUndefined();
  });

  it('when a signal is older than the state the number is in, then the state stands', () => {
    const newer = senderOf('a', {
      state: 'FLAGGED',
      stateReason: 'x',
      stateChangedAt: new Date('2026-03-05T11:00:00Z'),
    });
    expect(decideNumberSignal(newer, quality('UNFLAGGED'))).toBeUndefined();
  });
});
