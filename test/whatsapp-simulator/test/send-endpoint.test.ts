import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bodyOf,
  festiveOffer,
  phoneNumberId,
  reminder,
  startSimulator,
  token,
  wabaId,
  type Started,
} from './support.ts';

let sim: Started;
// Limits off here: each test sends to its own recipients and checks one rule at a time.
beforeAll(async () => {
  sim = await startSimulator({ SIMULATOR_THROUGHPUT_MPS: '0', SIMULATOR_PAIR_INTERVAL_MS: '0' });
});
afterAll(() => sim.stop());

const metaErrorShape = (code: number) => ({
  error: {
    message: expect.stringMatching(new RegExp(`^\\(#${code}\\) `)),
    type: 'OAuthException',
    code,
    error_data: { messaging_product: 'whatsapp', details: expect.any(String) },
    fbtrace_id: expect.stringMatching(/^[\w-]{10,}$/),
  },
});

describe('POST /{version}/{phone-number-id}/messages', () => {
  it('when a template send is valid, then it answers exactly as Meta does', async () => {
    const response = await sim.send(reminder('+91 98765 43210', 'key-1'));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      messaging_product: 'whatsapp',
      contacts: [{ input: '+91 98765 43210', wa_id: '919876543210' }],
      messages: [{ id: expect.stringMatching(/^wamid\.[A-Za-z0-9+/=]+$/), message_status: 'accepted' }],
    });
  });

  it('gives every accepted message its own id', async () => {
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, index) => sim.send(reminder(`9190000000${String(index).padStart(2, '0')}`))),
    );
    expect(new Set(ids.map((response) => response.body.messages[0].id)).size).toBe(20);
  });

  it('when the token is missing or wrong, then 401 with code 190 and no error_data, like Graph', async () => {
    for (const bad of [null, 'not-the-token']) {
      const response = await sim.send(reminder('919800000001'), { token: bad });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        error: {
          message: 'Invalid OAuth access token - Cannot parse access token',
          type: 'OAuthException',
          code: 190,
          fbtrace_id: expect.any(String),
        },
      });
    }
  });

  it('takes the token as an access_token query parameter too', async () => {
    const response = await fetch(`${sim.url}/v23.0/${phoneNumberId}/messages?access_token=${token}`, {
      method: 'POST',
      body: JSON.stringify(reminder('919800000002')),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(200);
  });

  it("when the phone number id is not the business's, then 400 code 100 subcode 33", async () => {
    const response = await sim.send(reminder('919800000003'), { phoneNumberId: '999999999999999' });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ type: 'GraphMethodException', code: 100, error_subcode: 33 });
  });

  it('when the request is malformed, then 400 with code 100', async () => {
    const missingProduct = await sim.send({ to: '919800000004', type: 'template', template: reminder('x').template });
    expect(missingProduct.status).toBe(400);
    expect(missingProduct.body).toEqual(metaErrorShape(100));
    expect(missingProduct.body.error.error_data.details).toContain('messaging_product');

    const notJson = await fetch(`${sim.url}/v23.0/${phoneNumberId}/messages`, {
      method: 'POST',
      body: '{"messaging_product":',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    });
    expect(notJson.status).toBe(400);
    expect(await bodyOf(notJson)).toEqual(metaErrorShape(100));

    const longCallbackData = await sim.send({ ...reminder('919800000004'), biz_opaque_callback_data: 'é'.repeat(257) });
    expect(longCallbackData.status).toBe(400);
    expect(longCallbackData.body).toEqual(metaErrorShape(100));
    expect(longCallbackData.body.error.error_data.details).toContain('biz_opaque_callback_data');
    // 512 bytes exactly is within Meta's limit.
    expect((await sim.send({ ...reminder('919800000004'), biz_opaque_callback_data: 'é'.repeat(256) })).status).toBe(
      200,
    );
  });

  it('when the recipient is not a phone number, then 400 with code 131009', async () => {
    const response = await sim.send(reminder('not-a-number'));
    expect(response.status).toBe(400);
    expect(response.body).toEqual(metaErrorShape(131009));
  });

  it('when the template is unknown, not in that language or not approved, then 404 with code 132001', async () => {
    const unknown = await sim.send({
      ...reminder('919800000005'),
      template: { ...reminder('x').template, name: 'no_such_template' },
    });
    const language = await sim.send({
      ...reminder('919800000005'),
      template: { ...reminder('x').template, language: { code: 'fr' } },
    });
    const pending = await sim.send({
      ...reminder('919800000005'),
      template: {
        name: 'account_statement_ready',
        language: { code: 'en' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'March' }] }],
      },
    });
    for (const response of [unknown, language, pending]) {
      expect(response.status).toBe(404);
      expect(response.body).toEqual(metaErrorShape(132001));
    }
    expect(unknown.body.error.error_data.details).toBe('template name (no_such_template) does not exist in en');
  });

  it('when the template is paused, then 400 with code 132015', async () => {
    const response = await sim.send({
      ...reminder('919800000006'),
      template: {
        name: 'monsoon_sale',
        language: { code: 'en' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: '50%' }] }],
      },
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(metaErrorShape(132015));
  });

  it("when a user is set to be refused with 131049 twice, then the first two sends get Meta's error and the third is accepted", async () => {
    await sim.admin('PUT', '/_sim/recipients/919800000031', { rejectWith: { code: 131049, times: 2 } });
    const answers = [];
    for (let send = 0; send < 3; send += 1) answers.push(await sim.send(reminder('919800000031')));
    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 200]);
    expect(answers[0]!.body).toEqual(metaErrorShape(131049));
    expect(answers[0]!.body.error.message).toBe(
      '(#131049) This message was not delivered to maintain healthy ecosystem engagement.',
    );
    const recipient = (await sim.admin('GET', '/_sim/recipients/919800000031')).body;
    expect(recipient).not.toHaveProperty('rejectWith');
    // The accepted send is remembered with the template and values it carried; refused ones are not.
    expect(recipient.lastMessage).toEqual({
      id: answers[2]!.body.messages[0].id,
      template: {
        name: reminder('919800000031').template.name,
        language: 'en',
        components: reminder('919800000031').template.components,
      },
    });
  });

  it('when a user is refused until cleared, then every send gets the code until rejectWith is null', async () => {
    await sim.admin('PUT', '/_sim/recipients/919800000032', { rejectWith: { code: 131049 } });
    expect((await sim.send(reminder('919800000032'))).status).toBe(400);
    expect((await sim.send(reminder('919800000032'))).status).toBe(400);
    await sim.admin('PUT', '/_sim/recipients/919800000032', { rejectWith: null });
    expect((await sim.send(reminder('919800000032'))).status).toBe(200);
  });

  it('when the number of parameters does not match the placeholders, then 400 with code 132000', async () => {
    const response = await sim.send(reminder('919800000007', undefined, ['Asha']));
    expect(response.status).toBe(400);
    expect(response.body).toEqual(metaErrorShape(132000));
  });

  it('when a parameter has the wrong format, then 400 with code 132012', async () => {
    const positionalToNamed = await sim.send({
      messaging_product: 'whatsapp',
      to: '919800000008',
      type: 'template',
      template: {
        name: 'payment_due_named',
        language: { code: 'en' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Asha' },
              { type: 'text', text: '₹1' },
              { type: 'text', text: '5 March' },
            ],
          },
        ],
      },
    });
    expect(positionalToNamed.status).toBe(400);
    expect(positionalToNamed.body).toEqual(metaErrorShape(132012));

    const textForImage = await sim.send({
      messaging_product: 'whatsapp',
      to: '919800000008',
      type: 'template',
      template: {
        name: 'festive_offer',
        language: { code: 'en' },
        components: [
          { type: 'header', parameters: [{ type: 'text', text: 'not an image' }] },
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Asha' },
              { type: 'text', text: '0.79%' },
            ],
          },
          { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'diwali' }] },
        ],
      },
    });
    expect(textForImage.body.error.code).toBe(132012);
  });

  it('accepts the named template with named values and the media template with an image', async () => {
    const named = await sim.send({
      messaging_product: 'whatsapp',
      to: '919800000009',
      type: 'template',
      template: {
        name: 'payment_due_named',
        language: { code: 'en' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Asha', parameter_name: 'first_name' },
              {
                type: 'currency',
                currency: { fallback_value: '₹12,500', code: 'INR', amount_1000: 12_500_000 },
                parameter_name: 'amount',
              },
              { type: 'date_time', date_time: { fallback_value: '5 March 2026' }, parameter_name: 'due_date' },
            ],
          },
        ],
      },
    });
    expect(named.status).toBe(200);
    const media = await sim.send(
      festiveOffer('919800000010', [
        {
          type: 'button',
          sub_type: 'quick_reply',
          index: 1,
          parameters: [{ type: 'payload', payload: 'STOP_PROMOS' }],
        },
      ]),
    );
    expect(media.status).toBe(200);
  });

  it("when the path has no valid version, then Graph's unknown-path error", async () => {
    const response = await fetch(`${sim.url}/latest/${phoneNumberId}/messages`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect((await bodyOf(response)).error.code).toBe(2500);
  });
});

