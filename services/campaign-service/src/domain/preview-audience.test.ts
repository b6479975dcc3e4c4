import { describe, expect, it } from 'vitest';
import type { ResolvedAudience } from './audience.ts';
import { noGuardrails, noRecipientStaging, templateOf } from './fake-transactions.ts';

const noGuardrailSettings = await noGuardrails.guardrails.current();
import type { Template } from './model.ts';
import type { GuardrailSettings } from './guardrails.ts';
import type { MeasureSelection } from './ports.ts';
import { previewAudience, requiredFields } from './preview-audience.ts';

function previewing(templates: Template[] = [], guardrails: GuardrailSettings = noGuardrailSettings) {
  const measured: MeasureSelection[] = [];
  const asked: string[][] = [];
  const deps = {
    ...noRecipientStaging,
    dispatch: {
      ...noRecipientStaging.dispatch,
      // c1 and c4 had their share of MARKETING messages.
      async frequencyCapped(contactIds: readonly string[]) {
        asked.push([...contactIds]);
        return contactIds.filter((id) => id === 'c1' || id === 'c4');
      },
    },
    guardrails: { current: async () => guardrails },
    runs: { get: async () => Promise.reject(new Error('no run is named here')) },
    segments: { find: async () => undefined },
    templates: { find: async (id: string) => templates.find((template) => template.id === id) },
    rateCards: {
      current: async () => ({
        currency: 'INR',
        default: { MARKETING: 0.8, UTILITY: 0.1, AUTHENTICATION: 0.1 },
        byCallingCode: {},
        updatedAt: new Date(),
      }),
    },
    audiences: {
      async measure(_audience: ResolvedAudience, selection: MeasureSelection) {
        measured.push(selection);
        return {
          eligible: 4,
          optedOut: 1,
          missingValue: 2,
          regionBlocked: selection.blockedCallingCodes.length > 0 ? 3 : 0,
          eligibleByCallingCode: new Map([['default', 4]]),
        };
      },
      // The four eligible contacts, in pages of the asked size.
      async eligiblePage(
        _audience: ResolvedAudience,
        _selection: MeasureSelection,
        after: string | undefined,
        limit: number,
      ) {
        return ['c1', 'c2', 'c3', 'c4']
          .filter((id) => after === undefined || id > after)
          .slice(0, limit)
          .map((id) => ({ id, callingCode: 'default' }));
      },
      sample: async () => [],
    },
  };
  return { deps, measured, asked };
}

describe('previewAudience', () => {
  const guarded: GuardrailSettings = {
    frequencyCap: { maxMessages: 1, windowHours: 24 },
    blockedCallingCodes: ['1'],
    updatedAt: null,
  };

  it('when the template is MARKETING and guardrails are set, then region-blocked and frequency-capped contacts are excluded, counted and not priced', async () => {
    const template = templateOf('t1', { category: 'MARKETING', variables: {} });
    const { deps, measured, asked } = previewing([template], guarded);
    const preview = await previewAudience(deps, { audience: { tags: [], where: [] }, templateId: 't1' });
    expect(measured[0]?.blockedCallingCodes).toEqual(['1']);
    expect(asked).toEqual([['c1', 'c2', 'c3', 'c4']]);
    expect(preview).toMatchObject({
      count: 2,
      excluded: { optedOut: 1, missingValue: 2, frequencyCapped: 2, regionBlocked: 3 },
      estimatedCost: { currency: 'INR', amount: '1.60', category: 'MARKETING' },
    });
  });

  it('when the template is UTILITY, or none is named, then the guardrails exclude no one and the dispatcher is not asked', async () => {
    for (const request of [{ templateId: 't1' }, {}]) {
      const { deps, measured, asked } = previewing([templateOf('t1', { category: 'UTILITY', variables: {} })], guarded);
      const preview = await previewAudience(deps, { audience: { tags: [], where: [] }, ...request });
      expect(measured[0]?.blockedCallingCodes).toEqual([]);
      expect(asked).toEqual([]);
      expect(preview).toMatchObject({ count: 4, excluded: { frequencyCapped: 0, regionBlocked: 0 } });
    }
  });

  it('when a template is given, then its fields without a default are required and the cost uses its category', async () => {
    const template = templateOf('t1', {
      category: 'MARKETING',
      variables: { 'body.1': { field: 'name' }, 'body.2': { field: 'attributes.city', default: 'your city' } },
    });
    const { deps, measured } = previewing([template]);
    const preview = await previewAudience(deps, { audience: { tags: ['loan'], where: [] }, templateId: 't1' });
    expect(measured).toEqual([{ requiredFields: ['name'], callingCodes: [], blockedCallingCodes: [] }]);
    expect(preview).toMatchObject({
      count: 4,
      excluded: { optedOut: 1, missingValue: 2, frequencyCapped: 0, regionBlocked: 0 },
      estimatedCost: { currency: 'INR', amount: '3.20', category: 'MARKETING' },
    });
  });

  it('when no template is given, then nothing is required and there is no cost', async () => {
    const { deps } = previewing();
    const preview = await previewAudience(deps, { audience: { tags: [], where: [] } });
    expect(preview.estimatedCost).toBeNull();
  });

  it('when the template does not exist, then it is invalid naming body.templateId', async () => {
    const { deps } = previewing();
    await expect(
      previewAudience(deps, { audience: { tags: [], where: [] }, templateId: 'gone' }),
    ).rejects.toMatchObject({ kind: 'invalid', details: [{ path: 'body.templateId' }] });
  });
});

describe('requiredFields', () => {
  it('when two placeholders read one field, then it is required once', () => {
    expect(requiredFields({ 'body.1': { field: 'name' }, 'header.1': { field: 'name' } })).toEqual(['name']);
  });
});
