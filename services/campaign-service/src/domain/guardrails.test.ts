import { describe, expect, it } from 'vitest';
import { defaultGuardrails, marketingRules, runGuardrailsOf, type GuardrailSettings } from './guardrails.ts';

const set: GuardrailSettings = {
  frequencyCap: { maxMessages: 2, windowHours: 48 },
  blockedCallingCodes: ['1', '44'],
  updatedAt: new Date('2030-01-01T00:00:00Z'),
};

describe('marketingRules', () => {
  it('when the template is MARKETING, then the cap and the blocked calling codes apply', () => {
    expect(marketingRules(set, { category: 'MARKETING' })).toEqual({
      blockedCallingCodes: ['1', '44'],
      frequencyCap: { maxMessages: 2, windowHours: 48 },
    });
  });

  it('when the template is UTILITY or AUTHENTICATION, or none is named, then nothing applies', () => {
    for (const template of [{ category: 'UTILITY' as const }, { category: 'AUTHENTICATION' as const }, undefined])
      expect(marketingRules(set, template)).toEqual({ blockedCallingCodes: [], frequencyCap: null });
  });

  it('when nothing was set, then there is no cap and calling code 1 is blocked', () => {
    expect(marketingRules(defaultGuardrails, { category: 'MARKETING' })).toEqual({
      blockedCallingCodes: ['1'],
      frequencyCap: null,
    });
  });
});

describe('runGuardrailsOf', () => {
  it('when a run is created, then it carries the cap in seconds, the blocked codes and the window in the campaign zone', () => {
    const window = { start: '09:00', end: '20:00', days: [1, 2, 3, 4, 5] };
    expect(runGuardrailsOf(set, { sendWindow: window, timezone: 'Asia/Kolkata' })).toEqual({
      frequencyCap: { maxMessages: 2, windowSeconds: 172_800 },
      blockedCallingCodes: ['1', '44'],
      sendWindow: { ...window, timezone: 'Asia/Kolkata' },
    });
  });

  it('when there is no cap and no window, then both travel as null', () => {
    expect(runGuardrailsOf(defaultGuardrails, { sendWindow: null, timezone: 'UTC' })).toEqual({
      frequencyCap: null,
      blockedCallingCodes: ['1'],
      sendWindow: null,
    });
  });
});
