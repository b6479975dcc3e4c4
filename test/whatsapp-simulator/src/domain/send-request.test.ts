import { describe, expect, it } from 'vitest';
import { messageKeyOf, parseSendRequest, waIdOf } from './send-request.ts';

const template = {
  name: 'gold_loan_reminder',
  language: { code: 'en' },
  components: [{ type: 'body', parameters: [{ type: 'text', text: 'Asha' }] }],
};

describe('parseSendRequest', () => {
  it('reads a template send and normalises the recipient to wa_id digits', () => {
    const parsed = parseSendRequest({
      messaging_product: 'whatsapp',
      to: '+91 98765-43210',
      type: 'template',
      template,
      biz_opaque_callback_data: 'k1',
    });
    expect(parsed).toMatchObject({
      ok: true,
      value: {
        type: 'template',
        to: '+91 98765-43210',
        waId: '919876543210',
        bizOpaque: 'k1',
        template: { name: 'gold_loan_reminder', language: 'en' },
      },
    });
  });

  it('takes a button index as a string or a number', () => {
    const parsed = parseSendRequest({
      messaging_product: 'whatsapp',
      to: '919876543210',
      type: 'template',
      template: {
        ...template,
        components: [
          { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'P' }] },
        ],
      },
    });
    expect(parsed.ok && parsed.value.type === 'template' && parsed.value.template.components[0]).toMatchObject({
      index: 1,
    });
  });

  it('when the structure is wrong, then 100 names the parameter', () => {
    const wrongProduct = parseSendRequest({ messaging_product: 'sms', to: '919876543210', type: 'template', template });
    expect(wrongProduct).toMatchObject({ ok: false, error: { code: 100, httpStatus: 400 } });
    expect(!wrongProduct.ok && wrongProduct.error.body.error.error_data?.details).toContain('messaging_product');
    expect(parseSendRequest({ messaging_product: 'whatsapp', to: '919876543210', type: 'template' })).toMatchObject({
      ok: false,
      error: { code: 100 },
    });
    expect(
      parseSendRequest({
        messaging_product: 'whatsapp',
        to: '919876543210',
        type: 'template',
        template,
        biz_opaque_callback_data: 'x'.repeat(513),
      }),
    ).toMatchObject({ ok: false, error: { code: 100 } });
    expect(parseSendRequest(undefined)).toMatchObject({ ok: false, error: { code: 100 } });
  });

  it('when the recipient is not a phone number, then 131009', () => {
    expect(
      parseSendRequest({ messaging_product: 'whatsapp', to: 'asha@example.com', type: 'template', template }),
    ).toMatchObject({ ok: false, error: { code: 131009 } });
  });

  it('reads a free-form text send', () => {
    expect(parseSendRequest({ messaging_product: 'whatsapp', to: '919876543210', text: { body: 'hi' } })).toMatchObject(
      { ok: true, value: { type: 'text', text: 'hi' } },
    );
  });
});

describe('messageKeyOf', () => {
  it('is the callback data when given, else recipient, template and language', () => {
    const withKey = parseSendRequest({
      messaging_product: 'whatsapp',
      to: '919876543210',
      type: 'template',
      template,
      biz_opaque_callback_data: 'k1',
    });
    const without = parseSendRequest({
      messaging_product: 'whatsapp',
      to: '+919876543210',
      type: 'template',
      template,
    });
    expect(withKey.ok && messageKeyOf(withKey.value)).toBe('k1');
    expect(without.ok && messageKeyOf(without.value)).toBe('919876543210:gold_loan_reminder:en');
  });
});

describe('waIdOf', () => {
  it('accepts 7 to 15 digits with the usual separators', () => {
    expect(waIdOf('(+91) 98765 43210')).toBe('919876543210');
    expect(waIdOf('123')).toBeUndefined();
    expect(waIdOf('1234567890123456')).toBeUndefined();
  });
});
