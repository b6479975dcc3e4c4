import { describe, expect, it } from 'vitest';
import type { TemplateComponent } from '@ektola/platform/templates';
import { templateOf } from './fake-transactions.ts';
import type { Template } from './model.ts';
import type { TemplateDraft } from './ports.ts';
import { componentsForReview, submitTemplate } from './submit-template.ts';

const examples: Record<string, string> = {
  'header.1': 'Asha',
  'header.media': '4::aW1hZ2UvcG5n:ARb',
  'body.1': 'GOLD10',
  'body.2': '10%',
  'button.0.coupon_code': 'GOLD10',
  'button.1.1': 'diwali',
};
const exampleOf = (key: string) => examples[key];

describe('componentsForReview', () => {
  it('when placeholders are positional, then each component carries its examples in Meta’s shape', () => {
    const components: TemplateComponent[] = [
      { type: 'HEADER', format: 'TEXT', text: 'Hi {{1}}' },
      { type: 'BODY', text: 'Use {{1}} for {{2}} off' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'COPY_CODE' },
          { type: 'URL', text: 'See', url: 'https://x.example/{{1}}' },
          { type: 'PHONE_NUMBER', text: 'Call', phone_number: '+919800000000' },
        ],
      },
    ];
    expect(componentsForReview(components, 'POSITIONAL', exampleOf)).toEqual([
      { type: 'HEADER', format: 'TEXT', text: 'Hi {{1}}', example: { header_text: ['Asha'] } },
      { type: 'BODY', text: 'Use {{1}} for {{2}} off', example: { body_text: [['GOLD10', '10%']] } },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'COPY_CODE', example: 'GOLD10' },
          { type: 'URL', text: 'See', url: 'https://x.example/{{1}}', example: ['https://x.example/diwali'] },
          { type: 'PHONE_NUMBER', text: 'Call', phone_number: '+919800000000' },
        ],
      },
    ]);
  });

  it('when the header is media or a location, then a media header takes a handle and a location none', () => {
    expect(componentsForReview([{ type: 'HEADER', format: 'IMAGE' }], 'POSITIONAL', exampleOf)).toEqual([
      { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1hZ2UvcG5n:ARb'] } },
    ]);
    expect(componentsForReview([{ type: 'HEADER', format: 'LOCATION' }], 'POSITIONAL', () => undefined)).toEqual([
      { type: 'HEADER', format: 'LOCATION' },
    ]);
  });

  it('when a component already carries Meta’s example, then it is kept as given', () => {
    const body = { type: 'BODY' as const, text: 'Hi {{1}}', example: { body_text: [['Ravi']] } };
    expect(componentsForReview([body], 'POSITIONAL', () => undefined)).toEqual([body]);
  });

  it('when an example is missing, then every missing one is named', () => {
    expect(() =>
      componentsForReview(
        [
          { type: 'BODY', text: 'Hi {{first_name}}, {{amount}}' },
          { type: 'BUTTONS', buttons: [{ type: 'COPY_CODE' }] },
        ],
        'NAMED',
        () => undefined,
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'missing_examples',
        details: [
          expect.objectContaining({ path: 'examples.body.first_name' }),
          expect.objectContaining({ path: 'examples.body.amount' }),
          expect.objectContaining({ path: 'examples.button.0.coupon_code' }),
        ],
      }),
    );
  });
});

describe('submitTemplate', () => {
  const fields = {
    name: 'gold_coupon',
    language: 'en',
    category: 'MARKETING' as const,
    status: 'APPROVED' as const,
    parameterFormat: 'POSITIONAL' as const,
    components: [{ type: 'BODY' as const, text: 'Use {{1}}' }],
    variables: { 'body.1': { field: 'attributes.coupon', default: 'GOLD5' } },
  };

  function catalog(existing?: Template) {
    const stored: Array<{ status: string; category: string; metaTemplateId?: string }> = [];
    return {
      stored,
      templates: {
        findByName: async () => existing,
        async create(created: typeof fields, meta?: { metaTemplateId: string }) {
          stored.push({ status: created.status, category: created.category, ...meta });
          return templateOf('t', { ...created, metaTemplateId: meta?.metaTemplateId ?? null });
        },
      },
    };
  }

  it("when Meta accepts it for review, then it is stored with Meta's id, status and category, a default standing in for the example", async () => {
    const sent: TemplateDraft[] = [];
    const { stored, templates } = catalog();
    await submitTemplate(
      {
        templates,
        submission: {
          submit: async (draft) => {
            sent.push(draft);
            return { id: '5944', status: 'PENDING', category: 'UTILITY' };
          },
        },
      },
      fields,
      {},
    );
    expect(sent[0]?.components).toEqual([{ type: 'BODY', text: 'Use {{1}}', example: { body_text: [['GOLD5']] } }]);
    expect(stored).toEqual([{ status: 'PENDING', category: 'UTILITY', metaTemplateId: '5944' }]);
  });

  it('when the name is taken here or no business account is configured, then Meta is not asked', async () => {
    const never = { submit: async () => expect.unreachable() as never };
    await expect(
      submitTemplate({ ...catalog(templateOf('old')), submission: never }, fields, {}),
    ).rejects.toMatchObject({ kind: 'conflict', code: 'template_exists' });
    await expect(submitTemplate({ ...catalog(), submission: undefined }, fields, {})).rejects.toMatchObject({
      code: 'submit_not_configured',
    });
  });
});
