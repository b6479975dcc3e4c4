import { z } from 'zod';
import { pricedCategories } from '../../domain/rate-card.ts';
import { counts, runDetailSchema, runSchema } from './schemas.ts';

const share = z.number().min(0).max(1).nullable();

export const resultsShape = {
  rates: z
    .object({ delivered: share, read: share, failed: share, replied: share })
    .describe(
      'Shares of the messages that reached Meta (SENT, DELIVERED, READ, and FAILED after Meta accepted them): delivered counts DELIVERED and READ, failed only failures after Meta accepted the message, replied the messages a customer answered; null while none reached Meta',
    ),
  errors: z
    .array(z.object({ code: z.number().int(), title: z.string(), count: z.number().int() }))
    .describe("FAILED messages by Meta's error code and title, largest first"),
  pricing: z.object({
    billable: z.number().int().describe("Messages Meta's status webhooks reported billable"),
    byCategory: z.record(z.string(), z.number().int()).describe("Billable messages by Meta's pricing category"),
    cost: z
      .object({ currency: z.string(), amount: z.number() })
      .nullable()
      .describe(
        "Billable messages priced by the rate card, by category and the recipient's calling code; null without a rate card or for a category it cannot price",
      ),
  }),
  skipped: z.record(z.string(), z.number().int()).describe('SKIPPED messages by reason'),
  replies: z
    .object({
      replied: z.number().int().describe('Messages a customer replied to (a flag beside the status: READ stays READ)'),
      byButton: z
        .array(z.object({ payload: z.string(), text: z.string(), count: z.number().int() }))
        .describe(
          "Replies per quick-reply button payload (or interactive reply id), with the button's text; largest first",
        ),
    })
    .describe('What customers sent back'),
};

const results = z.object(resultsShape);

export const runResultsDetailSchema = runDetailSchema.extend(
  Object.fromEntries(Object.entries(resultsShape).map(([key, schema]) => [key, schema.nullable()])) as {
    [K in keyof typeof resultsShape]: z.ZodNullable<(typeof resultsShape)[K]>;
  },
);

const reported = results.extend({ messages: counts });

export const campaignReportSchema = reported.extend({
  campaignId: z.uuid(),
  runs: z.array(reported.extend({ run: runSchema })),
});

const price = z
  .number()
  .min(0)
  .refine((value) => Number.isFinite(value) && Math.abs(value * 1_000_000 - Math.round(value * 1_000_000)) < 1e-6, {
    message: 'must have at most six decimals',
  });

const categoryPrices = z.object(
  Object.fromEntries(pricedCategories.map((category) => [category, price])) as Record<
    (typeof pricedCategories)[number],
    typeof price
  >,
);

export const rateCardBody = z
  .object({
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as INR or USD')
      .refine((code) => Intl.supportedValuesOf('currency').includes(code), 'must be an ISO 4217 currency code'),
    default: categoryPrices.strict().describe('The price per category for every calling code not listed'),
    byCallingCode: z
      .record(
        z.string().regex(/^[1-9][0-9]{0,2}$/, 'must be a country calling code of 1 to 3 digits'),
        categoryPrices.partial().strict(),
      )
      .default({})
      .describe('Prices per country calling code (without +); a category left out takes the default'),
  })
  .strict();

export const rateCardSchema = z.object({
  currency: z.string(),
  default: categoryPrices,
  byCallingCode: z.record(z.string(), categoryPrices.partial()),
  updatedAt: z.string(),
});
