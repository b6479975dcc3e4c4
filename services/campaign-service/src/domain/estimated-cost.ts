import type { TemplateCategory } from './model.ts';
import type { RateCard } from './rate-card.ts';

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
 * Count × price, summed over calling codes (`default` counts the recipients no listed code prices); a
 * category with no price for a code takes the card's default, which prices every category.
 */
export function estimateCost(
  card: RateCard,
  category: TemplateCategory,
  recipientsByCode: ReadonlyMap<string, number>,
): EstimatedCost {
  // The settings API keeps prices to six decimals, so their six-decimal text is exact; sums stay in integers.
  const priceFor = (code: string) =>
    ((code === 'default' ? undefined : card.byCallingCode[code]?.[category]) ?? card.default[category])
      .toFixed(6)
      .replace(/\.?0+$/, '');
  const priced: Array<{ price: string; count: number }> = [];
  for (const [code, count] of recipientsByCode) if (count > 0) priced.push({ price: priceFor(code), count });
  const scale = Math.max(2, ...priced.map(({ price }) => scaleOf(price)));
  const total = priced.reduce((sum, { price, count }) => sum + toUnits(price, scale) * BigInt(count), 0n);
  return { currency: card.currency, amount: formatUnits(total, scale), category };
}
