import type { RunGuardrails } from '@ektola/platform/events';
import type { SendWindow } from '@ektola/platform/schedule';
import type { Template } from './model.ts';

export interface FrequencyCap {
  maxMessages: number;
  windowHours: number;
}

/** The admin's marketing guardrails; they apply to MARKETING templates only. */
export interface GuardrailSettings {
  /** Null: no cap. */
  frequencyCap: FrequencyCap | null;
  /** Country calling codes (without +) that receive no MARKETING templates. */
  blockedCallingCodes: string[];
  /** Null until an admin changed a setting. */
  updatedAt: Date | null;
}

/** No cap; no MARKETING templates to +1, which Meta has not delivered since 1 April 2025. */
export const defaultGuardrails: GuardrailSettings = { frequencyCap: null, blockedCallingCodes: ['1'], updatedAt: null };

/**
 * What the guardrails take from an audience for a template: nothing unless it is MARKETING (and nothing
 * for a preview that names no template, whose category is unknown).
 */
export function marketingRules(
  settings: GuardrailSettings,
  template: Pick<Template, 'category'> | undefined,
): { blockedCallingCodes: string[]; frequencyCap: FrequencyCap | null } {
  if (template?.category !== 'MARKETING') return { blockedCallingCodes: [], frequencyCap: null };
  return { blockedCallingCodes: settings.blockedCallingCodes, frequencyCap: settings.frequencyCap };
}

/**
 * The rules a run is sent under, fixed when it is created and carried on run.requested: the settings as
 * they are now (the dispatcher applies cap and region rules to MARKETING templates only) and the
 * campaign's send window in its zone. Carried rather than announced separately, so the dispatcher keeps
 * no copy of the settings and a setting changed mid-run does not change the run.
 */
export function runGuardrailsOf(
  settings: GuardrailSettings,
  campaign: { sendWindow: SendWindow | null; timezone: string },
): RunGuardrails {
  return {
    frequencyCap: settings.frequencyCap && {
      maxMessages: settings.frequencyCap.maxMessages,
      windowSeconds: settings.frequencyCap.windowHours * 3_600,
    },
    blockedCallingCodes: settings.blockedCallingCodes,
    sendWindow: campaign.sendWindow && { ...campaign.sendWindow, timezone: campaign.timezone },
  };
}
