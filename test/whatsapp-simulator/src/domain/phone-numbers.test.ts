import { describe, expect, it } from 'vitest';
import { describePhoneNumber, limitChangeEvent, throughputLevelOf, type PhoneNumber } from './phone-numbers.ts';

const number: PhoneNumber = {
  phoneNumberId: '106540352242922',
  wabaId: '102290129340398',
  displayPhoneNumber: '15550001111',
  verifiedName: 'EkTola',
  qualityRating: 'GREEN',
  messagingLimit: 'TIER_2K',
  throughputMps: null,
  status: 'CONNECTED',
};

describe('phone numbers as Meta describes them', () => {
  it('when a limit rises or falls, then UPGRADE or DOWNGRADE', () => {
    expect(limitChangeEvent('TIER_2K', 'TIER_10K')).toBe('UPGRADE');
    expect(limitChangeEvent('TIER_UNLIMITED', 'TIER_250')).toBe('DOWNGRADE');
  });

  it('when a number may send more than 80 a second (or without limit), then its level is HIGH', () => {
    expect(throughputLevelOf(80)).toBe('STANDARD');
    expect(throughputLevelOf(81)).toBe('HIGH');
    expect(throughputLevelOf(null)).toBe('HIGH');
  });

  it('when the number follows the simulator-wide throughput, then its level is read from that', () => {
    expect(describePhoneNumber(number, 'throughput', 80)).toEqual({
      ok: true,
      body: { throughput: { level: 'STANDARD' }, id: number.phoneNumberId },
    });
    expect(describePhoneNumber({ ...number, throughputMps: 1000 }, 'throughput', 80)).toMatchObject({
      body: { throughput: { level: 'HIGH' } },
    });
  });

  it('when id is asked for, or fields are spaced, then id still comes once and last', () => {
    expect(describePhoneNumber(number, 'id, quality_rating', 80)).toEqual({
      ok: true,
      body: { quality_rating: 'GREEN', id: number.phoneNumberId },
    });
  });
});
