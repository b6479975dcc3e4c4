import { z } from 'zod';
import type { StatusBehaviour, WeightedCode } from './domain/status-plan.ts';

const share = z.number().min(0).max(1);
const delay = z.number().int().min(0).max(3_600_000);
/** A limit that may be switched off: null, 0 or "unlimited" all mean no limit. */
const optionalLimit = z
  .union([z.number().int().min(0), z.literal('unlimited'), z.null()])
  .transform((value) => (value === 'unlimited' || value === 0 ? null : value));

export const weightedCodesSchema = z
  .array(z.object({ code: z.number().int().positive(), weight: z.number().positive().default(1) }))
  .min(1);

/** Everything an operator may change while the simulator runs (`PATCH /_sim/config`). */
export const settingsPatchSchema = z
  .object({
    limits: z
      .object({
        throughputPerSecond: optionalLimit,
        pairIntervalMs: delay,
        pairBurst: z.number().int().min(1).max(1000),
        tierLimit: optionalLimit,
        tierErrorCode: z.number().int().positive(),
      })
      .partial()
      .strict(),
    webhooks: z
      .object({
        url: z.union([z.url({ protocol: /^https?$/ }), z.null()]),
        sentDelayMs: delay,
        deliveredDelayMs: delay,
        readDelayMs: delay,
        readShare: share,
        failureShare: share,
        failureCodes: weightedCodesSchema,
        duplicateShare: share,
        outOfOrderShare: share,
        readWithoutDeliveredShare: share,
        batchSize: z.number().int().min(1).max(1000),
        batchWindowMs: delay,
        maxAttempts: z.number().int().min(1).max(100),
        retryInitialMs: delay,
        retryMaxMs: delay,
        timeoutMs: z.number().int().min(1).max(600_000),
      })
      .partial()
      .strict(),
    templates: z.object({ reviewMs: delay }).partial().strict(),
  })
  .partial()
  .strict();
export type SettingsPatch = z.input<typeof settingsPatchSchema>;

export interface LimitSettings {
  throughputPerSecond: number | null;
  pairIntervalMs: number;
  pairBurst: number;
  tierLimit: number | null;
  tierErrorCode: number;
}

export interface WebhookSettings extends StatusBehaviour {
  url: string | null;
  batchSize: number;
  batchWindowMs: number;
  maxAttempts: number;
  retryInitialMs: number;
  retryMaxMs: number;
  timeoutMs: number;
}

export interface TemplateSettings {
  /** How long a submitted template stays PENDING before its review ends. */
  reviewMs: number;
}

export interface Settings {
  limits: LimitSettings;
  webhooks: WebhookSettings;
  templates: TemplateSettings;
}

export function applySettingsPatch(settings: Settings, patch: unknown): Settings {
  const parsed = settingsPatchSchema.parse(patch);
  return {
    limits: { ...settings.limits, ...parsed.limits },
    webhooks: { ...settings.webhooks, ...parsed.webhooks } as WebhookSettings,
    templates: { ...settings.templates, ...parsed.templates },
  };
}

/** "131026,131049:2" → 131026 once, 131049 twice as often. */
export function parseWeightedCodes(text: string): WeightedCode[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [code, weight] = part.split(':');
      return { code: Number(code), weight: weight === undefined ? 1 : Number(weight) };
    });
}
