import { describe, expect, it } from 'vitest';
import { estimateCost, pricedCallingCode } from './estimated-cost.ts';
import type { RateCard } from './rate-card.ts';

const card: RateCard = {
  currency: 'INR',
  default: { MARKETING: 0.0107, UTILITY: 0.0014, AUTHENTICATION: 0.001 },
  byCallingCode: { '91': { MARKETING: 0.7846 }, '1': { MARKETING: 0.025 } },
  updatedAt: new Date('2026-12-01T00:00:00Z'),
};

describe('estimateCost', () => {
  it('when recipients fall under several calling codes, then each is priced by its code and the rest by default', () => {
    const counts = new Map([
      ['91', 1_000_000],
      ['1', 3],
      ['default', 7],
    ]);
    expect(estimateCost(card, 'MARKETING', counts)).toEqual({
      currency: 'INR',
      amount: '784600.1499',
      category: 'MARKETING',
    });
  });

  it('when a code has no price for the category, then the default price applies', () => {
    expect(estimateCost(card, 'UTILITY', new Map([['91', 10]]))?.amount).toBe('0.0140');
  });

  it('when no recipient falls under a code, then it adds nothing, down to a cost of zero', () => {
    expect(estimateCost(card, 'AUTHENTICATION', new Map([['91', 1]]))?.amount).toBe('0.001');
    expect(estimateCost(card, 'AUTHENTICATION', new Map([['91', 0]]))).toEqual({
      currency: 'INR',
      amount: '0.00',
      category: 'AUTHENTICATION',
    });
  });
});

describe('pricedCallingCode', () => {
  it('when codes overlap, then the longest one the number starts with wins', () => {
    expect(pricedCallingCode('+12425550100', ['1', '1242'])).toBe('1242');
    expect(pricedCallingCode('+919876543210', ['1', '1242'])).toBeUndefined();
  });
});
