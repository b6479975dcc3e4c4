import type { TemplateCategory } from './model.ts';

/** Prices per template category as decimal strings, so money never passes through a float. */
export type CategoryPrices = Partial<Record<TemplateCategory, string>>;

/** What Meta charges per delivered template message, by category and recipient calling code. */
export interface RateCard {
  currency: string;
  prices: { default: CategoryPrices; byCallingCode: Record<string, CategoryPrices> };
}

export interface EstimatedCost {
  currency: string;
  amount: string;
  category: TemplateCategory;
}

const decimalPattern = /^(\d+)(?:\.(\d+))?$/;

/** A decimal string as an integer count of 10^-scale units. */
function toUnits(price: string, scale: number): bigint {
  const match = decimalPattern.exec(price);
  if (!match) throw new Error(`the rate card holds a price that is not a decimal: ${price}`);
  const fraction = (match[2] ?? '').padEnd(scale, '0');
  return BigInt(match[1]! + fraction);
}

const scaleOf = (price: string) => decimalPattern.exec(price)?.[2]?.length ?? 0;

function formatUnits(units: bigint, scale: number): string {
  if (scale === 0) return units.toString();
  const digits = units.toString().padStart(scale + 1, '0');
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/**
 * The calling code of an E.164 number the rate card prices: the longest of its codes the number
 * starts with, or undefined for the default price.
 */
export function pricedCallingCode(phone: string, codes: readonly string[]): string | undefined {
  const digits = phone.startsWith('+') ? phone.slice(1) : phone;
  let best: string | undefined;
  for (const code of codes) if (digits.startsWith(code) && code.length > (best?.length ?? 0)) best = code;
  return best;
}

/**
 * Count × price, summed over calling codes (`default` counts the recipients no listed code prices).
 * A category with no price for a code falls back to the card's default; with none there either the
 * estimate is undefined rather than a made-up number.
 */
export function estimateCost(
  card: RateCard,
  category: TemplateCategory,
  recipientsByCode: ReadonlyMap<string, number>,
): EstimatedCost | undefined {
  const priceFor = (code: string) =>
    (code === 'default' ? undefined : card.prices.byCallingCode[code]?.[category]) ?? card.prices.default[category];
  const priced: Array<{ price: string; count: number }> = [];
  for (const [code, count] of recipientsByCode) {
    if (count === 0) continue;
    const price = priceFor(code);
    if (price === undefined) return undefined;
    priced.push({ price, count });
  }
  const scale = Math.max(2, ...priced.map(({ price }) => scaleOf(price)));
  const total = priced.reduce((sum, { price, count }) => sum + toUnits(price, scale) * BigInt(count), 0n);
  return { currency: card.currency, amount: formatUnits(total, scale), category };
}