describe('GET /{version}/{waba-id}/message_templates', () => {
  const list = (query: string, bearer: string | null = token) =>
    fetch(`${sim.url}/v23.0/${wabaId}/message_templates${query}`, {
      headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
    });

  it("lists the templates in Meta's shape, page by page", async () => {
    const first = await list('?fields=name,status,language,category,components&limit=4');
    expect(first.status).toBe(200);
    const page = await bodyOf(first);
    expect(page.data).toHaveLength(4);
    expect(page.data[0]).toEqual({
      name: 'gold_loan_reminder',
      components: expect.arrayContaining([
        expect.objectContaining({ type: 'BODY', text: expect.stringContaining('{{1}}') }),
      ]),
      language: 'en',
      status: 'APPROVED',
      category: 'UTILITY',
      id: expect.stringMatching(/^\d+$/),
    });
    expect(page.paging).toEqual({
      cursors: { before: expect.any(String), after: expect.any(String) },
      next: expect.stringContaining('after='),
    });

    const rest = await bodyOf(await fetch(page.paging.next, { headers: { authorization: `Bearer ${token}` } }));
    expect(rest.data.length).toBeGreaterThan(0);
    expect(rest.paging.next).toBeUndefined();
    const names = [...page.data, ...rest.data].map(
      (template: { name: string; language: string }) => `${template.name}/${template.language}`,
    );
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('payment_due_named/en');
  });

  it('carries parameter_format when no fields are asked for', async () => {
    const page = await bodyOf(await list('?name=payment_due_named'));
    expect(page.data).toEqual([expect.objectContaining({ name: 'payment_due_named', parameter_format: 'NAMED' })]);
  });

  it('when the token is wrong, then 190; when the account is another, then 100', async () => {
    expect((await list('', 'nope')).status).toBe(401);
    const other = await fetch(`${sim.url}/v23.0/555/message_templates`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(other.status).toBe(400);
    expect((await bodyOf(other)).error.code).toBe(100);
  });
});
