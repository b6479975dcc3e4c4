import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { getCountries, getCountryCallingCode } from 'libphonenumber-js';
import { z } from 'zod';
import type { GuardrailSettings } from '../../domain/guardrails.ts';
import type { GuardrailStore } from '../../domain/ports.ts';
import { errorSchema } from './schemas.ts';

export interface GuardrailRouteDependencies {
  guardrails: GuardrailStore;
}

const callingCodes = new Set(getCountries().map((country) => getCountryCallingCode(country)));

const frequencyCapBody = z
  .object({
    enabled: z.boolean().describe('false turns the cap off (the default)'),
    maxMessages: z.number().int().min(1).max(1_000).optional().describe('MARKETING messages per contact'),
    windowHours: z.number().int().min(1).max(720).optional().describe('The rolling window, in hours'),
  })
  .strict()
  .superRefine((body, context) => {
    if (!body.enabled) return;
    for (const field of ['maxMessages', 'windowHours'] as const)
      if (body[field] === undefined)
        context.addIssue({ code: 'custom', path: [field], message: 'is required when enabled' });
  });

const frequencyCapSchema = z.object({
  enabled: z.boolean(),
  maxMessages: z.number().int().nullable(),
  windowHours: z.number().int().nullable(),
  updatedAt: z.string().nullable(),
});

const regionRulesBody = z
  .object({
    blockedCallingCodes: z
      .array(
        z
          .string()
          .regex(/^[1-9][0-9]{0,2}$/, 'must be a country calling code of 1 to 3 digits, without +')
          .refine((code) => callingCodes.has(code), 'is not a country calling code'),
      )
      .max(300)
      .refine((codes) => new Set(codes).size === codes.length, 'must not repeat a code')
      .describe('Calling codes whose numbers receive no MARKETING templates; [] blocks none'),
  })
  .strict();

const regionRulesSchema = z.object({ blockedCallingCodes: z.array(z.string()), updatedAt: z.string().nullable() });

const presentFrequencyCap = (settings: GuardrailSettings) => ({
  enabled: settings.frequencyCap !== null,
  maxMessages: settings.frequencyCap?.maxMessages ?? null,
  windowHours: settings.frequencyCap?.windowHours ?? null,
  updatedAt: settings.updatedAt?.toISOString() ?? null,
});

const presentRegionRules = (settings: GuardrailSettings) => ({
  blockedCallingCodes: settings.blockedCallingCodes,
  updatedAt: settings.updatedAt?.toISOString() ?? null,
});

const readErrors = { 401: errorSchema, 403: errorSchema };
const writeErrors = { 400: errorSchema, ...readErrors };

/**
 * The marketing guardrails an admin sets: a frequency cap and the calling codes that receive no MARKETING
 * templates. A run takes them as they are when it is created (run.requested carries them to the dispatcher).
 */
export function guardrailRoutes(app: FastifyInstance, deps: GuardrailRouteDependencies) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.put(
    '/v1/settings/frequency-cap',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['settings'],
        summary:
          'Set the frequency cap: at most maxMessages MARKETING messages per contact per rolling windowHours, across all campaigns; capped messages end SKIPPED (frequency_capped)',
        body: frequencyCapBody,
        response: { 200: frequencyCapSchema, ...writeErrors },
      },
    },
    async (request) => {
      const { enabled, maxMessages, windowHours } = request.body;
      const cap = enabled && maxMessages && windowHours ? { maxMessages, windowHours } : null;
      return presentFrequencyCap(await deps.guardrails.setFrequencyCap(cap));
    },
  );

  api.get(
    '/v1/settings/frequency-cap',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['settings'],
        summary: 'The frequency cap; off until an admin sets one',
        response: { 200: frequencyCapSchema, ...readErrors },
      },
    },
    async () => presentFrequencyCap(await deps.guardrails.current()),
  );

  api.put(
    '/v1/settings/region-rules',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['settings'],
        summary:
          'Set the calling codes whose numbers receive no MARKETING templates; such messages end SKIPPED (region_blocked)',
        body: regionRulesBody,
        response: { 200: regionRulesSchema, ...writeErrors },
      },
    },
    async (request) =>
      presentRegionRules(await deps.guardrails.setBlockedCallingCodes(request.body.blockedCallingCodes)),
  );

  api.get(
    '/v1/settings/region-rules',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['settings'],
        summary:
          'The region rules; ["1"] until an admin sets them (Meta delivers no marketing templates to US numbers)',
        response: { 200: regionRulesSchema, ...readErrors },
      },
    },
    async () => presentRegionRules(await deps.guardrails.current()),
  );
}
