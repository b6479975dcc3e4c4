import { describe, expect, it } from 'vitest';
import { activateCampaign, pauseCampaign } from './activate-campaign.ts';
import { campaignOf, fakeTransactions, noGuardrails, noRecipientStaging, templateOf } from './fake-transactions.ts';
import type { ResolvedAudience } from './audience.ts';
import type { RateCard } from './rate-card.ts';
import type { Campaign, Template } from './model.ts';

const clock = { now: () => new Date('2026-03-05T10:00:00Z') };
const graceWindowMs = 6 * 60 * 60 * 1000;

function activation(
  seed: { campaign?: Partial<Campaign>; template?: Partial<Template>; audience?: number; rateCard?: RateCard } = {},
) {
  const fake = fakeTransactions({
    campaigns: [campaignOf('camp', { audience: { tags: ['loan'], where: [] }, ...seed.campaign })],
  });
  const asked: ResolvedAudience[] = [];
  const deps = {
    ...fake,
    ...noRecipientStaging,
    ...noGuardrails,
    clock,
    graceWindowMs,
    templates: { get: async (id: string) => templateOf(id, seed.template) },
    segments: { find: async () => undefined },
    rateCards: { current: async () => seed.rateCard },
    audiences: {
      async measure(audience: ResolvedAudience) {
        asked.push(audience);
        const eligible = seed.audience ?? 3;
        return {
          eligible,
          optedOut: 1,
          missingValue: 0,
          regionBlocked: 0,
          eligibleByCallingCode: new Map([['default', eligible]]),
        };
      },
      eligiblePage: async () => [],
    },
  };
  return { fake, deps, asked };
}

describe('activateCampaign', () => {
  it('when a DRAFT campaign has an approved, mapped template and an audience, then it becomes ACTIVE', async () => {
    const { fake, deps, asked } = activation();
    expect(await activateCampaign(deps, 'camp')).toMatchObject({ status: 'ACTIVE' });
    expect(fake.campaign('camp')?.status).toBe('ACTIVE');
    expect(asked).toEqual([{ tagSets: [['loan']], predicates: [], fromRuns: [] }]);
    expect(fake.campaign('camp')).toMatchObject({ audienceCount: 3, estimatedCost: null });
  });

  it('when a rate card is set, then the campaign shows the cost estimated at activation', async () => {
    const rateCard: RateCard = {
      currency: 'INR',
      default: { MARKETING: 0.5, UTILITY: 0.12, AUTHENTICATION: 0.1 },
      byCallingCode: {},
      updatedAt: new Date(),
    };
    const { fake, deps } = activation({ rateCard });
    await activateCampaign(deps, 'camp');
    expect(fake.campaign('camp')?.estimatedCost).toEqual({ currency: 'INR', amount: '0.36', category: 'UTILITY' });
  });

  it('when a PAUSED campaign is resumed, then the same checks apply and it becomes ACTIVE', async () => {
    const { deps } = activation({ campaign: { status: 'PAUSED' } });
    expect(await activateCampaign(deps, 'camp', 'resume')).toMatchObject({ status: 'ACTIVE' });
  });

  it.each([
    {
      why: 'the template is not approved',
      seed: { template: { status: 'PENDING' as const } },
      code: 'template_not_approved',
    },
    { why: 'a placeholder has no contact field', seed: { template: { variables: {} } }, code: 'template_unmapped' },
    { why: 'no contact can be messaged', seed: { audience: 0 }, code: 'empty_audience' },
    {
      why: 'its only occurrence is past the grace window',
      seed: { campaign: { recurrence: 'ONCE' as const, startAt: new Date('2026-02-01T00:00:00Z') } },
      code: 'campaign_not_schedulable',
    },
  ])('when $why, then activation is a conflict ($code) and the campaign stays DRAFT', async ({ seed, code }) => {
    const { fake, deps } = activation(seed);
    await expect(activateCampaign(deps, 'camp')).rejects.toMatchObject({ kind: 'conflict', code });
    expect(fake.campaign('camp')?.status).toBe('DRAFT');
  });

  it('when the campaign is already ACTIVE, then activation is an illegal transition', async () => {
    const { deps } = activation({ campaign: { status: 'ACTIVE' } });
    await expect(activateCampaign(deps, 'camp')).rejects.toMatchObject({
      kind: 'conflict',
      code: 'illegal_transition',
    });
  });

  it('when the campaign does not exist, then it is not found', async () => {
    const { deps } = activation();
    await expect(activateCampaign(deps, 'nope')).rejects.toMatchObject({ kind: 'not_found' });
  });
});

describe('pauseCampaign', () => {
  it('when an ACTIVE campaign is paused, then it is PAUSED without any activation check', async () => {
    const fake = fakeTransactions({ campaigns: [campaignOf('camp', { status: 'ACTIVE' })] });
    expect(await pauseCampaign(fake, 'camp')).toMatchObject({ status: 'PAUSED' });
  });

  it('when a DRAFT campaign is paused, then it is an illegal transition', async () => {
    const fake = fakeTransactions({ campaigns: [campaignOf('camp')] });
    await expect(pauseCampaign(fake, 'camp')).rejects.toMatchObject({ kind: 'conflict', code: 'illegal_transition' });
  });
});
