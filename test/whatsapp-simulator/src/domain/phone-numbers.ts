import { z } from 'zod';
import { metaError, type MetaError } from './meta-errors.ts';
import type { BusinessNumber } from './webhook-payloads.ts';

export const qualityRatings = ['GREEN', 'YELLOW', 'RED', 'UNKNOWN'] as const;
export type QualityRating = (typeof qualityRatings)[number];

/** Meta's messaging limits, lowest first, as `whatsapp_business_manager_messaging_limit` and the webhooks spell them. */
export const messagingLimits = ['TIER_50', 'TIER_250', 'TIER_2K', 'TIER_10K', 'TIER_100K', 'TIER_UNLIMITED'] as const;
export type MessagingLimit = (typeof messagingLimits)[number];

export const numberStatuses = ['CONNECTED', 'FLAGGED', 'RESTRICTED', 'DISCONNECTED', 'BANNED', 'OFFBOARDED'] as const;
export type NumberStatus = (typeof numberStatuses)[number];

/** Meta's standard throughput is 80 messages a second; a number upgraded to HIGH sends up to 1,000. */
export const standardMps = 80;

/** One business phone number as the simulator keeps it: what `GET /{phone-number-id}` reports and what sends meet. */
export interface PhoneNumber extends BusinessNumber {
  verifiedName: string;
  qualityRating: QualityRating;
  messagingLimit: MessagingLimit;
  /** Its own throughput; null follows the simulator-wide `limits.throughputPerSecond`. */
  throughputMps: number | null;
  status: NumberStatus;
  /** The error every send through it answers while it is restricted, banned or offboarded. */
  blockedWith?: number;
  /** When a restriction lifts by itself (epoch ms); bans and offboarding last until reinstated. */
  blockedUntilMs?: number;
}

const digits = z.string().regex(/^\d+$/, 'must be digits');

/** One entry of `SIMULATOR_NUMBERS`: only the id is required. */
export const phoneNumberInputSchema = z
  .object({
    phoneNumberId: digits,
    wabaId: digits.optional(),
    displayPhoneNumber: digits.optional(),
    verifiedName: z.string().min(1).optional(),
    qualityRating: z.enum(qualityRatings).default('GREEN'),
    messagingLimit: z.enum(messagingLimits).default('TIER_10K'),
    throughputMps: z.number().int().min(1).max(100_000).nullable().default(null),
  })
  .strict();
export type PhoneNumberInput = z.input<typeof phoneNumberInputSchema>;

/** Display numbers the simulator invents: a 1555 test number ending like the id. */
export const displayNumberOf = (phoneNumberId: string) => `1555${phoneNumberId.slice(-7).padStart(7, '0')}`;

export function toPhoneNumber(
  input: z.output<typeof phoneNumberInputSchema>,
  defaults: { wabaId: string; verifiedName: string },
): PhoneNumber {
  return {
    phoneNumberId: input.phoneNumberId,
    wabaId: input.wabaId ?? defaults.wabaId,
    displayPhoneNumber: input.displayPhoneNumber ?? displayNumberOf(input.phoneNumberId),
    verifiedName: input.verifiedName ?? defaults.verifiedName,
    qualityRating: input.qualityRating,
    messagingLimit: input.messagingLimit,
    throughputMps: input.throughputMps,
    status: 'CONNECTED',
  };
}

/** The throughput level Meta reports: HIGH once a number may send more than the standard 80 a second. */
export const throughputLevelOf = (mps: number | null) => (mps === null || mps > standardMps ? 'HIGH' : 'STANDARD');

/** Which way a limit moved, in the words of `phone_number_quality_update`. */
export const limitChangeEvent = (from: MessagingLimit, to: MessagingLimit) =>
  messagingLimits.indexOf(to) > messagingLimits.indexOf(from) ? 'UPGRADE' : 'DOWNGRADE';

/**
 * The fields `GET /{phone-number-id}` serves. Meta renamed `messaging_limit_tier` to
 * `whatsapp_business_manager_messaging_limit` when limits moved to the business portfolio; both are
 * served with the same value so a client of either era reads the limit.
 */
const fieldReaders: Record<string, (number: PhoneNumber, globalMps: number | null) => unknown> = {
  display_phone_number: (number) => number.displayPhoneNumber,
  verified_name: (number) => number.verifiedName,
  quality_rating: (number) => number.qualityRating,
  throughput: (number, globalMps) => ({ level: throughputLevelOf(number.throughputMps ?? globalMps) }),
  status: (number) => number.status,
  name_status: () => 'APPROVED',
  code_verification_status: () => 'VERIFIED',
  platform_type: () => 'CLOUD_API',
  account_mode: () => 'LIVE',
  is_official_business_account: () => false,
  whatsapp_business_manager_messaging_limit: (number) => number.messagingLimit,
  messaging_limit_tier: (number) => number.messagingLimit,
};

/** What Meta answers when no `fields` are asked for. */
const defaultFields = [
  'verified_name',
  'code_verification_status',
  'display_phone_number',
  'quality_rating',
  'platform_type',
  'throughput',
];

/** Meta's answer to `GET /{phone-number-id}?fields=…`: the fields asked for, and `id` always. */
export function describePhoneNumber(
  number: PhoneNumber,
  fields: string | undefined,
  globalMps: number | null,
): { ok: true; body: Record<string, unknown> } | { ok: false; error: MetaError } {
  const asked = fields
    ? fields
        .split(',')
        .map((field) => field.trim())
        .filter(Boolean)
    : defaultFields;
  const body: Record<string, unknown> = {};
  for (const field of asked) {
    if (field === 'id') continue;
    const read = fieldReaders[field];
    if (!read) return { ok: false, error: nonexistingField(field) };
    body[field] = read(number, globalMps);
  }
  return { ok: true, body: { ...body, id: number.phoneNumberId } };
}

/** Graph's answer to a field the node does not have. */
function nonexistingField(field: string): MetaError {
  const error = metaError(100);
  error.body.error.message = `(#100) Tried accessing nonexisting field (${field}) on node type (WhatsAppBusinessPhoneNumber)`;
  delete error.body.error.error_data;
  return error;
}
