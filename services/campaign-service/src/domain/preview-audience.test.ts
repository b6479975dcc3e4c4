import { describe, expect, it } from 'vitest';
import type { ResolvedAudience } from './audience.ts';
import { noRecipientStaging, templateOf } from './fake-transactions.ts';
import type { Template } from './model.ts';
import type { AudienceSelection } from './ports.ts';
import { previewAudience, requiredFields } from './preview-audience.ts';

function previewing(templates: Template[] = []) {
  const measured: Array<AudienceSelection & { callingCodes: readonly string[] }> = [];
  const deps = {
    ...noRecipientStaging,
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
      async measure(_audience: ResolvedAudience, selection: AudienceSelection & { callingCodes: readonly string[] }) {
        measured.push(selection);
        return { eligible: 4, optedOut: 1, missingValue: 2, eligibleByCallingCode: new Map([['default', 4]]) };
      },
      sample: async () => [],
    },
  };
  return { deps, measured };
}

describe('previewAudience', () => {
  it('when a template is given, then its fields without a default are required and the cost uses its category', async () => {
    const template = templateOf('t1', {
      category: 'MARKETING',
      variables: { 'body.1': { field: 'name' }, 'body.2': { field: 'attributes.city', default: 'your city' } },
    });
    const { deps, measured } = previewing([template]);
    const preview = await previewAudience(deps, { audience: { tags: ['loan'], where: [] }, templateId: 't1' });
    expect(measured).toEqual([{ requiredFields: ['name'], callingCodes: [] }]);
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
