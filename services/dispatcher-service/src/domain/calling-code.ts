import { getCountries, getCountryCallingCode } from 'libphonenumber-js';

const callingCodes = new Set(getCountries().map((country) => getCountryCallingCode(country)));

/**
 * The country calling code an E.164 number starts with. Calling codes are prefix-free and at most three
 * digits, so the first three digits after the plus decide it; `''` when none is known.
 */
export function callingCodeOf(phoneOrLeadingDigits: string): string {
  const digits = phoneOrLeadingDigits.replace(/^\+/, '').slice(0, 3);
  for (let length = 1; length <= digits.length; length++) {
    const candidate = digits.slice(0, length);
    if (callingCodes.has(candidate)) return candidate;
  }
  return '';
}
