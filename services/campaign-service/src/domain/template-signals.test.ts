import { describe, expect, it } from 'vitest';
import { campaignOf, fakeTransactions, noGuardrails, noRecipientStaging, templateOf } from './fake-transactions.ts';
import type { Campaign, Template } from './model.ts';
import type { TemplateCatalog } from './ports.ts';
import { followTemplateStatus, followTemplateUpdate } from './template-signals.ts';

/** One stored template, changed as the PostgreSQL catalog changes it. */
function catalogOf(
  template: Template,
): Pick<TemplateCatalog, 'applyStatus' | 'applyMetaUpdate'> & { current(): Template } {
  let current = template;
  const matches = (name: string, language: string) => name === current.name && language === current.language;
  return {
    current: () => current,
    async applyStatus(name, language, change) {
      if (!matches(name, language)) return undefined;
      current = {
        ...current,
        status: change.status,
        rejectedReason: change.status === 'REJECTED' ? change.reason : null,
      };
      return current;
    },
    async applyMetaUpdate(name, language, update) {
      if (!matches(name, language)) return undefined;
      current = { ...current, ...update };
      return current;
    },
  };
}

const goldLoan = templateOf('template-1', { name: 'gold_loan_reminder', language: 'en' });

describe('followTemplateStatus', () => {
  it('when Meta pauses a template, then every ACTIVE campaign sending it is paused by Meta with the reason', async () => {
    const fake = fakeTransactions({
      campaigns: [
        campaignOf('active', { status: 'ACTIVE' }),
        campaignOf('paused-by-operator', {
          status: 'PAUSED',
          pausedBy: 'operator',
          pausedReason: 'paused by an operator',
        }),
        campaignOf('other-template', { status: 'ACTIVE', templateId: 'template-2' }),
      ],
    });
    const templates = catalogOf(goldLoan);
    const result = await followTemplateStatus(
      { templates, transactions: fake.transactions },
      { event: 'PAUSED', name: 'gold_loan_reminder', language: 'en', reason: 'quality low' },
    );
    expect(result).toMatchObject({ outcome: 'applied', paused: [{ id: 'active' }] });
    expect(templates.current().status).toBe('PAUSED');
    expect(fake.campaign('active')).toMatchObject({
      status: 'PAUSED',
      pausedBy: 'meta',
      pausedReason:
        'template gold_loan_reminder (en) paused by Meta: quality low; resume the campaign once Meta approves the template again',
    });
    expect(fake.campaign('paused-by-operator')).toMatchObject({ pausedBy: 'operator' });
    expect(fake.campaign('other-template')).toMatchObject({ status: 'ACTIVE' });
  });

  it('when Meta disables a template without a reason, then the campaign says disabled', async () => {
    const fake = fakeTransactions({ campaigns: [campaignOf('active', { status: 'ACTIVE' })] });
    await followTemplateStatus(
      { templates: catalogOf(goldLoan), transactions: fake.transactions },
      { event: 'DISABLED', name: 'gold_loan_reminder', language: 'en', reason: 'NONE' },
    );
    expect(fake.campaign('active')?.pausedReason).toBe(
      'template gold_loan_reminder (en) disabled by Meta; resume the campaign once Meta approves the template again',
    );
  });

  it('when Meta approves the template again, then its paused campaigns wait for an operator', async () => {
    const fake = fakeTransactions({
      campaigns: [campaignOf('camp', { status: 'PAUSED', pausedBy: 'meta', pausedReason: 'paused by Meta' })],
    });
    const templates = catalogOf({ ...goldLoan, status: 'PAUSED' });
    const result = await followTemplateStatus(
      { templates, transactions: fake.transactions },
      { event: 'REINSTATED', name: 'gold_loan_reminder', language: 'en' },
    );
    expect(result).toMatchObject({ outcome: 'applied', paused: [] });
    expect(templates.current().status).toBe('APPROVED');
    expect(fake.campaign('camp')).toMatchObject({ status: 'PAUSED', pausedBy: 'meta' });
  });

  it('when Meta rejects a template, then the reason is kept', async () => {
    const templates = catalogOf({ ...goldLoan, status: 'PENDING' });
    await followTemplateStatus(
      { templates, transactions: fakeTransactions().transactions },
      { event: 'REJECTED', name: 'gold_loan_reminder', language: 'en', reason: 'INVALID_FORMAT' },
    );
    expect(templates.current()).toMatchObject({ status: 'REJECTED', rejectedReason: 'INVALID_FORMAT' });
  });

  it('when the template is not stored here or the event changes no status, then nothing changes', async () => {
    const deps = { templates: catalogOf(goldLoan), transactions: fakeTransactions().transactions };
    expect(await followTemplateStatus(deps, { event: 'PAUSED', name: 'other', language: 'en' })).toEqual({
      outcome: 'unknown_template',
    });
    expect(await followTemplateStatus(deps, { event: 'FLAGGED', name: 'gold_loan_reminder', language: 'en' })).toEqual({
      outcome: 'no_status_change',
    });
  });
});

