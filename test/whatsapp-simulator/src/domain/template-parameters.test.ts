import { describe, expect, it } from 'vitest';
import type { SendComponent } from './send-request.ts';
import { toTemplate } from './template-catalog.ts';
import { checkTemplateParameters } from './template-parameters.ts';

const reminder = toTemplate({
  name: 'gold_loan_reminder',
  language: 'en',
  category: 'UTILITY',
  components: [
    { type: 'BODY', text: 'Hello {{1}}, your instalment of {{2}} is due.' },
    { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Paid' }] },
  ],
});
const named = toTemplate({
  name: 'payment_due_named',
  language: 'en',
  category: 'UTILITY',
  parameter_format: 'NAMED',
  components: [{ type: 'BODY', text: 'Hi {{first_name}}, {{amount}} is due.' }],
});
const offer = toTemplate({
  name: 'festive_offer',
  language: 'en',
  category: 'MARKETING',
  components: [
    { type: 'HEADER', format: 'IMAGE' },
    { type: 'BODY', text: '{{1}}, an offer.' },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'URL', text: 'See', url: 'https://example.com/o/{{1}}' },
        { type: 'QUICK_REPLY', text: 'Stop' },
      ],
    },
  ],
});

const text = (value: string, name?: string) =>
  name ? { type: 'text' as const, text: value, parameter_name: name } : { type: 'text' as const, text: value };
const body = (...parameters: SendComponent['parameters']): SendComponent => ({ type: 'body', parameters });
const codeOf = (template: typeof reminder, components: SendComponent[]) =>
  checkTemplateParameters(template, components)?.code;

describe('checkTemplateParameters', () => {
  it('when every placeholder has a value of an allowed kind, then the send passes', () => {
    expect(
      codeOf(reminder, [
        body(text('Asha'), {
          type: 'currency',
          currency: { fallback_value: '₹12,500', code: 'INR', amount_1000: 12_500_000 },
        }),
      ]),
    ).toBeUndefined();
    expect(
      codeOf(reminder, [
        body(text('Asha'), { type: 'date_time', date_time: { fallback_value: '5 March' } }),
        { type: 'button', sub_type: 'quick_reply', index: 0, parameters: [{ type: 'payload', payload: 'PAID' }] },
      ]),
    ).toBeUndefined();
  });

  it('when a value is missing, extra or empty, then 132000 names the component and both counts', () => {
    const missing = checkTemplateParameters(reminder, [body(text('Asha'))]);
    expect(missing?.code).toBe(132000);
    expect(missing?.body.error.error_data?.details).toBe(
      'body: number of localizable_params (1) does not match the expected number of params (2)',
    );
    expect(codeOf(reminder, [])).toBe(132000);
    expect(codeOf(reminder, [body(text('a'), text('b'), text('c'))])).toBe(132000);
    expect(codeOf(reminder, [body(text('Asha'), text(' '))])).toBe(132000);
  });

  it('when a value is of the wrong kind, then 132012', () => {
    expect(
      codeOf(reminder, [body(text('Asha'), { type: 'image', image: { link: 'https://example.com/a.jpg' } })]),
    ).toBe(132012);
    expect(
      codeOf(offer, [
        { type: 'header', parameters: [text('not an image')] },
        body(text('Asha')),
        { type: 'button', sub_type: 'url', index: 0, parameters: [text('diwali')] },
      ]),
    ).toBe(132012);
  });

  it('when a named template gets positional values or wrong names, then 132012; a positional one refuses names', () => {
    expect(codeOf(named, [body(text('Asha', 'first_name'), text('₹1', 'amount'))])).toBeUndefined();
    expect(codeOf(named, [body(text('₹1', 'amount'), text('Asha', 'first_name'))])).toBeUndefined();
    expect(codeOf(named, [body(text('Asha'), text('₹1'))])).toBe(132012);
    expect(codeOf(named, [body(text('Asha', 'first_name'), text('₹1', 'total'))])).toBe(132012);
    expect(codeOf(reminder, [body(text('Asha', 'name'), text('₹1', 'amount'))])).toBe(132012);
  });

  it('when a text value has a newline, a tab or five spaces, then 132018', () => {
    expect(codeOf(reminder, [body(text('Asha\nKumar'), text('₹1'))])).toBe(132018);
    expect(codeOf(reminder, [body(text('Asha     Kumar'), text('₹1'))])).toBe(132018);
  });

  it('checks media headers and URL buttons', () => {
    const image = {
      type: 'header' as const,
      parameters: [{ type: 'image' as const, image: { link: 'https://example.com/a.jpg' } }],
    };
    const url = { type: 'button' as const, sub_type: 'url' as const, index: 0, parameters: [text('diwali')] };
    expect(codeOf(offer, [image, body(text('Asha')), url])).toBeUndefined();
    expect(codeOf(offer, [body(text('Asha')), url])).toBe(132000);
    expect(codeOf(offer, [image, body(text('Asha'))])).toBe(132000);
    expect(codeOf(offer, [image, body(text('Asha')), { ...url, sub_type: 'quick_reply' }])).toBe(132012);
    expect(
      codeOf(offer, [image, body(text('Asha')), url, { type: 'button', sub_type: 'url', index: 5, parameters: [] }]),
    ).toBe(131009);
  });

  it('when a component appears twice, then 100', () => {
    expect(codeOf(reminder, [body(text('a'), text('b')), body(text('a'), text('b'))])).toBe(100);
  });
});

