import { describe, expect, it } from 'vitest';
import type { MetaTemplate } from './model.ts';
import { syncTemplates } from './sync-templates.ts';

const metaTemplate = (name: string): MetaTemplate => ({
  name,
  language: 'en',
  category: 'UTILITY',
  status: 'APPROVED',
  parameterFormat: 'POSITIONAL',
  components: [{ type: 'BODY', text: 'Hello' }],
  metaTemplateId: `meta-${name}`,
});

describe('syncTemplates', () => {
  it('when Meta lists templates, then each is stored and the answer counts new and updated ones and lists the skipped', async () => {
    const known = new Set(['existing']);
    const templates = {
      upsertFromMeta: async (template: MetaTemplate) =>
        known.has(template.name) ? ('updated' as const) : ('created' as const),
    };
    const skipped = [{ name: 'odd', language: 'en', reason: 'status: unknown' }];
    const templateSource = {
      list: async () => ({ templates: [metaTemplate('existing'), metaTemplate('fresh')], skipped }),
    };
    expect(await syncTemplates({ templates, templateSource })).toEqual({ created: 1, updated: 1, skipped });
  });

  it('when no Cloud API is configured, then it is a failed precondition naming what is missing', async () => {
    const templates = { upsertFromMeta: async () => expect.unreachable('synced without a source') };
    await expect(syncTemplates({ templates, templateSource: undefined })).rejects.toMatchObject({
      kind: 'failed_precondition',
      code: 'sync_not_configured',
    });
  });
});
