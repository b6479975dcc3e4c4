import { z } from 'zod';
import { senderStates, throughputLevels } from '../../domain/sender.ts';

const graphId = (what: string) =>
  z
    .string()
    .regex(/^\d{1,30}$/, `must be the numeric ${what} id Meta gives`)
    .describe(`Meta's ${what} id`);

export const createSenderBody = z
  .object({
    phoneNumberId: graphId('phone number'),
    wabaId: graphId('WhatsApp Business Account')
      .optional()
      .describe('The WABA the number belongs to; WHATSAPP_BUSINESS_ACCOUNT_ID when left out'),
    portfolioId: graphId('business portfolio')
      .optional()
      .describe("The business portfolio whose daily messaging limit the number shares; the WABA's when left out"),
    label: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

export const patchSenderBody = z
  .object({
    label: z.string().trim().min(1).max(200).nullable(),
    enabled: z.boolean().describe('false: the number sends nothing (DISABLED) until switched back on'),
    mpsCap: z
      .number()
      .int()
      .min(1)
      .max(1_000)
      .nullable()
      .describe("Messages per second below Meta's throughput (80 STANDARD, 1,000 HIGH); null lifts the cap"),
  })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'must change at least one field');

const activity = z
  .object({
    sentLastMinute: z.number().int(),
    peakPerSecond: z.number().int().describe('Messages Meta accepted in the busiest second of the last minute'),
    pending: z.number().int(),
    sending: z.number().int(),
    mps: z.number().int().describe('The rate the dispatcher holds the number to now'),
    heldReason: z.string().nullable().describe('Why the dispatcher does not send through the number now'),
    recipientsLastDay: z
      .number()
      .int()
      .describe("Unique recipients in the moving 24 hours, for the number's portfolio"),
    messagingLimit: z.number().int().nullable(),
  })
  .nullable()
  .describe('What the dispatcher sends through the number now; null when the dispatcher cannot be asked');

export const senderSchema = z.object({
  id: z.uuid(),
  phoneNumberId: z.string(),
  wabaId: z.string().nullable(),
  portfolioId: z.string().nullable(),
  label: z.string().nullable(),
  displayPhoneNumber: z.string().nullable().describe('Digits only, as Meta writes it'),
  verifiedName: z.string().nullable(),
  qualityRating: z.string().nullable().describe("Meta's GREEN, YELLOW, RED or UNKNOWN"),
  throughputLevel: z.enum(throughputLevels).describe('STANDARD: 80 messages per second; HIGH: 1,000'),
  metaMps: z.number().int().describe('Messages per second Meta allows the number'),
  mpsCap: z.number().int().nullable(),
  mps: z.number().int().describe("The rate in force: Meta's, the cap if lower, slowed while FLAGGED"),
  messagingLimitTier: z.string().nullable().describe('As Meta spells it: TIER_250, TIER_2K, … TIER_UNLIMITED'),
  messagingLimit: z
    .number()
    .int()
    .nullable()
    .describe("Unique recipients per moving 24 hours, shared by the portfolio's numbers; null: unlimited or unknown"),
  portfolioKey: z.string().describe('Whose messaging limit the number shares: the portfolio, else the WABA'),
  nameStatus: z.string().nullable(),
  metaStatus: z.string().nullable().describe("Meta's status of the number: CONNECTED, FLAGGED, BANNED, …"),
  enabled: z.boolean(),
  state: z
    .enum(senderStates)
    .describe(
      'ACTIVE sends; FLAGGED sends slower (Meta flagged its quality); RESTRICTED does not send (Meta restricted, disabled or offboarded the account); DISABLED: switched off here',
    ),
  stateReason: z.string().nullable(),
  stateChangedAt: z.string().nullable(),
  isDefault: z
    .boolean()
    .describe('The environment’s WHATSAPP_PHONE_NUMBER_ID: campaigns naming no sender send from it'),
  version: z.number().int(),
  refreshedAt: z.string().nullable().describe('When Meta last described the number'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const senderDetailSchema = senderSchema.extend({ activity });