describe('location headers and copy-code buttons', () => {
  const branch = toTemplate({
    name: 'branch_collection_ready',
    language: 'en',
    category: 'UTILITY',
    components: [
      { type: 'HEADER', format: 'LOCATION' },
      { type: 'BODY', text: 'Hi {{1}}, collect from the branch above.' },
    ],
  });
  const coupon = toTemplate({
    name: 'gold_loan_cashback_coupon',
    language: 'en',
    category: 'MARKETING',
    components: [
      { type: 'BODY', text: '{{1}}, use the code below.' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'COPY_CODE', text: 'Copy offer code' },
          { type: 'QUICK_REPLY', text: 'Stop promotions' },
        ],
      },
    ],
  });
  const location = {
    type: 'location' as const,
    location: { latitude: 19.076, longitude: 72.8777, name: 'EkTola Andheri', address: '1 SV Road, Mumbai' },
  };
  const header = (...parameters: SendComponent['parameters']): SendComponent => ({ type: 'header', parameters });
  const copyCode = (...parameters: SendComponent['parameters']): SendComponent => ({
    type: 'button',
    sub_type: 'copy_code',
    index: 0,
    parameters,
  });

  it('when a location header carries its location, then the send passes', () => {
    expect(codeOf(branch, [header(location), body(text('Asha'))])).toBeUndefined();
  });

  it('when the location header is left out, then 132000; when it carries text, then 132012', () => {
    expect(codeOf(branch, [body(text('Asha'))])).toBe(132000);
    expect(codeOf(branch, [header(text('Andheri')), body(text('Asha'))])).toBe(132012);
  });

  it('when a location is sent for an image header, then 132012', () => {
    expect(
      codeOf(offer, [
        header(location),
        body(text('Asha')),
        { type: 'button', sub_type: 'url', index: 0, parameters: [text('d')] },
      ]),
    ).toBe(132012);
  });

  it('when the copy-code button carries its coupon, then the send passes', () => {
    expect(
      codeOf(coupon, [body(text('Asha')), copyCode({ type: 'coupon_code', coupon_code: 'GOLD500' })]),
    ).toBeUndefined();
  });

  it('when a template with a copy-code button is sent without the coupon, then 132000', () => {
    const problem = checkTemplateParameters(coupon, [body(text('Asha'))]);
    expect(problem?.code).toBe(132000);
    expect(problem?.body.error.message).toBe(
      '(#132000) Number of parameters does not match the expected number of params',
    );
    expect(codeOf(coupon, [body(text('Asha')), copyCode()])).toBe(132000);
  });

  it('when the coupon comes as text or as a URL button, then 132012; when it is over 15 characters, then 131009', () => {
    const problem = checkTemplateParameters(coupon, [body(text('Asha')), copyCode(text('GOLD500'))]);
    expect(problem?.code).toBe(132012);
    expect(problem?.body.error.message).toBe(
      '(#132012) Parameter format does not match format in the created template',
    );
    expect(
      codeOf(coupon, [body(text('Asha')), { type: 'button', sub_type: 'url', index: 0, parameters: [text('x')] }]),
    ).toBe(132012);
    expect(
      codeOf(coupon, [body(text('Asha')), copyCode({ type: 'coupon_code', coupon_code: 'GOLD500CASHBACK1' })]),
    ).toBe(131009);
  });
});
