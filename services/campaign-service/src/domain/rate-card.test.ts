import { describe, expect, it } from 'vitest';
import { costOf, pricedCategoryOf, type RateCard } from './rate-card.ts';

const card: RateCard = {
  currency: 'INR',
  default: { MARKETING: 1.1, UTILITY: 0.2, AUTHENTICATION: 0.15 },
  byCallingCode: { '91': { MARKETING: 0.7846, UTILITY: 0.115 } },
  updatedAt: new Date('2026-12-01T00:00:00Z'),
};

describe('rate card', () => {
  it('when billable messages are priced, then each takes its calling code price or the default per category', () => {
    expect(
      costOf(card, [
        { category: 'marketing', callingCode: '91', count: 3 },
        { category: 'utility', callingCode: '91', count: 10 },
        { category: 'authentication', callingCode: '91', count: 2 },
        { category: 'marketing', callingCode: '1', count: 1 },
      ]),
    ).toEqual({ currency: 'INR', amount: 3 * 0.7846 + 10 * 0.115 + 2 * 0.15 + 1.1 });
  });

  it('when sums of decimal prices are made, then they come out exact', () => {
    expect(costOf(card, [{ category: 'utility', callingCode: '91', count: 3 }])!.amount).toBe(0.345);
  });

  it('when there is no rate card, then the cost is null, never a made-up number', () => {
    expect(costOf(undefined, [{ category: 'marketing', callingCode: '91', count: 1 }])).toBeNull();
  });

  it('when a billable message has a category the card cannot price, then the cost is null', () => {
    expect(costOf(card, [{ category: 'service', callingCode: '91', count: 1 }])).toBeNull();
  });

  it('when Meta writes authentication-international, then it is priced as AUTHENTICATION', () => {
    expect(pricedCategoryOf('authentication-international')).toBe('AUTHENTICATION');
    expect(pricedCategoryOf('marketing')).toBe('MARKETING');
    expect(pricedCategoryOf('')).toBeUndefined();
  });

  it('when nothing is billable, then the cost is zero in the card currency', () => {
    expect(costOf(card, [])).toEqual({ currency: 'INR', amount: 0 });
  });
});
