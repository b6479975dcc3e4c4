import { describe, expect, it } from 'vitest';
import { buildSendComponents, placeholdersOf, type TemplateComponent } from './templates.ts';

const goldLoan: TemplateComponent[] = [
  { type: 'HEADER', format: 'TEXT', text: 'Hello {{1}}' },
  { type: 'BODY', text: 'Dear {{1}}, your EMI of {{2}} is due on {{3}}. Thank you, {{1}}.' },
  { type: 'FOOTER', text: 'EkTola Finance' },
  {
    type: 'BUTTONS',
    buttons: [
      { type: 'QUICK_REPLY', text: 'Paid' },
      { type: 'URL', text: 'Pay now', url: 'https://pay.example.com/{{1}}' },
    ],
  },
];

describe('placeholdersOf', () => {
  it('when a template numbers placeholders per component, then each key names its component', () => {
    expect(placeholdersOf(goldLoan)).toEqual(['header.1', 'body.1', 'body.2', 'body.3', 'button.1.1']);
  });

  it('when positional placeholders appear out of order, then they are listed in numeric order', () => {
    expect(placeholdersOf([{ type: 'BODY', text: '{{2}} before {{1}}' }])).toEqual(['body.1', 'body.2']);
  });

  it('when the template is NAMED, then names keep their order of appearance', () => {
    expect(placeholdersOf([{ type: 'BODY', text: 'Hi {{first_name}}, pay {{amount}}' }], 'NAMED')).toEqual([
      'body.first_name',
      'body.amount',
    ]);
  });

  it('when the header is an image, then it needs one media value', () => {
    expect(
      placeholdersOf([
        { type: 'HEADER', format: 'IMAGE' },
        { type: 'BODY', text: 'No values' },
      ]),
    ).toEqual(['header.media']);
  });
});

describe('buildSendComponents', () => {
  it('when every value is present, then the components are in Meta send format', () => {
    const components = buildSendComponents(goldLoan, 'POSITIONAL', {
      'header.1': 'Asha',
      'body.1': 'Asha',
      'body.2': '₹12,500',
      'body.3': '5 March',
      'button.1.1': 'loan-42',
    });
    expect(components).toEqual([
      { type: 'header', parameters: [{ type: 'text', text: 'Asha' }] },
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Asha' },
          { type: 'text', text: '₹12,500' },
          { type: 'text', text: '5 March' },
        ],
      },
      { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: 'loan-42' }] },
    ]);
  });

  it('when the template is NAMED, then each parameter carries its name', () => {
    expect(
      buildSendComponents([{ type: 'BODY', text: 'Hi {{first_name}}' }], 'NAMED', { 'body.first_name': 'Ravi' }),
    ).toEqual([{ type: 'body', parameters: [{ type: 'text', text: 'Ravi', parameter_name: 'first_name' }] }]);
  });

  it('when a value is missing, then it refuses to build a message Meta would reject', () => {
    expect(() => buildSendComponents(goldLoan, 'POSITIONAL', { 'body.1': 'Asha' })).toThrow(/header\.1/);
  });

  it('when the header is an image, then the link becomes an image parameter', () => {
    expect(
      buildSendComponents([{ type: 'HEADER', format: 'IMAGE' }], 'POSITIONAL', { 'header.media': 'https://x/y.png' }),
    ).toEqual([{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://x/y.png' } }] }]);
  });
});