/** What a template update needs: one campaign store, a rate card, and an audience of three in India. */
function updateDeps(templates: ReturnType<typeof catalogOf>, campaigns: Campaign[] = []) {
  const fake = fakeTransactions({ campaigns });
  return {
    fake,
    deps: {
      ...noRecipientStaging,
      ...noGuardrails,
      templates,
      transactions: fake.transactions,
      segments: { find: async () => undefined },
      rateCards: {
        current: async () => ({
          currency: 'INR',
          default: { MARKETING: 1.2, UTILITY: 0.5, AUTHENTICATION: 0.3 },
          byCallingCode: {},
          updatedAt: new Date('2026-01-01T00:00:00Z'),
        }),
      },
      audiences: {
        measure: async () => ({
          eligible: 3,
          optedOut: 0,
          missingValue: 0,
          regionBlocked: 0,
          eligibleByCallingCode: new Map([['default', 3]]),
        }),
        eligiblePage: async () => [],
      },
    },
  };
}

describe('followTemplateUpdate', () => {
  it('when Meta rates a template, then its quality score is kept, an unknown rating as UNKNOWN', async () => {
    const templates = catalogOf(goldLoan);
    const { deps } = updateDeps(templates);
    await followTemplateUpdate(deps, {
      field: 'message_template_quality_update',
      name: 'gold_loan_reminder',
      language: 'en',
      newQuality: 'YELLOW',
    });
    expect(templates.current().qualityScore).toBe('YELLOW');
    await followTemplateUpdate(deps, {
      field: 'message_template_quality_update',
      name: 'gold_loan_reminder',
      language: 'en',
      newQuality: 'PURPLE',
    });
    expect(templates.current().qualityScore).toBe('UNKNOWN');
  });

  it('when Meta moves a template to another category, then the template takes it and its estimated campaigns are priced at it', async () => {
    const utilityEstimate = { currency: 'INR', amount: '1.50', category: 'UTILITY' as const };
    const { deps, fake } = updateDeps(catalogOf(goldLoan), [
      campaignOf('active', { status: 'ACTIVE', audienceCount: 3, estimatedCost: utilityEstimate }),
      campaignOf('draft-never-estimated', { status: 'DRAFT' }),
      campaignOf('done', { status: 'COMPLETED', audienceCount: 3, estimatedCost: utilityEstimate }),
    ]);
    const result = await followTemplateUpdate(deps, {
      field: 'template_category_update',
      name: 'gold_loan_reminder',
      language: 'en',
      newCategory: 'MARKETING',
    });
    expect(result).toMatchObject({
      outcome: 'applied',
      template: { category: 'MARKETING' },
      repriced: [{ id: 'active' }],
    });
    expect(fake.campaign('active')?.estimatedCost).toEqual({ currency: 'INR', amount: '3.60', category: 'MARKETING' });
    expect(fake.campaign('draft-never-estimated')?.estimatedCost).toBeNull();
    expect(fake.campaign('done')?.estimatedCost).toEqual(utilityEstimate);
  });

  it('when the new category is none EkTola knows, then nothing changes and it says why', async () => {
    const templates = catalogOf(goldLoan);
    const result = await followTemplateUpdate(updateDeps(templates).deps, {
      field: 'template_category_update',
      name: 'gold_loan_reminder',
      language: 'en',
      newCategory: 'SERVICE',
    });
    expect(result).toMatchObject({ outcome: 'unreadable' });
    expect(templates.current().category).toBe('UTILITY');
  });
});
