import { describe, expect, it } from 'vitest';
import { estimateCost, pricedCallingCode, type RateCard } from './estimated-cost.ts';

const card: RateCard = {
  currency: 'INR',
  prices: {
    default: { MARKETING: '0.0107', UTILITY: '0.0014' },
    byCallingCode: { '91': { MARKETING: '0.7846' }, '1': { MARKETING: '0.025' } },
  },
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

  it('when neither the code nor the default prices the category, then there is no estimate', () => {
    expect(estimateCost(card, 'AUTHENTICATION', new Map([['91', 1]]))).toBeUndefined();
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
