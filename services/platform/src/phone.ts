/**
 * Keeps a phone number recognisable to an operator (country code and last three digits)
 * without putting the subscriber's number into logs or traces.
 */
export function maskPhone(value: unknown): string {
  if (typeof value !== 'string') return '[redacted]';
  const digits = value.replace(/\D/g, '');
  if (digits.length < 7) return '***';
  const prefix = value.startsWith('+') ? '+' : '';
  return `${prefix}${digits.slice(0, 2)}${'*'.repeat(digits.length - 5)}${digits.slice(-3)}`;
}

/** Meta's wa_id and `to` fields carry E.164 digits without the plus sign. */
export const waIdToE164 = (waId: string) => (waId.startsWith('+') ? waId : `+${waId}`);
export const e164ToWaId = (e164: string) => e164.replace(/^\+/, '');
