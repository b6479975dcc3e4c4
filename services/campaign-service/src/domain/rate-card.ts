/** The template categories Meta prices separately. */
export const pricedCategories = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export type PricedCategory = (typeof pricedCategories)[number];

/**
 * What the business pays Meta per billable message: a price per category for each country calling
 * code it names, and a default per category for every other code. Prices are in `currency` units.
 */
export interface RateCard {
  currency: string;
  default: Record<PricedCategory, number>;
  byCallingCode: Record<string, Partial<Record<PricedCategory, number>>>;
  updatedAt: Date;
}

export interface BillableGroup {
  /** Meta's pricing category as its webhooks write it (marketing, utility, authentication, …). */
  category: string;
  callingCode: string;
  count: number;
}

export interface Cost {
  currency: string;
  amount: number;
}

/** Prices carry at most six decimals; sums are made in millionths so they come out exact. */
const micros = (price: number) => Math.round(price * 1_000_000);

/**
 * The category a rate card prices for Meta's pricing category. Meta writes `authentication-international`
 * for authentication templates sent abroad at another rate; the card prices it as AUTHENTICATION.
 */
export function pricedCategoryOf(category: string): PricedCategory | undefined {
  const upper = category.toUpperCase().replace(/[-\s]/g, '_');
  if (upper.startsWith('AUTHENTICATION')) return 'AUTHENTICATION';
  return pricedCategories.find((priced) => priced === upper);
}

export function priceOf(card: RateCard, category: PricedCategory, callingCode: string): number {
  return card.byCallingCode[callingCode]?.[category] ?? card.default[category];
}

/**
 * The cost of billable messages under a rate card: null without a card, or when a billable message has a
 * category the card cannot price, since any figure then would be made up.
 */
export function costOf(card: RateCard | undefined, billable: readonly BillableGroup[]): Cost | null {
  if (!card) return null;
  let total = 0;
  for (const group of billable) {
    const category = pricedCategoryOf(group.category);
    if (!category) return null;
    total += micros(priceOf(card, category, group.callingCode)) * group.count;
  }
  return { currency: card.currency, amount: total / 1_000_000 };
}
